/** At most 1,000 active participants in a talk. */
import { MongoClient } from 'mongodb';
import { newId } from '@talk/shared/ids';
import { LIMITS, Participant } from '@talk/shared/schemas';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { expectBody } from '@talk/shared/testing/rest-client';
import { COLLECTIONS, type ParticipantDoc } from '@talk/store/documents';
import { createCustomer, createGroupTalk, expectError } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

describe('participant limit', () => {
  let stack: Stack;
  let mongo: MongoClient;
  beforeAll(async () => {
    stack = await startStack('participant_limit');
    mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
  });
  afterAll(async () => {
    await mongo.close();
    await stack.stop();
  });

  it(`refuses the participant past ${LIMITS.participantsMax} with 400, and accepts it once one leaves`, async () => {
    const acme = await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C']);
    const [a, b, c] = acme.agents;
    const talk = await createGroupTalk(stack.api(), a, [b]);
    // Hashing a thousand agents' passwords would take a minute: the other 998 participants are
    // written straight into the database, as the API would store them.
    const now = new Date();
    const filler: ParticipantDoc[] = Array.from({ length: LIMITS.participantsMax - 2 }, () => ({
      _id: newId(),
      talk_id: talk.id,
      agent_id: newId(),
      customer_id: acme.id,
      status: 'active',
      tm_joined: now,
      tm_left: null,
      left_at_seq: null,
    }));
    await mongo.db(stack.iso.db).collection<ParticipantDoc>(COLLECTIONS.participants).insertMany(filler);

    const path = `/v1.0/talks/${talk.id}/participants`;
    const refused = await stack.api().request('POST', path, { token: a.token, body: { agent_id: c.id } });
    expectError(refused, 400, 'INVALID_ARGUMENT');
    expect(JSON.stringify(refused.body)).toContain(String(LIMITS.participantsMax));

    const one = filler[0];
    if (one === undefined) throw new Error('filler has participants');
    expectBody(await stack.api().request('DELETE', `${path}/${one._id}`, { token: a.token }), 200, Participant);
    expectBody(await stack.api().request('POST', path, { token: a.token, body: { agent_id: c.id } }), 201, Participant);
  });
});

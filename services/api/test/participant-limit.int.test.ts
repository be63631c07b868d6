/** At most 1,000 active participants in a talk, also when adds race at the limit on two replicas. */
import { MongoClient, type Db } from 'mongodb';
import { newId } from '@talk/shared/ids';
import { LIMITS, Participant } from '@talk/shared/schemas';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { expectBody } from '@talk/shared/testing/rest-client';
import { toTimestamp } from '@talk/shared/time';
import { COLLECTIONS, type EventDoc, type ParticipantDoc } from '@talk/store/documents';
import { participantDraft } from '@talk/decisions/drafts';
import { eventDocOf } from '@talk/store/write-pipeline/event-docs';
import { foldEvent } from '@talk/decisions/talk-state';
import { createTalkStates } from '@talk/store/write-pipeline/talk-states';
import { createCustomer, createGroupTalk, expectError } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

/**
 * Hashing a thousand agents' passwords would take a minute: the other participants are written
 * straight into the database, as the API would record and project them: their joins in the
 * talk's log (finished, so the relay leaves them), their projections, and the talk's state.
 */
async function fillTalk(db: Db, talkId: string, count: number): Promise<ParticipantDoc[]> {
  const states = createTalkStates(db);
  let state = await states.current(talkId);
  const now = new Date();
  const fillers: ParticipantDoc[] = Array.from({ length: count }, () => ({
    _id: newId(),
    talk_id: talkId,
    agent_id: newId(),
    status: 'active',
    tm_joined: now,
    tm_left: null,
    left_at_seq: null,
  }));
  const events: EventDoc[] = fillers.map((filler) => {
    const participant = { id: filler._id, talk_id: talkId, agent_id: filler.agent_id, status: 'active' as const, tm_joined: toTimestamp(now), tm_left: null, last_read_seq: null };
    const event = participantDraft('participant_joined', participant, 'added', now).build(state.seq + 1);
    state = foldEvent(state, event);
    const { pending: _pending, ...finished } = eventDocOf(event);
    return { ...finished, applied: true, published: true };
  });
  await db.collection<EventDoc>(COLLECTIONS.events).insertMany(events);
  await db.collection<ParticipantDoc>(COLLECTIONS.participants).insertMany(fillers);
  await states.save(state);
  return fillers;
}

describe('participant limit', () => {
  let stack: Stack;
  let mongo: MongoClient;
  beforeAll(async () => {
    stack = await startStack('participant_limit', { apis: 2 });
    mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
  });
  afterAll(async () => {
    await mongo.close();
    await stack.stop();
  });

  it(`refuses the participant past ${LIMITS.participantsMax} with 400, accepts it once one leaves, and admits one of adds that race for the last place`, async () => {
    const acme = await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C', 'Agent D', 'Agent E', 'Agent F']);
    const [a, b, c, ...racers] = acme.agents;
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const fillers = await fillTalk(mongo.db(stack.iso.db), talk.id, LIMITS.participantsMax - 2);

    const path = `/v1.0/talks/${talk.id}/participants`;
    const refused = await stack.api().request('POST', path, { token: a.token, body: { agent_id: c.id } });
    expectError(refused, 400, 'INVALID_ARGUMENT');
    expect(JSON.stringify(refused.body)).toContain(String(LIMITS.participantsMax));

    const [one, two] = fillers;
    if (one === undefined || two === undefined) throw new Error('the talk has fillers');
    expectBody(await stack.api().request('DELETE', `${path}/${one._id}`, { token: a.token }), 200, Participant);
    expectBody(await stack.api().request('POST', path, { token: a.token, body: { agent_id: c.id } }), 201, Participant);

    // One place left, three adds at once on two replicas: exactly one gets it.
    expectBody(await stack.api().request('DELETE', `${path}/${two._id}`, { token: a.token }), 200, Participant);
    const raced = await Promise.all(racers.map((racer, i) => stack.api(i % 2).request('POST', path, { token: a.token, body: { agent_id: racer.id } })));
    expect(raced.map((response) => response.status).sort()).toEqual([201, 400, 400]);
    const active = await stack.api().request('GET', `${path}?status=active`, { token: a.token });
    expect((active.body as { result: unknown[] }).result).toHaveLength(LIMITS.participantsMax);
  });
});

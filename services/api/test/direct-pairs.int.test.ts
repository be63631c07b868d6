/**
 * A pair of agents has one active direct talk at most, whatever meets at once on two API replicas:
 * two creates, a create and a close, a create and a reopen (the pair's log of claims:
 * services/api/src/domain/direct-pairs.ts). And a claimant that died after its claim leaves no
 * pair held by a talk that does not exist.
 */
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { newId } from '@talk/shared/ids';
import { Talk } from '@talk/shared/schemas';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { expectBody, type RestResponse } from '@talk/shared/testing/rest-client';
import { createStore, type Store } from '@talk/store/store';
import { directPairKey } from '../src/domain/pair-key';
import { createCustomer, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const TRIALS = 10;
const TalkList = z.object({ result: z.array(Talk) });

describe('direct talks of one pair, on two replicas', () => {
  let stack: Stack;
  let customerId: string;
  let a: TestAgent;
  let others: TestAgent[];
  let mongo: MongoClient;
  let store: Store;

  beforeAll(async () => {
    stack = await startStack('direct_pairs', { apis: 2 });
    mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
    store = createStore(mongo.db(stack.iso.db));
    const names = ['Agent A', ...Array.from({ length: 3 * TRIALS + 1 }, (_, i) => `Agent ${i}`)];
    const customer = await createCustomer(stack.api(), names);
    customerId = customer.id;
    [a, ...others] = customer.agents as unknown as [TestAgent, ...TestAgent[]];
  });
  afterAll(async () => {
    await mongo.close();
    await stack.stop();
  });

  let nextOther = 0;
  function freshPartner(): TestAgent {
    const partner = others[nextOther];
    nextOther += 1;
    if (partner === undefined) throw new Error('the test ran out of agents: raise the count in beforeAll');
    return partner;
  }

  const createDirect = (replica: number, creator: TestAgent, partner: TestAgent): Promise<RestResponse> =>
    stack.api(replica).request('POST', '/v1.0/talks', { token: creator.token, body: { type: 'direct', participant_ids: [partner.id] } });

  /** A's active direct talks: each test pairs A with an agent of its own, so these are the pair's. */
  async function activeDirectTalksOf(agent: TestAgent): Promise<Talk[]> {
    const listed = expectBody(await stack.api().request('GET', '/v1.0/talks?status=active&page_size=100', { token: agent.token }), 200, TalkList);
    return listed.result.filter((talk) => talk.type === 'direct');
  }

  async function eventTypes(talkId: string): Promise<string[]> {
    return (await store.events.listAfter(talkId, 0, 100)).map((event) => event.type);
  }

  it('creates one talk when both agents create it at once, and both answers name it', async () => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const partner = freshPartner();
      const answers = await Promise.all([createDirect(trial % 2, a, partner), createDirect((trial + 1) % 2, partner, a)]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
      const [first, second] = answers.map((answer) => Talk.parse(answer.body));
      expect(second?.id).toBe(first?.id);
      expect(await eventTypes(first?.id ?? '')).toEqual(['talk_created', 'participant_joined', 'participant_joined']);
      expect((await activeDirectTalksOf(partner)).map((talk) => talk.id)).toEqual([first?.id]);
    }
  });

  it('keeps one active talk when a create meets a close', async () => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const partner = freshPartner();
      const talk = expectBody(await createDirect(0, a, partner), 201, Talk);
      const [closed, created] = await Promise.all([
        stack.api(trial % 2).request('POST', `/v1.0/talks/${talk.id}/close`, { token: a.token }),
        createDirect((trial + 1) % 2, partner, a),
      ]);
      expect(closed.status).toBe(200);
      const answer = Talk.parse(created.body);
      // Either the create came first (it found the talk, which the close then closed) or second (a new talk).
      if (answer.id === talk.id) expect(created.status).toBe(200);
      else expect(created.status).toBe(201);
      const active = await activeDirectTalksOf(partner);
      expect(active.map((t) => t.id)).toEqual(answer.id === talk.id ? [] : [answer.id]);
    }
  });

  it('keeps one active talk when a create meets a reopen', async () => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const partner = freshPartner();
      const talk = expectBody(await createDirect(0, a, partner), 201, Talk);
      expectBody(await stack.api(0).request('POST', `/v1.0/talks/${talk.id}/close`, { token: a.token }), 200, Talk);
      const [reopened, created] = await Promise.all([
        stack.api(trial % 2).request('POST', `/v1.0/talks/${talk.id}/reopen`, { token: a.token }),
        createDirect((trial + 1) % 2, partner, a),
      ]);
      const answer = Talk.parse(created.body);
      if (reopened.status === 200) {
        // The reopen came first: the create answers the reopened talk.
        expect([created.status, answer.id]).toEqual([200, talk.id]);
      } else {
        expect([reopened.status, created.status]).toEqual([409, 201]);
      }
      expect((await activeDirectTalksOf(partner)).map((t) => t.id)).toEqual([answer.id]);
      expect((await eventTypes(talk.id)).filter((type) => type === 'talk_reopened').length).toBe(reopened.status === 200 ? 1 : 0);
    }
  });

  it('finishes the opening of a claimant that died after claiming the pair', async () => {
    const partner = freshPartner();
    const at = new Date().toISOString();
    const talkId = newId();
    const members = [a, partner].map((agent) => ({ id: newId(), talk_id: talkId, agent_id: agent.id, status: 'active' as const, tm_joined: at, tm_left: null, last_read_seq: null }));
    const talk: Talk = {
      id: talkId, customer_id: customerId, type: 'direct', name: '', status: 'active', creator_id: a.id,
      participant_count: 2, last_message_at: null, tm_create: at, tm_update: at, last_read_seq: null, unread_count: null, unread_mention_count: null,
    };
    // What a claimant leaves when it is killed between its claim and the talk's first event.
    await store.pairClaims.record({
      pairKey: directPairKey(customerId, a.id, partner.id),
      n: 1,
      talkId,
      opening: { kind: 'create', talk, members, eventIds: [newId(), newId(), newId()] },
    });
    expect(await eventTypes(talkId)).toEqual([]);

    const found = expectBody(await createDirect(1, partner, a), 200, Talk);
    expect(found).toMatchObject({ id: talkId, status: 'active', participant_count: 2 });
    expect(await eventTypes(talkId)).toEqual(['talk_created', 'participant_joined', 'participant_joined']);
    const events = z.array(TalkChangeEvent).parse(await store.events.listAfter(talkId, 0, 100));
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
  });
});

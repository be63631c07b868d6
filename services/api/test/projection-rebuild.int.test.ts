/**
 * Every projection is derived from the event log alone: after a mixed workload on two API
 * replicas, with writers meeting on one talk, dropping the projections and rebuilding them from
 * the log (`npm run rebuild-projections`) gives exactly what the live services had written.
 * (An API killed mid-request is the fault suite's: test/faults/topology.faults.test.ts.)
 */
import { MongoClient, type Db, type Document } from 'mongodb';
import { z } from 'zod';
import { Message, Participant, Talk } from '@talk/shared/schemas';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { expectBody, type RestResponse } from '@talk/shared/testing/rest-client';
import { COLLECTIONS } from '@talk/store/documents';
import { rebuildProjections } from '@talk/store/write-pipeline/projection-rebuild';
import { eventually } from '@talk/shared/testing/eventually';
import { createCustomer, createGroupTalk, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

/** The projections the services read, as a comparable list per collection (the snapshots are a cache: left out). */
const COMPARED = [COLLECTIONS.talks, COLLECTIONS.participants, COLLECTIONS.messages, COLLECTIONS.reactions] as const;

async function projectionsOf(db: Db): Promise<Record<string, Document[]>> {
  const entries = await Promise.all(COMPARED.map(async (name) => [name, await db.collection(name).find({}).sort({ _id: 1 }).toArray()] as const));
  return Object.fromEntries(entries);
}

describe('projections rebuilt from the event log', () => {
  let stack: Stack;
  let mongo: MongoClient;
  let db: Db;
  let a: TestAgent, b: TestAgent, c: TestAgent, d: TestAgent;
  let stopped = false;
  const answers: RestResponse[] = [];

  beforeAll(async () => {
    stack = await startStack('rebuild', { apis: 2 });
    mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
    db = mongo.db(stack.iso.db);
    [a, b, c, d] = (await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C', 'Agent D'])).agents as [TestAgent, TestAgent, TestAgent, TestAgent];
  });
  afterAll(async () => {
    await mongo.close();
    if (!stopped) await stack.stop();
  });

  async function call(replica: number, agent: TestAgent, method: string, path: string, body?: unknown): Promise<RestResponse> {
    const answer = await stack.api(replica % 2).request(method, `/v1.0${path}`, { token: agent.token, ...(body === undefined ? {} : { body }) });
    answers.push(answer);
    return answer;
  }

  async function mixedWorkload(): Promise<void> {
    const hot = await createGroupTalk(stack.api(), a, [b, c]);
    const quiet = await createGroupTalk(stack.api(1), b, [d], 'Quiet');
    // Writers meeting on one talk, on both replicas: posts, replies, reactions, membership.
    const roots = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => expectBody(await call(i, [a, b, c][i % 3] as TestAgent, 'POST', `/talks/${hot.id}/messages`, { text: `root ${i}` }), 201, Message)),
    );
    await Promise.all([
      ...roots.map((root, i) => call(i + 1, b, 'POST', `/talks/${hot.id}/messages`, { text: `reply ${i}`, parent_id: root.id })),
      ...roots.map((root, i) => call(i, c, 'POST', `/messages/${root.id}/reactions`, { emoji: i % 2 === 0 ? '👍' : '🎉' })),
      ...roots.slice(0, 4).map((root, i) => call(i + 1, a, 'POST', `/messages/${root.id}/reactions`, { emoji: '👍' })),
      call(0, a, 'POST', `/talks/${hot.id}/participants`, { agent_id: d.id }),
      call(1, b, 'PUT', `/talks/${hot.id}`, { name: 'Incident 4711' }),
      call(0, d, 'POST', `/talks/${quiet.id}/messages`, { text: 'meanwhile, elsewhere' }),
    ]);
    // Changes of one message meeting: edit ‖ delete ‖ react ‖ unreact.
    const [first, second] = roots;
    if (first === undefined || second === undefined) throw new Error('the workload posted no roots');
    await Promise.all([
      call(0, a, 'PUT', `/messages/${first.id}`, { text: 'edited' }),
      call(1, a, 'DELETE', `/messages/${first.id}`),
      call(0, b, 'POST', `/messages/${first.id}/reactions`, { emoji: '👀' }),
      call(1, c, 'DELETE', `/messages/${second.id}/reactions/${encodeURIComponent('🎉')}`),
      call(0, c, 'PUT', `/messages/${second.id}`, { text: 'second, edited' }),
    ]);
    // Membership and lifecycle: a leave, a close meeting a post, a reopen; a direct pair created at once.
    const participants = expectBody(await call(0, b, 'GET', `/talks/${quiet.id}/participants`), 200, z.object({ result: z.array(Participant) })).result;
    const dIn = participants.find((p) => p.agent_id === d.id);
    await Promise.all([
      call(0, d, 'DELETE', `/talks/${quiet.id}/participants/${dIn?.id ?? ''}`),
      call(1, b, 'POST', `/talks/${quiet.id}/close`),
      call(0, b, 'POST', `/talks/${quiet.id}/messages`, { text: 'closing words' }),
      call(0, a, 'POST', '/talks', { type: 'direct', participant_ids: [c.id] }),
      call(1, c, 'POST', '/talks', { type: 'direct', participant_ids: [a.id] }),
    ]);
    expectBody(await call(1, b, 'POST', `/talks/${quiet.id}/reopen`), 200, Talk);
  }

  it('gives back exactly the live projections after a mixed workload', async () => {
    await mixedWorkload();
    // Every event applied by the services themselves (the outbox relay included) before comparing.
    // Refusals a serial order explains (an edit after the delete, a post after the close) are 409; nothing failed.
    expect(answers.filter((answer) => answer.status >= 500 || answer.status === 400)).toEqual([]);
    await eventually(async () => expect(await db.collection(COLLECTIONS.events).countDocuments({ pending: true })).toBe(0));
    await stack.stop();
    stopped = true;
    const live = await projectionsOf(db);
    expect(live[COLLECTIONS.messages]?.length).toBeGreaterThanOrEqual(25);
    expect(live[COLLECTIONS.reactions]?.length).toBeGreaterThan(5);

    const report = await rebuildProjections(db);
    expect(report.talks).toBe(3);
    expect(await projectionsOf(db)).toEqual(live);
  });
});

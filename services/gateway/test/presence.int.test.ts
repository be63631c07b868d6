/**
 * Presence (docs/websocket.md, Presence) across two gateways and the API, all sharing one NATS
 * key-value bucket, with the default timings: online within 2 s of the first connection on any
 * gateway, offline once the last one closes, away while connected, the caller's customer only,
 * and the limits (100 ids per request, 500 followed per connection).
 */
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { newId } from '@talk/shared/ids';
import { Presence } from '@talk/shared/schemas';
import { issueToken } from '@talk/shared/tokens';
import { expectBody, restClient } from '@talk/shared/testing/rest-client';
import { connectTestSocket, type Frame, type TestSocket } from '@talk/shared/testing/ws-client';
import { COLLECTIONS, type AgentDoc } from '@talk/store/documents';
import { createCustomer, expectError, type TestAgent } from '../../../test/support/fixtures';
import { JWT_SECRET, launchApi, launchGateway, stackEnv, startStack, type Stack } from '../../../test/support/stack';

const PresenceList = z.object({ result: z.array(Presence) });
const isPresenceOf = (agentId: string, status?: string) => (frame: Frame) =>
  frame.type === 'presence' && frame['agent_id'] === agentId && (status === undefined || frame['status'] === status);

describe('presence', () => {
  let stack: Stack;
  let customerId: string;
  let a: TestAgent, b: TestAgent, c: TestAgent, outsider: TestAgent;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    stack = await startStack('presence', { gateways: 2 });
    const acme = await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C']);
    customerId = acme.id;
    [a, b, c] = acme.agents;
    [outsider] = (await createCustomer(stack.api(), ['Outsider'])).agents;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await stack.stop();
  });

  async function connect(agent: TestAgent, gateway: number): Promise<TestSocket> {
    const socket = await connectTestSocket(stack.wsUrl(agent.token, gateway));
    sockets.push(socket);
    await socket.roundTrip();
    return socket;
  }

  async function following(agent: TestAgent, gateway: number, agentIds: readonly string[]): Promise<TestSocket> {
    const socket = await connect(agent, gateway);
    socket.send({ type: 'presence_subscribe', agent_ids: agentIds });
    return socket;
  }

  const presenceOf = async (caller: TestAgent, agentIds: readonly string[]) =>
    expectBody(await stack.api().request('GET', `/v1.0/presence?agent_ids=${agentIds.join(',')}`, { token: caller.token }), 200, PresenceList).result;

  it('reads online on the other gateway within 2 s of the first connection, and offline once the last one closes', async () => {
    const watcher = await following(b, 1, [a.id]);
    const before = await watcher.next(isPresenceOf(a.id));
    expect(before).toMatchObject({ status: 'offline' });
    expect(Presence.safeParse(before).success).toBe(true);

    const connected = Date.now();
    const first = await connect(a, 0);
    const online = await watcher.next(isPresenceOf(a.id, 'online'), 2_000);
    expect(Date.now() - connected).toBeLessThan(2_000);
    expect((await presenceOf(b, [a.id]))[0]).toEqual({ agent_id: a.id, status: 'online', tm_change: online['tm_change'] });

    // A second connection, on the other gateway, changes nothing; closing the first one neither.
    const second = await connect(a, 1);
    await first.close();
    await second.roundTrip();
    expect((await presenceOf(b, [a.id]))[0]?.status).toBe('online');
    await second.close();
    await watcher.next(isPresenceOf(a.id, 'offline'), 5_000);
    expect((await presenceOf(b, [a.id]))[0]?.status).toBe('offline');
    expect(watcher.all(isPresenceOf(a.id))).toHaveLength(3);
  });

  it('is away while connected after PUT /v1.0/me/presence, and online again on a new first connection', async () => {
    const watcher = await following(b, 0, [c.id]);
    await watcher.next(isPresenceOf(c.id, 'offline'));
    // Not connected: the flag does not make an agent away.
    const unconnected = expectBody(await stack.api().request('PUT', '/v1.0/me/presence', { token: c.token, body: { status: 'away' } }), 200, Presence);
    expect(unconnected.status).toBe('offline');

    const socket = await connect(c, 1);
    await watcher.next(isPresenceOf(c.id, 'online'), 2_000);
    const away = expectBody(await stack.api().request('PUT', '/v1.0/me/presence', { token: c.token, body: { status: 'away' } }), 200, Presence);
    expect(away).toMatchObject({ agent_id: c.id, status: 'away' });
    expect(await watcher.next(isPresenceOf(c.id, 'away'), 2_000)).toMatchObject({ tm_change: away.tm_change });
    expect((await presenceOf(b, [c.id]))[0]).toEqual(away);

    await socket.close();
    await watcher.next(isPresenceOf(c.id, 'offline'), 5_000);
    await connect(c, 0);
    await watcher.next(isPresenceOf(c.id, 'online'), 2_000);
    expect((await presenceOf(b, [c.id]))[0]?.status).toBe('online');
    const back = expectBody(await stack.api().request('PUT', '/v1.0/me/presence', { token: c.token, body: { status: 'away' } }), 200, Presence);
    expect(back.status).toBe('away');
    const online = expectBody(await stack.api().request('PUT', '/v1.0/me/presence', { token: c.token, body: { status: 'online' } }), 200, Presence);
    expect(online.status).toBe('online');
    await watcher.next(isPresenceOf(c.id, 'online'), 2_000);
  });

  it("leaves other customers' agents and unknown ids out, over REST and WebSocket", async () => {
    const unknown = newId();
    const listed = await presenceOf(b, [outsider.id, a.id, unknown, a.id]);
    expect(listed.map((presence) => presence.agent_id)).toEqual([a.id]);

    const watcher = await following(b, 0, [outsider.id, unknown, a.id]);
    await watcher.next(isPresenceOf(a.id));
    await connect(outsider, 1);
    await watcher.roundTrip();
    expect(watcher.all((frame) => frame.type === 'presence').map((frame) => frame['agent_id'])).toEqual([a.id]);
  });

  it('refuses 101 ids, malformed ids and bad bodies with 400 INVALID_ARGUMENT', async () => {
    const ids = Array.from({ length: 101 }, () => newId());
    expectError(await stack.api().request('GET', `/v1.0/presence?agent_ids=${ids.join(',')}`, { token: b.token }), 400, 'INVALID_ARGUMENT');
    expect(await presenceOf(b, ids.slice(0, 100))).toEqual([]);
    expectError(await stack.api().request('GET', `/v1.0/presence?agent_ids=${a.id},nope`, { token: b.token }), 400, 'INVALID_ARGUMENT');
    expectError(await stack.api().request('GET', '/v1.0/presence', { token: b.token }), 400, 'INVALID_ARGUMENT');
    expectError(await stack.api().request('PUT', '/v1.0/me/presence', { token: b.token, body: { status: 'offline' } }), 400, 'INVALID_ARGUMENT');
    expectError(await stack.api().request('GET', `/v1.0/presence?agent_ids=${a.id}`), 401, 'UNAUTHENTICATED');
  });

  it('refuses malformed presence frames, and a subscription past 500 agents, with an error frame', async () => {
    const many = await insertAgents(stack, customerId, a.id, 501);
    const socket = await connect(b, 0);
    socket.send({ type: 'presence_subscribe', agent_ids: ['not-a-uuid'] });
    expect(await socket.next((frame) => frame.type === 'error')).toMatchObject({ code: 'INVALID_ARGUMENT', ref: { type: 'presence_subscribe' } });
    socket.send({ type: 'presence_subscribe', agent_ids: many.map((agent) => agent.id) });
    expect(await socket.next((frame) => frame.type === 'error')).toMatchObject({ code: 'INVALID_ARGUMENT' });

    socket.send({ type: 'presence_subscribe', agent_ids: many.slice(0, 300).map((agent) => agent.id) });
    await socket.next(isPresenceOf(many[299]?.id ?? ''));
    // Ids followed already count once.
    socket.send({ type: 'presence_subscribe', agent_ids: many.slice(0, 500).map((agent) => agent.id) });
    await socket.next(isPresenceOf(many[499]?.id ?? ''));
    socket.send({ type: 'presence_subscribe', agent_ids: [many[500]?.id] });
    const refusal = await socket.next((frame) => frame.type === 'error');
    expect(refusal).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(String(refusal['message'])).toContain('at most 500 agents');
    socket.send({ type: 'presence_unsubscribe', agent_ids: [many[0]?.id] });
    socket.send({ type: 'presence_subscribe', agent_ids: [many[500]?.id] });
    await socket.next(isPresenceOf(many[500]?.id ?? ''));
    expect(stack.gateways[0]?.presenceFollowedCount()).toBeGreaterThanOrEqual(500);

    // Unsubscribed: a change of that agent sends nothing more.
    const unfollowed = many[0];
    if (unfollowed === undefined) throw new Error('no agents');
    const unfollowedSocket = await connectTestSocket(stack.wsUrl(unfollowed.token, 1));
    sockets.push(unfollowedSocket);
    // Its entry is written first: the marker's comes after it in the bucket.
    await unfollowedSocket.roundTrip();
    const marker = many[1];
    if (marker === undefined) throw new Error('no agents');
    await connectTestSocket(stack.wsUrl(marker.token, 1)).then((other) => sockets.push(other));
    await socket.next(isPresenceOf(marker.id, 'online'), 2_000);
    expect(socket.all(isPresenceOf(unfollowed.id, 'online'))).toEqual([]);
    await socket.close();
    expect(socket.frames.filter((frame) => frame.type === 'error')).toHaveLength(3);
  });
});

describe('presence across a gateway restart (timings shortened: heartbeat 100 ms, timeout 1 s)', () => {
  const FAST = { PRESENCE_HEARTBEAT_MS: '100', PRESENCE_TIMEOUT_MS: '1000', PRESENCE_SWEEP_MS: '50' };

  it("keeps agents that reconnect elsewhere online, and ages out the others after the timeout", async () => {
    const env = stackEnv('presence_restart');
    const api = await launchApi(env, FAST);
    const stoppers: { stop(): Promise<void> }[] = [api];
    const sockets: TestSocket[] = [];
    try {
      const leaving = await launchGateway(env, FAST);
      stoppers.push(leaving);
      const staying = await launchGateway(env, FAST);
      stoppers.push(staying);
      const [mover, stayer, watcherAgent] = (await createCustomer(restClient(`http://127.0.0.1:${api.port}`), ['Mover', 'Stayer', 'Watcher'])).agents;
      const url = (agent: TestAgent, port: number) => `ws://127.0.0.1:${port}/v1.0/ws?token=${encodeURIComponent(agent.token)}`;
      const open = async (agent: TestAgent, port: number) => {
        const socket = await connectTestSocket(url(agent, port));
        sockets.push(socket);
        await socket.roundTrip();
        return socket;
      };
      const watcher = await open(watcherAgent, staying.port);
      watcher.send({ type: 'presence_subscribe', agent_ids: [mover.id, stayer.id] });
      await watcher.next(isPresenceOf(mover.id, 'offline'));
      await watcher.next(isPresenceOf(stayer.id, 'offline'));
      await open(mover, leaving.port);
      await open(stayer, leaving.port);
      await watcher.next(isPresenceOf(mover.id, 'online'), 2_000);
      await watcher.next(isPresenceOf(stayer.id, 'online'), 2_000);

      const stopped = Date.now();
      await leaving.stop();
      // The mover reconnects to the other gateway, as a client told 1001 does.
      await open(mover, staying.port);
      await watcher.next(isPresenceOf(stayer.id, 'offline'), 5_000);
      expect(Date.now() - stopped).toBeGreaterThanOrEqual(900);
      await watcher.roundTrip();
      // Offline only in the answer to the subscribe, before it connected.
      expect(watcher.all(isPresenceOf(mover.id)).map((frame) => frame['status'])).toEqual(['offline', 'online']);
    } finally {
      await Promise.all(sockets.map((socket) => socket.close()));
      for (const running of stoppers.reverse()) await running.stop();
    }
  });
});

/** Agents of the customer inserted straight into the database (a scrypt hash each through the API would take half a minute), with tokens. */
async function insertAgents(stack: Stack, customerId: string, templateId: string, count: number): Promise<TestAgent[]> {
  const mongo = await MongoClient.connect(stack.env['MONGO_URL'] ?? '');
  try {
    const agents = mongo.db(stack.env['MONGO_DB']).collection<AgentDoc>(COLLECTIONS.agents);
    const template = await agents.findOne({ _id: templateId });
    if (template === null) throw new Error(`no agent ${templateId}`);
    const docs: AgentDoc[] = Array.from({ length: count }, (_, i) => ({ ...template, _id: newId(), username: `many.${i}`, name: `Many ${i}` }));
    await agents.insertMany(docs);
    const now = Math.floor(Date.now() / 1000);
    return docs.map((doc) => ({ id: doc._id, name: doc.name, token: issueToken({ agentId: doc._id, customerId, expiresAt: now + 3_600 }, JWT_SECRET, now) }));
  } finally {
    await mongo.close();
  }
}

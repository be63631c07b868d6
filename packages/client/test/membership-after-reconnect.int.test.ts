import type { TalkChangeEvent } from '@talk/shared/events';
import { eventually } from '@talk/shared/testing/eventually';
import { createCustomer, type TestAgent } from '../../../test/support/fixtures';
import { record } from '../../../test/support/socket-recorder';
import { startStack, type Stack } from '../../../test/support/stack';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy';
import { createTalkApi, type TalkApi } from '../src/talk-api';
import { connectTalkSocket, type SocketState, type TalkSocket } from '../src/talk-socket';

const FAST = { backoff: { initialMs: 20, maxMs: 200 }, heartbeat: { intervalMs: 500, timeoutMs: 1_000 } } as const;

let stack: Stack;
let proxy: TcpProxy;
const opened: TalkSocket[] = [];

beforeAll(async () => {
  stack = await startStack('client-membership', { apis: 1, gateways: 1 });
});
beforeEach(async () => {
  proxy = await startTcpProxy('127.0.0.1', stack.gateways[0]?.port ?? 0);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((socket) => socket.close()));
  await proxy.close();
});
afterAll(() => stack.stop());

const apiOf = (agent: TestAgent): TalkApi => createTalkApi({ baseUrl: stack.api().baseUrl, token: agent.token });

/** A's socket through the proxy, listing its talks after every reconnect; nothing subscribed by hand. */
function connectThroughProxy(agent: TestAgent): { socket: TalkSocket; states: SocketState[] } {
  const socket = connectTalkSocket({
    url: `ws://127.0.0.1:${proxy.port}/v1.0/ws?token=${encodeURIComponent(agent.token)}`,
    agentId: agent.id,
    activeTalks: () => apiOf(agent).allTalks({ status: 'active' }),
    ...FAST,
  });
  opened.push(socket);
  const states: SocketState[] = [];
  socket.onState((state) => states.push(state));
  return { socket, states };
}

/** Cuts A's connection and waits until its client knows it is away. */
async function goAway(states: SocketState[]): Promise<void> {
  const before = states.length;
  await proxy.cut();
  await eventually(() => expect(states.slice(before)).toContain('waiting'));
}

async function logOf(api: TalkApi, talkId: string): Promise<TalkChangeEvent[]> {
  const events: TalkChangeEvent[] = [];
  for await (const event of api.eventsAfter(talkId)) events.push(event);
  return events;
}

/** The seqs of the talk's log from the agent's own participant_joined on. */
async function seqsFromJoin(api: TalkApi, talkId: string, agentId: string): Promise<number[]> {
  const log = await logOf(api, talkId);
  const join = log.find((event) => event.type === 'participant_joined' && event.data.agent_id === agentId);
  if (join === undefined) throw new Error(`no participant_joined of ${agentId} in ${talkId}`);
  return log.filter((event) => event.seq >= join.seq).map((event) => event.seq);
}

describe('the reference client after a reconnect', () => {
  it('delivers a talk the agent was added to while away from its join on, once each and in order', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const { socket, states } = connectThroughProxy(a);
    const seen = record(socket);
    await socket.settled();
    await goAway(states);

    const api = apiOf(b);
    const talk = await api.createTalk({ name: 'While away', participant_ids: [a.id] });
    for (let i = 0; i < 3; i += 1) await api.sendMessage(talk.id, { text: `away ${i}` });
    await proxy.restore();

    const expected = await seqsFromJoin(api, talk.id, a.id);
    await eventually(() => expect(seen.seqsOf(talk.id)).toEqual(expected));
    expect(seen.events[0]).toMatchObject({ type: 'participant_joined', talk_id: talk.id, data: { agent_id: a.id } });
    // Live on from there: the next event follows, and nothing came twice in between.
    await socket.settled();
    const next = await api.sendMessage(talk.id, { text: 'back' });
    await eventually(() => expect(seen.seqsOf(talk.id)).toEqual([...expected, next.seq]));
    expect(seen.errors).toEqual([]);
    expect(socket.stats().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('delivers nothing from before the join of a talk with history it was added to while away', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const api = apiOf(b);
    const talk = await api.createTalk({ name: 'With history' });
    for (let i = 0; i < 3; i += 1) await api.sendMessage(talk.id, { text: `before ${i}` });
    const { socket, states } = connectThroughProxy(a);
    const seen = record(socket);
    await socket.settled();
    await goAway(states);

    await api.addParticipant(talk.id, a.id);
    for (let i = 0; i < 2; i += 1) await api.sendMessage(talk.id, { text: `after ${i}` });
    await proxy.restore();

    const expected = await seqsFromJoin(api, talk.id, a.id);
    expect(expected[0]).toBeGreaterThan(5); // talk_created, B's join and 3 messages come first
    await eventually(() => expect(seen.seqsOf(talk.id)).toEqual(expected));
    await socket.settled();
    const next = await api.sendMessage(talk.id, { text: 'back' });
    await eventually(() => expect(seen.seqsOf(talk.id)).toEqual([...expected, next.seq]));
  });

  it('lets a talk it was added to and removed from while away go, without an error, also after the next reconnect', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const api = apiOf(b);
    const { socket, states } = connectThroughProxy(a);
    const seen = record(socket);
    await socket.settled();
    await goAway(states);

    const gone = await api.createTalk({ name: 'Gone again', participant_ids: [a.id] });
    const participant = (await api.listParticipants(gone.id, 'active')).find((p) => p.agent_id === a.id);
    await api.removeParticipant(gone.id, participant?.id ?? '');
    const kept = await api.createTalk({ name: 'Kept', participant_ids: [a.id] });
    await proxy.restore();

    const expected = await seqsFromJoin(api, kept.id, a.id);
    await eventually(() => expect(seen.seqsOf(kept.id)).toEqual(expected));
    await socket.settled();
    // Away and back once more: the talk left is listed again and not subscribed to.
    await goAway(states);
    await proxy.restore();
    await eventually(() => expect(socket.stats().reconnects).toBeGreaterThanOrEqual(2));
    await socket.settled();
    const next = await api.sendMessage(kept.id, { text: 'still here' });
    await eventually(() => expect(seen.seqsOf(kept.id)).toEqual([...expected, next.seq]));
    expect(seen.seqsOf(gone.id)).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});

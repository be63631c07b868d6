import { eventually } from '@talk/shared/testing/eventually';
import { createCustomer, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';
import type { Read } from '../src/read-markers';
import { createTalkApi, type TalkApi } from '../src/talk-api';
import { connectTalkSocket, type TalkSocket } from '../src/talk-socket';

const FAST = { backoff: { initialMs: 20, maxMs: 200 }, heartbeat: { intervalMs: 500, timeoutMs: 1_000 } } as const;

let stack: Stack;
const opened: TalkSocket[] = [];

beforeAll(async () => {
  stack = await startStack('client-reads', { apis: 1, gateways: 2 });
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((socket) => socket.close()));
});
afterAll(() => stack.stop());

const apiOf = (agent: TestAgent): TalkApi => createTalkApi({ baseUrl: stack.api().baseUrl, token: agent.token });

function readsOf(agent: TestAgent, gateway: number): { socket: TalkSocket; reads: Read[] } {
  const socket = connectTalkSocket({ url: stack.wsUrl(agent.token, gateway), agentId: agent.id, ...FAST });
  opened.push(socket);
  const reads: Read[] = [];
  socket.onRead((read) => reads.push(read));
  return { socket, reads };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('read state through the reference client', () => {
  it('counts unread messages and mentions, and marks read only forward', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const talk = await apiOf(a).createTalk({ name: 'Unread', participant_ids: [b.id] });
    const quiet = await apiOf(a).createTalk({ name: 'Quiet', participant_ids: [b.id] });
    await apiOf(a).sendMessage(talk.id, { text: 'one' });
    const mention = await apiOf(a).sendMessage(talk.id, { text: 'two, @B', mention_ids: [b.id] });
    const plain = await apiOf(a).sendMessage(talk.id, { text: 'three' });
    const edited = await apiOf(a).editMessage(plain.id, { text: 'three, @B', mention_ids: [b.id] });
    expect(edited.mention_ids).toEqual([b.id]);

    const api = apiOf(b);
    const unread = await collect(api.allTalks({ unread: true }));
    expect(unread).toEqual([expect.objectContaining({ id: talk.id, unread_count: 3, unread_mention_count: 2 })]);
    expect((await api.listTalks()).result.map((t) => t.id).sort()).toEqual([talk.id, quiet.id].sort());
    expect(await api.unreadSummary()).toEqual({ talks: 1, messages: 3, mentions: 2 });
    expect((await collect(api.mentions(1))).map((m) => m.id)).toEqual([plain.id, mention.id]);

    const marked = await api.markRead(talk.id, mention.seq);
    expect(marked).toEqual({ talk_id: talk.id, agent_id: b.id, last_read_seq: mention.seq, unread_count: 1, unread_mention_count: 1 });
    expect(await api.markRead(talk.id, 1)).toEqual(marked);
    const all = await api.markRead(talk.id);
    const { last_seq: newest } = await api.listEvents(talk.id, { limit: 1 });
    expect(all).toMatchObject({ last_read_seq: newest, unread_count: 0, unread_mention_count: 0 });
    expect((await api.listTalks({ unread: true })).result).toEqual([]);
  });

  it('hands out read frames: the reader’s own with its counts, unsubscribed; others’ in subscribed talks', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const talk = await apiOf(a).createTalk({ name: 'Seen by', participant_ids: [b.id] });
    await apiOf(a).sendMessage(talk.id, { text: 'one', mention_ids: [b.id] });
    const second = await apiOf(a).sendMessage(talk.id, { text: 'two' });
    const own = readsOf(b, 0);
    const watcher = readsOf(a, 1);
    watcher.socket.subscribe(talk.id);
    await Promise.all([own.socket.settled(), watcher.socket.settled()]);

    const state = await apiOf(b).markRead(talk.id, second.seq - 1);
    const expected = { talkId: talk.id, agentId: b.id, lastReadSeq: state.last_read_seq };
    await eventually(() => expect(own.reads).toEqual([{ ...expected, unread: { count: 1, mentionCount: 0 } }]));
    await eventually(() => expect(watcher.reads).toEqual([expected]));
  });
});

/**
 * Read state and mentions (docs/websocket.md, the OpenAPI document): markers that start at the
 * join and only move forward, also when two devices mark at once; unread counts that agree with a
 * recount of the messages after posts, deletes, edits and marks at the same moment on two API
 * replicas; mentions validated, counted and listed; read frames to the talk's subscribers and to
 * every connection of the reader.
 */
import { z } from 'zod';
import { Message, Participant, ReadState, Talk, UnreadSummary } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { connectTestSocket, type Frame, type TestSocket } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk, expectError, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const Page = <T extends z.ZodType>(item: T) => z.object({ result: z.array(item), next_page_token: z.string().nullable() });
const Participants = z.object({ result: z.array(Participant) });
const EventPage = z.object({ result: z.array(z.object({ seq: z.number(), type: z.string() })), last_seq: z.number() });

describe('read state and mentions', () => {
  let stack: Stack;
  let a: TestAgent, b: TestAgent, c: TestAgent, outsider: TestAgent, stranger: TestAgent;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    stack = await startStack('read-state', { apis: 2, gateways: 1 });
    [a, b, c, outsider] = (await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C', 'Outsider'])).agents;
    [stranger] = (await createCustomer(stack.api(), ['Stranger'])).agents;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await stack.stop();
  });

  const api = (replica = 0) => stack.api(replica % stack.apis.length);
  const post = async (agent: TestAgent, talkId: string, body: Record<string, unknown>, replica = 0): Promise<Message> =>
    expectBody(await api(replica).request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, body }), 201, Message);
  const markRead = (agent: TestAgent, talkId: string, body: Record<string, unknown> = {}, replica = 0) =>
    api(replica).request('POST', `/v1.0/talks/${talkId}/read`, { token: agent.token, body });
  const talkOf = async (agent: TestAgent, talkId: string): Promise<Talk> =>
    expectBody(await api().request('GET', `/v1.0/talks/${talkId}`, { token: agent.token }), 200, Talk);
  const lastSeq = async (agent: TestAgent, talkId: string): Promise<number> =>
    expectBody(await api().request('GET', `/v1.0/talks/${talkId}/events?limit=1`, { token: agent.token }), 200, EventPage).last_seq;

  async function connected(agent: TestAgent): Promise<TestSocket> {
    const socket = await connectTestSocket(stack.wsUrl(agent.token));
    sockets.push(socket);
    return socket;
  }

  it('starts a marker at the join, so history from before is not unread, and counts what others post after it', async () => {
    const talk = await createGroupTalk(api(), a, [b]);
    await post(a, talk.id, { text: 'before C joined' });
    const joined = expectBody(await api().request('POST', `/v1.0/talks/${talk.id}/participants`, { token: a.token, body: { agent_id: c.id } }), 201, Participant);
    const joinSeq = await lastSeq(a, talk.id);
    expect(joined.last_read_seq).toBe(joinSeq);
    expect(await talkOf(c, talk.id)).toMatchObject({ last_read_seq: joinSeq, unread_count: 0, unread_mention_count: 0 });

    const root = await post(a, talk.id, { text: 'for everyone' });
    await post(b, talk.id, { text: 'a reply does not count as unread', parent_id: root.id });
    await post(c, talk.id, { text: 'my own does not count' });
    await post(b, talk.id, { text: 'but this does' });
    expect(await talkOf(c, talk.id)).toMatchObject({ last_read_seq: joinSeq, unread_count: 2, unread_mention_count: 0 });
    // Everyone has their own: A reads B's and C's top-level messages, B reads A's (from before C joined too) and C's.
    expect(await talkOf(a, talk.id)).toMatchObject({ unread_count: 2 });
    expect(await talkOf(b, talk.id)).toMatchObject({ unread_count: 3 });
  });

  it('moves a marker to the newest seq by default, never back, and never past the newest', async () => {
    const talk = await createGroupTalk(api(), a, [b]);
    for (const text of ['one', 'two', 'three']) await post(a, talk.id, { text });
    const newest = await lastSeq(a, talk.id);

    const partway = expectBody(await markRead(b, talk.id, { seq: newest - 1 }), 200, ReadState);
    expect(partway).toEqual({ talk_id: talk.id, agent_id: b.id, last_read_seq: newest - 1, unread_count: 1, unread_mention_count: 0 });
    expect(expectBody(await markRead(b, talk.id, { seq: 1 }), 200, ReadState).last_read_seq).toBe(newest - 1);
    expect(expectBody(await markRead(b, talk.id, { seq: newest + 1_000 }), 200, ReadState)).toMatchObject({ last_read_seq: newest, unread_count: 0 });
    expect(expectBody(await markRead(b, talk.id), 200, ReadState).last_read_seq).toBe(newest);
    // Marking read records nothing: the talk's seq is where it was.
    expect(await lastSeq(a, talk.id)).toBe(newest);

    const participants = expectBody(await api().request('GET', `/v1.0/talks/${talk.id}/participants`, { token: a.token }), 200, Participants);
    expect(participants.result.find((p) => p.agent_id === b.id)?.last_read_seq).toBe(newest);
  });

  it('refuses a read of a talk the caller is not an active participant of, and a malformed seq, changing nothing', async () => {
    const talk = await createGroupTalk(api(), a, [b]);
    expectError(await markRead(outsider, talk.id), 404, 'NOT_FOUND');
    expectError(await markRead(stranger, talk.id), 404, 'NOT_FOUND');
    for (const seq of [-1, 1.5, '3', null]) expectError(await markRead(b, talk.id, { seq }), 400, 'INVALID_ARGUMENT');
    const left = expectBody(await api().request('GET', `/v1.0/talks/${talk.id}/participants`, { token: b.token }), 200, Participants);
    const own = left.result.find((p) => p.agent_id === b.id);
    expectBody(await api().request('DELETE', `/v1.0/talks/${talk.id}/participants/${own?.id ?? ''}`, { token: b.token }), 200, Participant);
    expectError(await markRead(b, talk.id), 404, 'NOT_FOUND');
  });

  it('keeps the highest marker when two devices mark at once, many times over, on two replicas', async () => {
    const talk = await createGroupTalk(api(), a, [b]);
    for (let i = 0; i < 30; i += 1) await post(a, talk.id, { text: `m${i}` });
    const newest = await lastSeq(a, talk.id);
    const seqs = Array.from({ length: 40 }, (_, i) => 3 + ((i * 7) % (newest - 3)));
    const answers = await Promise.all(seqs.map((seq, i) => markRead(b, talk.id, { seq }, i)));
    for (const answer of answers) expectBody(answer, 200, ReadState);
    expect((await talkOf(b, talk.id)).last_read_seq).toBe(Math.max(...seqs));
    // Each answer is the marker as it stood after that request: never below what it asked for.
    answers.forEach((answer, i) => expect(ReadState.parse(answer.body).last_read_seq).toBeGreaterThanOrEqual(seqs[i] ?? 0));
  });

  it('keeps counts that agree with a recount of the messages, under posts, deletes, edits and marks at the same moment', async () => {
    const talk = await createGroupTalk(api(), a, [b, c]);
    const early = await Promise.all(Array.from({ length: 12 }, (_, i) => post(i % 2 === 0 ? a : c, talk.id, { text: `early ${i}`, mention_ids: i % 3 === 0 ? [b.id] : [] }, i)));
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 12; i += 1) {
      work.push(post(i % 2 === 0 ? a : c, talk.id, { text: `late ${i}`, mention_ids: i % 4 === 0 ? [b.id] : [] }, i));
      const target = early[i];
      if (target !== undefined && i % 3 !== 2) {
        const author = target.agent_id === a.id ? a : c;
        work.push(
          i % 3 === 0
            ? api(i).request('DELETE', `/v1.0/messages/${target.id}`, { token: author.token })
            : api(i).request('PUT', `/v1.0/messages/${target.id}`, { token: author.token, body: { text: 'edited', mention_ids: [b.id] } }),
        );
      }
      if (i % 4 === 1) work.push(markRead(b, talk.id, { seq: 4 + i * 2 }, i + 1));
    }
    await Promise.all(work);

    // Every message is top-level here, so one page of the talk's messages is all of them.
    const [state, messages] = await Promise.all([talkOf(b, talk.id), api().request('GET', `/v1.0/talks/${talk.id}/messages?page_size=100`, { token: b.token })]);
    const all = expectBody(messages, 200, Page(Message)).result;
    const marker = state.last_read_seq ?? 0;
    const after = all.filter((m) => m.seq > marker && !m.deleted);
    expect({ unread: state.unread_count, mentions: state.unread_mention_count }).toEqual({
      unread: after.filter((m) => m.type === 'normal' && m.parent_id === null && m.agent_id !== b.id).length,
      mentions: after.filter((m) => m.mention_ids.includes(b.id)).length,
    });
    expect(state.unread_count).toBeGreaterThan(0);
  });

  it('validates mentions, counts them for the mentioned agent (replies too), and lists them newest first', async () => {
    const talk = await createGroupTalk(api(), a, [b]);
    const refused = await api().request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'hi', mention_ids: [outsider.id] } });
    expectError(refused, 400, 'INVALID_ARGUMENT');
    expect(JSON.stringify(refused.body)).toContain(outsider.id);
    expectError(await api().request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'hi', mention_ids: [b.id, b.id] } }), 400, 'INVALID_ARGUMENT');
    expectError(await api().request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'hi', mention_ids: ['not-an-id'] } }), 400, 'INVALID_ARGUMENT');
    const tooMany = Array.from({ length: 51 }, () => b.id);
    expectError(await api().request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'hi', mention_ids: tooMany } }), 400, 'INVALID_ARGUMENT');
    expect((await talkOf(b, talk.id)).unread_count).toBe(0);

    const root = await post(a, talk.id, { text: '@B look', mention_ids: [b.id] });
    expect(root.mention_ids).toEqual([b.id]);
    const reply = await post(a, talk.id, { text: '@B and here', parent_id: root.id, mention_ids: [b.id] });
    const plain = await post(a, talk.id, { text: 'no mention' });
    expect(await talkOf(b, talk.id)).toMatchObject({ unread_count: 2, unread_mention_count: 2 });

    const mentions = expectBody(await api().request('GET', '/v1.0/me/mentions?page_size=1', { token: b.token }), 200, Page(Message));
    expect(mentions.result.map((m) => m.id)).toEqual([reply.id]);
    const next = expectBody(await api().request('GET', `/v1.0/me/mentions?page_size=1&page_token=${mentions.next_page_token ?? ''}`, { token: b.token }), 200, Page(Message));
    expect(next.result.map((m) => m.id)).toEqual([root.id]);

    // An edit that takes the mention away, one that adds it, a delete: each counts at once.
    const edited = expectBody(await api().request('PUT', `/v1.0/messages/${root.id}`, { token: a.token, body: { text: 'no longer', mention_ids: [] } }), 200, Message);
    expect(edited.mention_ids).toEqual([]);
    expectBody(await api().request('PUT', `/v1.0/messages/${plain.id}`, { token: a.token, body: { text: '@B now', mention_ids: [b.id] } }), 200, Message);
    expectBody(await api().request('DELETE', `/v1.0/messages/${reply.id}`, { token: a.token }), 200, Message);
    expect(await talkOf(b, talk.id)).toMatchObject({ unread_count: 2, unread_mention_count: 1 });
    const now = expectBody(await api().request('GET', '/v1.0/me/mentions', { token: b.token }), 200, Page(Message));
    expect(now.result.filter((m) => m.talk_id === talk.id).map((m) => m.id)).toEqual([plain.id]);
    // Left out: an edit without mention_ids keeps the mentions as they are.
    expect(expectBody(await api().request('PUT', `/v1.0/messages/${plain.id}`, { token: a.token, body: { text: '@B still' } }), 200, Message).mention_ids).toEqual([b.id]);
  });

  it('filters talks with news, and sums them over the active talks', async () => {
    const [x, y] = (await createCustomer(api(), ['Agent X', 'Agent Y'])).agents;
    const quiet = await createGroupTalk(api(), x, [y], 'quiet');
    const busy = await createGroupTalk(api(), x, [y], 'busy');
    const mentioned = await createGroupTalk(api(), x, [y], 'mentioned');
    await post(x, busy.id, { text: 'one' });
    await post(x, busy.id, { text: 'two' });
    const root = await post(y, mentioned.id, { text: 'mine' });
    await post(x, mentioned.id, { text: 'a reply that mentions Y', parent_id: root.id, mention_ids: [y.id] });

    const unread = expectBody(await api().request('GET', '/v1.0/talks?unread=true&page_size=1', { token: y.token }), 200, Page(Talk));
    const rest = expectBody(await api().request('GET', `/v1.0/talks?unread=true&page_size=1&page_token=${unread.next_page_token ?? ''}`, { token: y.token }), 200, Page(Talk));
    expect([...unread.result, ...rest.result].map((t) => t.id)).toEqual([mentioned.id, busy.id]);
    expect(rest.next_page_token).toBeNull();
    expect(expectBody(await api().request('GET', '/v1.0/me/unread', { token: y.token }), 200, UnreadSummary)).toEqual({ talks: 2, messages: 2, mentions: 1 });
    expectError(await api().request('GET', '/v1.0/talks?unread=yes', { token: y.token }), 400, 'INVALID_ARGUMENT');

    expectBody(await markRead(y, busy.id), 200, ReadState);
    expect(expectBody(await api().request('GET', '/v1.0/me/unread', { token: y.token }), 200, UnreadSummary)).toEqual({ talks: 1, messages: 0, mentions: 1 });
    const all = expectBody(await api().request('GET', '/v1.0/talks', { token: y.token }), 200, Page(Talk));
    expect(all.result.map((t) => t.id)).toEqual(expect.arrayContaining([quiet.id, busy.id, mentioned.id]));
  });

  it('sends a read frame to the talk\'s subscribers without counts, and to every connection of the reader with them', async () => {
    const talk = await createGroupTalk(api(), a, [b]);
    await post(a, talk.id, { text: 'hello' });
    const isRead = (frame: Frame) => frame.type === 'read' && frame['talk_id'] === talk.id;
    const subscriber = await connected(a);
    subscriber.send({ type: 'subscribe', talk_id: talk.id });
    await subscriber.next((frame) => frame.type === 'subscribed');
    const readerElsewhere = await connected(b); // not subscribed to the talk
    await readerElsewhere.roundTrip();

    const state = expectBody(await markRead(b, talk.id), 200, ReadState);
    expect(await subscriber.next(isRead)).toEqual({ type: 'read', talk_id: talk.id, agent_id: b.id, last_read_seq: state.last_read_seq });
    expect(await readerElsewhere.next(isRead)).toEqual({
      type: 'read', talk_id: talk.id, agent_id: b.id, last_read_seq: state.last_read_seq, unread_count: 0, unread_mention_count: 0,
    });

    // A marker that does not move sends nothing; a read is not an event of the talk.
    expectBody(await markRead(b, talk.id, { seq: 1 }), 200, ReadState);
    await post(a, talk.id, { text: 'after' });
    await subscriber.next((frame) => frame.type === 'event');
    await readerElsewhere.roundTrip();
    expect(subscriber.all(isRead)).toHaveLength(1);
    expect(readerElsewhere.all(isRead)).toHaveLength(1);
  });
});

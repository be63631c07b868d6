/**
 * The product overview's "Common Scenarios", end to end through the load balancer: nginx in front
 * of two API replicas, two gateways and a notifier. Every REST call and every WebSocket goes
 * through the front door. Each participant listens on its own socket, and each socket must receive
 * its talk's change stream exactly as the event log records it: every event once, in seq order.
 */
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { Message, Participant, Talk } from '@talk/shared/schemas';
import { eventually } from '@talk/shared/testing/eventually';
import { expectBody } from '@talk/shared/testing/rest-client';
import { connectTestSocket, eventOf, eventWhere, isEvent, type Frame, type TestSocket } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk, expectError, type TestAgent } from './support/fixtures';
import { nginxBinary, startFrontDoor, type FrontDoor } from './support/front-door';
import { startStack, type Stack } from './support/stack';

const Events = z.object({ result: z.array(TalkChangeEvent), last_seq: z.number() });
const MessagePage = z.object({ result: z.array(Message), next_page_token: z.string().nullable() });
const Subscribed = z.object({ type: z.literal('subscribed'), talk_id: z.string(), last_seq: z.number() });

type Match = (frame: Frame) => boolean;

/** One participant's socket, subscribed to a talk: it must receive every event of the talk after `after`. */
interface Listener {
  readonly socket: TestSocket;
  readonly after: number;
}
type Room = Map<TestAgent, Listener>;

const created = (message: Message): Match => eventWhere((e) => e.type === 'message_created' && e.data.id === message.id);
const reacted = (message: Message, agent: TestAgent, emoji: string): Match =>
  eventWhere((e) => e.type === 'reaction_added' && e.data.message_id === message.id && e.data.agent_id === agent.id && e.data.emoji === emoji);
const joined = (talkId: string, agent: TestAgent): Match =>
  eventWhere((e) => e.type === 'participant_joined' && e.talk_id === talkId && e.data.agent_id === agent.id);
const systemMessage = (talkId: string, text: string): Match =>
  eventWhere((e) => e.type === 'message_created' && e.talk_id === talkId && e.data.type === 'system' && e.data.agent_id === null && e.data.text === text);
const eventsOf = (talkId: string): Match => eventWhere((e) => e.talk_id === talkId);
/** A short, readable name of an event for order assertions: a message's text, or the event type. */
const describeEvent = (event: TalkChangeEvent): string => {
  if (event.type === 'message_created') return event.data.text;
  if (event.type === 'reaction_added') return `reaction_added ${event.data.emoji}`;
  return event.type;
};
const seqsFrom1To = (last: number): number[] => Array.from({ length: last }, (_, i) => i + 1);

/** Resolves once the socket has received a matching frame (it may already have). */
async function receive(socket: TestSocket, match: Match): Promise<void> {
  if (socket.all(match).length === 0) await socket.next(match, 10_000);
}

/** Waits until every socket of the room has received every one of these events. */
async function everyoneReceives(room: Room, ...matches: Match[]): Promise<void> {
  await Promise.all(
    [...room.values()].map(async ({ socket }) => {
      for (const match of matches) await receive(socket, match);
    }),
  );
}

function listenerOf(room: Room, agent: TestAgent): Listener {
  const listener = room.get(agent);
  if (listener === undefined) throw new Error(`${agent.name} has no socket in this room`);
  return listener;
}

/** Each of these agents' sockets received each of these events exactly once. */
function expectEachOnce(room: Room, agents: readonly TestAgent[], expected: Readonly<Record<string, Match>>): void {
  for (const agent of agents) {
    const { socket } = listenerOf(room, agent);
    for (const [event, match] of Object.entries(expected)) {
      expect({ agent: agent.name, event, times: socket.all(match).length }).toEqual({ agent: agent.name, event, times: 1 });
    }
  }
}

/**
 * Each socket received exactly the log's events after its subscription point: once each, in seq
 * order, with the same content. Waits for the log's last event on each socket, then for a pong,
 * so that anything delivered after it (a duplicate) would have arrived too.
 */
async function expectStreamsMatchLog(room: Room, talkId: string, log: readonly TalkChangeEvent[]): Promise<void> {
  const last = log.at(-1)?.seq ?? 0;
  for (const [agent, { socket, after }] of room) {
    await receive(socket, eventWhere((e) => e.talk_id === talkId && e.seq === last));
    await socket.roundTrip();
    const received = socket.all(eventsOf(talkId)).map(eventOf);
    const expected = log.filter((e) => e.seq > after);
    expect({ agent: agent.name, seqs: received.map((e) => e.seq) }).toEqual({ agent: agent.name, seqs: expected.map((e) => e.seq) });
    expect(received).toEqual(expected);
  }
}

const withNginx = nginxBinary === undefined ? describe.skip : describe;
const title =
  nginxBinary === undefined
    ? 'Common Scenarios through the load balancer (SKIPPED: nginx is not installed; CI installs it)'
    : `Common Scenarios through the load balancer (nginx: ${nginxBinary})`;

withNginx(title, () => {
  let stack: Stack;
  let front: FrontDoor;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    stack = await startStack('scenarios', { apis: 2, gateways: 2, notifiers: 1 });
    front = await startFrontDoor(stack);
  });

  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await front.stop();
    await stack.stop();
  });

  const call = (agent: TestAgent, method: string, path: string, body?: unknown) =>
    front.rest.request(method, `/v1.0${path}`, { token: agent.token, ...(body === undefined ? {} : { body }) });
  const post = async (agent: TestAgent, talkId: string, body: { text: string; parent_id?: string }): Promise<Message> =>
    expectBody(await call(agent, 'POST', `/talks/${talkId}/messages`, body), 201, Message);
  const react = (agent: TestAgent, message: Message, emoji: string) => call(agent, 'POST', `/messages/${message.id}/reactions`, { emoji });

  /** A socket through the front door whose membership notices already flow (a pong proves it). */
  async function connect(agent: TestAgent): Promise<TestSocket> {
    const socket = await connectTestSocket(front.wsUrl(agent.token));
    sockets.push(socket);
    await socket.roundTrip();
    return socket;
  }

  /** Subscribes and resolves with the `last_seq` the gateway answered. */
  async function subscribe(socket: TestSocket, talkId: string, afterSeq?: number): Promise<number> {
    socket.send({ type: 'subscribe', talk_id: talkId, ...(afterSeq === undefined ? {} : { after_seq: afterSeq }) });
    const frame = await socket.next((f) => f.type === 'subscribed' && f['talk_id'] === talkId);
    return Subscribed.parse(frame).last_seq;
  }

  /** One socket per agent, each subscribed to the talk; each must then receive every event after its `last_seq`. */
  async function subscribeAll(agents: readonly TestAgent[], talkId: string): Promise<Room> {
    const entries = await Promise.all(
      agents.map(async (agent): Promise<[TestAgent, Listener]> => {
        const socket = await connect(agent);
        return [agent, { socket, after: await subscribe(socket, talkId) }];
      }),
    );
    return new Map(entries);
  }

  /**
   * The talk's event log once the notifier has caught up (one system message per participant
   * event), checked to be numbered 1..N without gaps.
   */
  async function settledLog(reader: TestAgent, talkId: string): Promise<TalkChangeEvent[]> {
    const { result, last_seq: lastSeq } = await eventually(async () => {
      const page = expectBody(await call(reader, 'GET', `/talks/${talkId}/events?limit=1000`), 200, Events);
      const changes = page.result.filter((e) => e.type === 'participant_joined' || e.type === 'participant_left').length;
      const notes = page.result.filter((e) => e.type === 'message_created' && e.data.type === 'system').length;
      if (notes < changes) throw new Error(`the notifier has written ${notes} of ${changes} system messages`);
      return page;
    }, 10_000);
    expect(result.map((e) => e.seq)).toEqual(seqsFrom1To(lastSeq));
    const changes = result.filter((e) => e.type === 'participant_joined' || e.type === 'participant_left');
    const notes = result.filter((e) => e.type === 'message_created' && e.data.type === 'system');
    expect(notes).toHaveLength(changes.length);
    return result;
  }

  it('Scenario 1, team project discussion: a group talk, reactions, an agent added late, and a thread', async () => {
    const [a, b, c, d] = (await createCustomer(front.rest, ['Agent A', 'Agent B', 'Agent C', 'Agent D'])).agents;
    const talk = await createGroupTalk(front.rest, a, [b, c], 'Q1 Project');
    expect(talk).toMatchObject({ name: 'Q1 Project', type: 'group', status: 'active', participant_count: 3 });
    const room = await subscribeAll([a, b, c], talk.id);
    const socketD = await connect(d);

    const root = await post(a, talk.id, { text: 'Sprint 1 completed!' });
    await everyoneReceives(room, created(root));
    expectBody(await react(b, root, '🎉'), 201, Message);
    expectBody(await react(c, root, 'thumbsup'), 201, Message);
    await everyoneReceives(room, reacted(root, b, '🎉'), reacted(root, c, 'thumbsup'));

    // D is told of its own addition without subscribing, then subscribes from that event on.
    const added = expectBody(await call(a, 'POST', `/talks/${talk.id}/participants`, { agent_id: d.id }), 201, Participant);
    const notice = eventOf(await socketD.next(joined(talk.id, d), 10_000));
    expect(notice.data).toMatchObject({ id: added.id, agent_id: d.id, reason: 'added', status: 'active' });
    await subscribe(socketD, talk.id, notice.seq);
    room.set(d, { socket: socketD, after: notice.seq - 1 });
    const welcomeD = systemMessage(talk.id, 'Agent D joined the conversation.');
    await everyoneReceives(room, joined(talk.id, d), welcomeD);

    const reply = await post(b, talk.id, { text: "Great work! What's next?", parent_id: root.id });
    const replyToReply = await post(c, talk.id, { text: 'Sprint 2 planning on Monday.', parent_id: reply.id });
    expect(reply.parent_id).toBe(root.id);
    expect(replyToReply.parent_id).toBe(root.id);
    await everyoneReceives(room, created(reply), created(replyToReply));

    const shown = expectBody(await call(d, 'GET', `/messages/${root.id}`), 200, Message);
    expect(shown).toMatchObject({ reply_count: 2, last_reply_at: replyToReply.tm_create });
    expect(shown.reactions).toEqual([
      { emoji: '🎉', count: 1, agent_ids: [b.id] },
      { emoji: 'thumbsup', count: 1, agent_ids: [c.id] },
    ]);

    const log = await settledLog(a, talk.id);
    const topLevelNewestFirst = log
      .flatMap((e) => (e.type === 'message_created' && e.data.parent_id === null ? [e.data.id] : []))
      .reverse();
    const listed = expectBody(await call(b, 'GET', `/talks/${talk.id}/messages`), 200, MessagePage);
    expect(listed.result.map((m) => m.id)).toEqual(topLevelNewestFirst);
    expect(listed.result.map((m) => m.id)).toContain(root.id);
    expect(listed.result.filter((m) => m.parent_id !== null)).toEqual([]);
    const thread = expectBody(await call(c, 'GET', `/messages/${root.id}/replies`), 200, MessagePage);
    expect(thread.result.map((m) => m.id)).toEqual([reply.id, replyToReply.id]);

    await expectStreamsMatchLog(room, talk.id, log);
    const afterD = {
      'participant_joined of D': joined(talk.id, d),
      'system message "Agent D joined the conversation."': welcomeD,
      "message_created \"Great work! What's next?\"": created(reply),
      'message_created of the reply to the reply': created(replyToReply),
    };
    expectEachOnce(room, [a, b, c], {
      'message_created "Sprint 1 completed!"': created(root),
      'reaction_added 🎉 by B': reacted(root, b, '🎉'),
      'reaction_added thumbsup by C': reacted(root, c, 'thumbsup'),
      ...afterD,
    });
    expectEachOnce(room, [d], afterD);
  });

  it('Scenario 2, quick decision: concurrent reactions count a poll 3–1, and a repeated vote changes nothing', async () => {
    const [a, b, c, d, e] = (await createCustomer(front.rest, ['Agent A', 'Agent B', 'Agent C', 'Agent D', 'Agent E'])).agents;
    const talk = await createGroupTalk(front.rest, a, [b, c, d, e], 'Deploy decision');
    const room = await subscribeAll([a, b, c, d, e], talk.id);

    const poll = await post(a, talk.id, { text: 'Should we deploy today? 👍 for yes, 👎 for no' });
    const votes = await Promise.all([react(b, poll, '👍'), react(c, poll, '👍'), react(d, poll, '👍'), react(e, poll, '👎')]);
    for (const vote of votes) expectBody(vote, 201, Message);
    const ballots = {
      '👍 by B': reacted(poll, b, '👍'),
      '👍 by C': reacted(poll, c, '👍'),
      '👍 by D': reacted(poll, d, '👍'),
      '👎 by E': reacted(poll, e, '👎'),
    };
    await everyoneReceives(room, created(poll), ...Object.values(ballots));

    const counted = expectBody(await call(a, 'GET', `/messages/${poll.id}`), 200, Message);
    expect(Object.fromEntries(counted.reactions.map((r) => [r.emoji, r.count]))).toEqual({ '👍': 3, '👎': 1 });
    expect([...(counted.reactions.find((r) => r.emoji === '👍')?.agent_ids ?? [])].sort()).toEqual([b.id, c.id, d.id].sort());
    expect(counted.reactions.find((r) => r.emoji === '👎')?.agent_ids).toEqual([e.id]);

    const log = await settledLog(a, talk.id);
    const again = expectBody(await react(b, poll, '👍'), 200, Message);
    expect(again.reactions).toEqual(counted.reactions);
    expect(expectBody(await call(a, 'GET', `/talks/${talk.id}/events?after_seq=${log.at(-1)?.seq ?? 0}`), 200, Events).result).toEqual([]);

    await expectStreamsMatchLog(room, talk.id, log);
    const anyReactionToPoll = eventWhere((ev) => ev.type === 'reaction_added' && ev.data.message_id === poll.id);
    for (const [agent, { socket }] of room) {
      expect({ agent: agent.name, reactions: socket.all(anyReactionToPoll).length }).toEqual({ agent: agent.name, reactions: 4 });
    }
    expectEachOnce(room, [a, b, c, d, e], { 'message_created of the poll': created(poll), ...ballots });
  });

  it('Scenario 3, support escalation: a thread under a message, a reaction, then the talk closes and stays readable', async () => {
    const [a, b] = (await createCustomer(front.rest, ['Agent A', 'Agent B'])).agents;
    const talk = await createGroupTalk(front.rest, a, [b], 'Customer Issue #12345');
    expect(talk).toMatchObject({ name: 'Customer Issue #12345', type: 'group' });
    const room = await subscribeAll([a, b], talk.id);

    const report = await post(a, talk.id, { text: 'Customer reporting payment failure' });
    const check = await post(b, talk.id, { text: 'Let me check the logs' });
    const found = await post(b, talk.id, { text: 'Found it - gateway timeout', parent_id: check.id });
    const retrying = await post(b, talk.id, { text: 'Retrying the transaction', parent_id: check.id });
    const confirmed = await post(a, talk.id, { text: 'Customer confirmed it works now' });
    expectBody(await react(b, confirmed, '👍'), 201, Message);

    const closed = expectBody(await call(a, 'POST', `/talks/${talk.id}/close`), 200, Talk);
    expect(closed.status).toBe('closed');
    await everyoneReceives(room, isEvent('talk_closed', talk.id));
    expectError(await call(b, 'POST', `/talks/${talk.id}/messages`, { text: 'One more thing' }), 409, 'TALK_CLOSED');

    for (const reader of [a, b]) {
      const listed = expectBody(await call(reader, 'GET', `/talks/${talk.id}/messages`), 200, MessagePage);
      expect(listed.result.filter((m) => m.type === 'normal').map((m) => m.id)).toEqual([confirmed.id, check.id, report.id]);
      expect(listed.result.find((m) => m.id === check.id)).toMatchObject({ reply_count: 2, last_reply_at: retrying.tm_create });
      expect(listed.result.find((m) => m.id === confirmed.id)?.reactions).toEqual([{ emoji: '👍', count: 1, agent_ids: [b.id] }]);
      const thread = expectBody(await call(reader, 'GET', `/messages/${check.id}/replies`), 200, MessagePage);
      expect(thread.result.map((m) => m.id)).toEqual([found.id, retrying.id]);
    }

    const log = await settledLog(a, talk.id);
    await expectStreamsMatchLog(room, talk.id, log);
    const story = [created(report), created(check), created(found), created(retrying), created(confirmed), reacted(confirmed, b, '👍'), isEvent('talk_closed', talk.id)];
    for (const [agent, { socket }] of room) {
      const seen = socket.all((frame) => story.some((match) => match(frame))).map(eventOf);
      expect({ agent: agent.name, seen: seen.map(describeEvent) }).toEqual({
        agent: agent.name,
        seen: [
          'Customer reporting payment failure',
          'Let me check the logs',
          'Found it - gateway timeout',
          'Retrying the transaction',
          'Customer confirmed it works now',
          'reaction_added 👍',
          'talk_closed',
        ],
      });
      const seqs = seen.map((event) => event.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    expectEachOnce(room, [a, b], {
      'message_created "Customer reporting payment failure"': created(report),
      'message_created "Let me check the logs"': created(check),
      'message_created "Found it - gateway timeout"': created(found),
      'message_created "Retrying the transaction"': created(retrying),
      'message_created "Customer confirmed it works now"': created(confirmed),
      'reaction_added 👍 by B': reacted(confirmed, b, '👍'),
      talk_closed: isEvent('talk_closed', talk.id),
    });
  });
});

/**
 * Typing (docs/websocket.md): forwarded to every other subscriber of the talk on any gateway over
 * core NATS, at most once per agent and talk per 2 s, never to the typist's own connections, never
 * recorded; refused to an agent that is not an active participant.
 */
import { z } from 'zod';
import { expectBody } from '@talk/shared/testing/rest-client';
import { connectTestSocket, type Frame, type TestSocket } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const EventPage = z.object({ result: z.array(z.object({ type: z.string() })), last_seq: z.number() });
const isTypingIn = (talkId: string) => (frame: Frame) => frame.type === 'typing' && frame['talk_id'] === talkId;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('typing', () => {
  let stack: Stack;
  let a: TestAgent, b: TestAgent, c: TestAgent, outsider: TestAgent;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    stack = await startStack('typing', { gateways: 2 });
    [a, b, c, outsider] = (await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C', 'Outsider'])).agents;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await stack.stop();
  });

  async function subscribed(agent: TestAgent, gateway: number, talkId: string): Promise<TestSocket> {
    const socket = await connectTestSocket(stack.wsUrl(agent.token, gateway));
    sockets.push(socket);
    socket.send({ type: 'subscribe', talk_id: talkId });
    await socket.next((frame) => frame.type === 'subscribed');
    return socket;
  }

  it("reaches the talk's other subscribers on both gateways, and none of the typist's own connections", async () => {
    const talk = await createGroupTalk(stack.api(), a, [b, c]);
    const typist = await subscribed(a, 0, talk.id);
    const typistElsewhere = await subscribed(a, 1, talk.id);
    const sameGateway = await subscribed(b, 0, talk.id);
    const otherGateway = await subscribed(c, 1, talk.id);
    typist.send({ type: 'typing', talk_id: talk.id });
    for (const socket of [sameGateway, otherGateway]) {
      expect(await socket.next(isTypingIn(talk.id), 2_000)).toEqual({ type: 'typing', talk_id: talk.id, agent_id: a.id });
    }
    // A gateway hands a typing frame to all its connections at once: what the typist's own were
    // sent came before the answer to a ping sent now.
    await Promise.all([typist.roundTrip(), typistElsewhere.roundTrip()]);
    expect(typist.all(isTypingIn(talk.id))).toEqual([]);
    expect(typistElsewhere.all(isTypingIn(talk.id))).toEqual([]);
  });

  it('forwards one typing frame per agent and talk per 2 s, also when the agent types on two gateways at once', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b, c, outsider]);
    const typistHere = await subscribed(a, 0, talk.id);
    const typistThere = await subscribed(a, 1, talk.id);
    const watcher = await subscribed(b, 0, talk.id);
    const markerHere = await subscribed(outsider, 0, talk.id);
    const markerThere = await subscribed(c, 1, talk.id);
    const isTypingOf = (agent: TestAgent) => (frame: Frame) => isTypingIn(talk.id)(frame) && frame['agent_id'] === agent.id;
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) {
      typistHere.send({ type: 'typing', talk_id: talk.id });
      typistThere.send({ type: 'typing', talk_id: talk.id });
    }
    // Both gateways have published what they let through; a marker typed after it on each
    // gateway reaches the watcher after it (NATS keeps a publisher's order).
    await Promise.all([typistHere.roundTrip(), typistThere.roundTrip()]);
    markerHere.send({ type: 'typing', talk_id: talk.id });
    markerThere.send({ type: 'typing', talk_id: talk.id });
    await watcher.next(isTypingOf(outsider), 2_000);
    await watcher.next(isTypingOf(c), 2_000);
    await watcher.next(isTypingOf(a), 2_000);
    expect(watcher.all(isTypingOf(a))).toHaveLength(1);
    // The window is time: waiting for it to pass is what is tested here.
    await sleep(2_100 - (Date.now() - started));
    typistThere.send({ type: 'typing', talk_id: talk.id });
    await watcher.next(isTypingOf(a), 2_000);
    expect(watcher.all(isTypingOf(a))).toHaveLength(2);
  });

  it('is sent by a participant that is not subscribed to the talk, and reaches no connection that is not', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const typist = await connectTestSocket(stack.wsUrl(a.token, 1));
    sockets.push(typist);
    const notSubscribed = await connectTestSocket(stack.wsUrl(b.token, 0));
    sockets.push(notSubscribed);
    const watcher = await subscribed(b, 0, talk.id);
    typist.send({ type: 'typing', talk_id: talk.id });
    await watcher.next(isTypingIn(talk.id), 2_000);
    await notSubscribed.roundTrip();
    expect(notSubscribed.all(isTypingIn(talk.id))).toEqual([]);
    expect(typist.all((frame) => frame.type === 'error')).toEqual([]);
  });

  it('answers an error frame to an agent that is not an active participant, and forwards nothing', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const watcher = await subscribed(b, 0, talk.id);
    const marker = await subscribed(a, 0, talk.id);
    const intruder = await connectTestSocket(stack.wsUrl(outsider.token, 0));
    sockets.push(intruder);
    intruder.send({ type: 'typing', talk_id: talk.id });
    expect(await intruder.next((frame) => frame.type === 'error')).toMatchObject({ code: 'NOT_FOUND', ref: { type: 'typing', talk_id: talk.id } });
    intruder.send({ type: 'typing', talk_id: 'not-a-uuid' });
    expect(await intruder.next((frame) => frame.type === 'error')).toMatchObject({ code: 'INVALID_ARGUMENT' });
    // A participant's typing on the same gateway, after the refusals, comes after anything they let out.
    marker.send({ type: 'typing', talk_id: talk.id });
    await watcher.next(isTypingIn(talk.id), 2_000);
    expect(watcher.all(isTypingIn(talk.id)).map((frame) => frame['agent_id'])).toEqual([a.id]);
  });

  it('is never recorded: the talk has no event and no seq more', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const before = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/events`, { token: a.token }), 200, EventPage);
    const typist = await subscribed(a, 0, talk.id);
    const watcher = await subscribed(b, 1, talk.id);
    typist.send({ type: 'typing', talk_id: talk.id });
    await watcher.next(isTypingIn(talk.id), 2_000);
    const after = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/events`, { token: a.token }), 200, EventPage);
    expect(after.last_seq).toBe(before.last_seq);
    expect(after.result.map((event) => event.type)).not.toContain('typing');
  });
});

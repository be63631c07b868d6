/**
 * Read state, mentions, typing and presence (section 8 of the contract) end to end through the load
 * balancer: nginx in front of two API replicas and two gateways, every call and socket through the
 * front door, as a client written from docs/websocket.md and the OpenAPI document would use them.
 */
import { z } from 'zod';
import { Message, Participant, Presence, ReadState, Talk, UnreadSummary } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { connectTestSocket, type Frame, type TestSocket } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk, type TestAgent } from './support/fixtures';
import { nginxBinary, startFrontDoor, type FrontDoor } from './support/front-door';
import { startStack, type Stack } from './support/stack';

const Participants = z.object({ result: z.array(Participant) });
const Presences = z.object({ result: z.array(Presence) });

const describeWithNginx = nginxBinary === undefined ? describe.skip : describe;

describeWithNginx('section 8 through the front door', () => {
  let stack: Stack;
  let front: FrontDoor;
  let a: TestAgent, b: TestAgent;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    stack = await startStack('section8', { apis: 2, gateways: 2 });
    front = await startFrontDoor(stack);
    [a, b] = (await createCustomer(front.rest, ['Agent A', 'Agent B'])).agents;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await front.stop();
    await stack.stop();
  });

  const call = (agent: TestAgent, method: string, path: string, body?: unknown) =>
    front.rest.request(method, `/v1.0${path}`, { token: agent.token, ...(body === undefined ? {} : { body }) });

  async function subscribed(agent: TestAgent, talkId: string): Promise<TestSocket> {
    const socket = await connectTestSocket(front.wsUrl(agent.token));
    sockets.push(socket);
    socket.send({ type: 'subscribe', talk_id: talkId });
    await socket.next((frame) => frame.type === 'subscribed' && frame['talk_id'] === talkId);
    return socket;
  }

  it('A types and B sees it; A mentions B, B reads, and A sees the receipt in its frames and in the participant list', async () => {
    const talk = await createGroupTalk(front.rest, a, [b]);
    const [atA, atB] = [await subscribed(a, talk.id), await subscribed(b, talk.id)];

    atA.send({ type: 'typing', talk_id: talk.id });
    expect(await atB.next((frame) => frame.type === 'typing')).toEqual({ type: 'typing', talk_id: talk.id, agent_id: a.id });

    const sent = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: '@B can you look?', mention_ids: [b.id] }), 201, Message);
    await atB.next((frame) => frame.type === 'event');
    expect(expectBody(await call(b, 'GET', `/talks/${talk.id}`), 200, Talk)).toMatchObject({ unread_count: 1, unread_mention_count: 1 });
    expect(expectBody(await call(b, 'GET', '/me/unread'), 200, UnreadSummary)).toEqual({ talks: 1, messages: 1, mentions: 1 });

    const read = expectBody(await call(b, 'POST', `/talks/${talk.id}/read`, {}), 200, ReadState);
    expect(read).toEqual({ talk_id: talk.id, agent_id: b.id, last_read_seq: sent.seq, unread_count: 0, unread_mention_count: 0 });
    const isRead = (frame: Frame) => frame.type === 'read' && frame['agent_id'] === b.id;
    expect(await atA.next(isRead)).toEqual({ type: 'read', talk_id: talk.id, agent_id: b.id, last_read_seq: sent.seq });
    expect(await atB.next(isRead)).toEqual({ type: 'read', talk_id: talk.id, agent_id: b.id, last_read_seq: sent.seq, unread_count: 0, unread_mention_count: 0 });

    const participants = expectBody(await call(a, 'GET', `/talks/${talk.id}/participants`), 200, Participants);
    expect(participants.result.find((p) => p.agent_id === b.id)?.last_read_seq).toBe(sent.seq);
    expect(expectBody(await call(b, 'GET', '/me/unread'), 200, UnreadSummary)).toEqual({ talks: 0, messages: 0, mentions: 0 });
  });

  it("shows A online to B while A has a connection, on any gateway, and offline once A's last one closes", async () => {
    // Agents of their own: the sockets of the test above stay open until the end.
    const [typist, follower] = (await createCustomer(front.rest, ['Agent A', 'Agent B'])).agents;
    const isPresence = (status: string) => (frame: Frame) => frame.type === 'presence' && frame['agent_id'] === typist.id && frame['status'] === status;
    const watcher = await connectTestSocket(front.wsUrl(follower.token));
    sockets.push(watcher);
    const [first, second] = [await connectTestSocket(front.wsUrl(typist.token)), await connectTestSocket(front.wsUrl(typist.token))];
    await Promise.all([first.roundTrip(), second.roundTrip()]);
    watcher.send({ type: 'presence_subscribe', agent_ids: [typist.id] });
    expect(await watcher.next((frame) => frame.type === 'presence')).toMatchObject({ agent_id: typist.id, status: 'online' });
    expect(expectBody(await call(follower, 'GET', `/presence?agent_ids=${typist.id}`), 200, Presences).result).toMatchObject([{ agent_id: typist.id, status: 'online' }]);

    await first.close();
    await second.roundTrip();
    await watcher.roundTrip();
    expect(watcher.all(isPresence('offline'))).toEqual([]);
    await second.close();
    await watcher.next(isPresence('offline'), 25_000);
    expect(expectBody(await call(follower, 'GET', `/presence?agent_ids=${typist.id}`), 200, Presences).result).toMatchObject([{ agent_id: typist.id, status: 'offline' }]);
  });
});

/**
 * The whole pipeline across replicas: two API replicas, two gateways, a notifier. Agents on
 * different gateways see each other's messages, and a new participant's join reaches everyone
 * once, followed by the notifier's system message.
 */
import { Message, Participant } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { connectTestSocket, eventOf, eventWhere, type TestSocket } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk, type TestCustomer } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

describe('Talk end to end across replicas', () => {
  let stack: Stack;
  let acme: TestCustomer<readonly ['Agent A', 'Agent B', 'Agent C']>;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    stack = await startStack('pipeline', { apis: 2, gateways: 2, notifiers: 1 });
    acme = await createCustomer(stack.api(0), ['Agent A', 'Agent B', 'Agent C']);
  });

  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await stack.stop();
  });

  async function connect(token: string, gateway: number): Promise<TestSocket> {
    const socket = await connectTestSocket(stack.wsUrl(token, gateway));
    sockets.push(socket);
    await socket.roundTrip();
    return socket;
  }

  it('delivers a message posted on one API replica to an agent on another gateway, and a join with its system message to everyone once', async () => {
    const [a, b, c] = acme.agents;
    const talk = await createGroupTalk(stack.api(0), a, [b]);

    const socketA = await connect(a.token, 0);
    const socketB = await connect(b.token, 1);
    const socketC = await connect(c.token, 1);
    socketA.send({ type: 'subscribe', talk_id: talk.id });
    socketB.send({ type: 'subscribe', talk_id: talk.id });
    await socketA.next((f) => f.type === 'subscribed');
    await socketB.next((f) => f.type === 'subscribed');

    const posted = expectBody(
      await stack.api(1).request('POST', `/v1.0/talks/${talk.id}/messages`, { token: b.token, body: { text: 'Sprint 1 completed!' } }),
      201,
      Message,
    );
    // The notifier's "joined" system messages are message_created events too, and may come first.
    const received = eventOf(await socketA.next(eventWhere((event) => event.type === 'message_created' && event.data.id === posted.id)));
    expect(received.seq).toBe(posted.seq);
    expect(received.data).toEqual(posted);

    const added = expectBody(
      await stack.api(0).request('POST', `/v1.0/talks/${talk.id}/participants`, { token: a.token, body: { agent_id: c.id } }),
      201,
      Participant,
    );
    const joinedOfC = eventWhere(
      (event) => event.type === 'participant_joined' && event.talk_id === talk.id && event.data.agent_id === c.id,
    );
    const systemMessage = eventWhere(
      (event) =>
        event.type === 'message_created' &&
        event.talk_id === talk.id &&
        event.data.type === 'system' &&
        event.data.agent_id === null &&
        event.data.text === 'Agent C joined the conversation.',
    );

    const noticeToC = eventOf(await socketC.next(joinedOfC));
    expect(noticeToC.data).toMatchObject({ id: added.id, reason: 'added', status: 'active' });
    await socketB.next(joinedOfC);
    await socketB.next(systemMessage);
    await socketA.next(systemMessage);

    // C was told of the join without subscribing; subscribing after that event replays the rest.
    socketC.send({ type: 'subscribe', talk_id: talk.id, after_seq: noticeToC.seq });
    await socketC.next(systemMessage);

    await Promise.all([socketA, socketB, socketC].map((socket) => socket.roundTrip()));
    for (const socket of [socketA, socketB, socketC]) {
      expect(socket.all(joinedOfC)).toHaveLength(1);
      expect(socket.all(systemMessage)).toHaveLength(1);
    }
  });
});

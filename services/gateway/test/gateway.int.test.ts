/** The WebSocket protocol against real servers: auth, frames, membership and fan-out. */
import WebSocket from 'ws';
import { Message, Participant } from '@talk/shared/schemas';
import { eventually } from '@talk/shared/testing/eventually';
import { expectBody, restClient } from '@talk/shared/testing/rest-client';
import { connectTestSocket, eventOf, eventWhere, isEvent, type TestSocket } from '@talk/shared/testing/ws-client';
import { z } from 'zod';
import { createCustomer, createGroupTalk, type TestAgent } from '../../../test/support/fixtures';
import { issueToken, verifyToken } from '@talk/shared/tokens';
import { JWT_SECRET, launchApi, launchGateway, stackEnv, startStack, type Stack } from '../../../test/support/stack';
import { MongoClient } from 'mongodb';
import { newId } from '@talk/shared/ids';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { messageCreatedDraft, newMessage } from '@talk/decisions/drafts';
import { createStore } from '@talk/store/store';

describe('gateway', () => {
  let stack: Stack;
  let a: TestAgent, b: TestAgent, c: TestAgent, stranger: TestAgent;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    stack = await startStack('gateway', { gateways: 1 });
    const acme = await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C']);
    const globex = await createCustomer(stack.api(), ['Stranger']);
    [a, b, c] = acme.agents;
    [stranger] = globex.agents;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await stack.stop();
  });

  async function connect(agent: TestAgent): Promise<TestSocket> {
    const socket = await connectTestSocket(stack.wsUrl(agent.token));
    sockets.push(socket);
    await socket.roundTrip();
    return socket;
  }

  const post = (agent: TestAgent, talkId: string, text: string) =>
    stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, body: { text } });

  it('closes a connection with a bad or missing token with 4001', async () => {
    for (const url of [stack.wsUrl('not-a-token'), stack.wsUrl('').replace('?token=', '')]) {
      const socket = await connectTestSocket(url);
      expect(await socket.closed()).toMatchObject({ code: 4001 });
    }
  });

  it('answers bad frames with error frames and keeps the socket open', async () => {
    const socket = await connect(a);
    socket.sendRaw('not json');
    socket.send({ type: 'publish', talk_id: 'x' });
    socket.send({ type: 'subscribe', talk_id: 'not-a-uuid' });
    socket.send({ type: 'subscribe' });
    const errors = [
      await socket.next((f) => f.type === 'error'),
      await socket.next((f) => f.type === 'error'),
      await socket.next((f) => f.type === 'error'),
      await socket.next((f) => f.type === 'error'),
    ];
    expect(errors.map((e) => e['code'])).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
    expect(errors[0]).not.toHaveProperty('ref');
    expect(errors[1]?.['ref']).toEqual({ type: 'publish', talk_id: 'x' });
    expect(errors[2]?.['ref']).toEqual({ type: 'subscribe', talk_id: 'not-a-uuid' });
    await socket.roundTrip();
  });

  it('refuses subscriptions to talks the agent is not in, also of other customers, as NOT_FOUND', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    for (const agent of [c, stranger]) {
      const socket = await connect(agent);
      socket.send({ type: 'subscribe', talk_id: talk.id });
      const error = await socket.next((f) => f.type === 'error');
      expect(error).toMatchObject({ code: 'NOT_FOUND', ref: { type: 'subscribe', talk_id: talk.id } });
    }
    expectBody(await post(a, talk.id, 'private'), 201, Message);
  });

  it('fans one NATS subscription per talk out to every subscribed connection, in seq order, once each', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const before = stack.gateways[0]?.talkSubscriptionCount() ?? 0;
    const socketA = await connect(a);
    const socketB = await connect(b);
    const socketB2 = await connect(b);
    for (const socket of [socketA, socketB, socketB2]) {
      socket.send({ type: 'subscribe', talk_id: talk.id });
      const subscribed = await socket.next((f) => f.type === 'subscribed');
      expect(subscribed['talk_id']).toBe(talk.id);
      expect(typeof subscribed['last_seq']).toBe('number');
    }
    expect(stack.gateways[0]?.talkSubscriptionCount()).toBe(before + 1);

    const texts = ['one', 'two', 'three', 'four', 'five'];
    const posted = await Promise.all(texts.map(async (text) => expectBody(await post(a, talk.id, text), 201, Message)));
    for (const socket of [socketA, socketB, socketB2]) {
      await eventually(() => expect(socket.all(isEvent('message_created', talk.id))).toHaveLength(texts.length));
      const seqs = socket.all(isEvent('message_created', talk.id)).map((f) => eventOf(f).seq);
      expect(seqs).toEqual(posted.map((m) => m.seq).sort((x, y) => x - y));
    }

    for (const socket of [socketA, socketB, socketB2]) socket.send({ type: 'unsubscribe', talk_id: talk.id });
    await Promise.all([socketA, socketB, socketB2].map((socket) => socket.roundTrip()));
    expect(stack.gateways[0]?.talkSubscriptionCount()).toBe(before);
    expectBody(await post(a, talk.id, 'after unsubscribe'), 201, Message);
    await socketA.roundTrip();
    expect(socketA.all(isEvent('message_created', talk.id))).toHaveLength(texts.length);
  });

  it('replays everything after after_seq, then continues live without a gap or a duplicate', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const first = expectBody(await post(a, talk.id, 'm1'), 201, Message);
    expectBody(await post(a, talk.id, 'm2'), 201, Message);
    expectBody(await post(a, talk.id, 'm3'), 201, Message);
    const socket = await connect(b);
    socket.send({ type: 'subscribe', talk_id: talk.id, after_seq: first.seq });
    const subscribed = await socket.next((f) => f.type === 'subscribed');
    expectBody(await post(a, talk.id, 'm4'), 201, Message);
    await eventually(() => expect(socket.all(isEvent('message_created', talk.id))).toHaveLength(3));
    const texts = socket.all(isEvent('message_created', talk.id)).map((f) => {
      const event = eventOf(f);
      return event.type === 'message_created' ? event.data.text : '';
    });
    expect(texts).toEqual(['m2', 'm3', 'm4']);
    expect(subscribed['last_seq']).toBeGreaterThanOrEqual(first.seq + 2);

    const other = await connect(a);
    other.send({ type: 'subscribe', talk_id: talk.id, after_seq: 10_000 });
    expect(await other.next((f) => f.type === 'error')).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('replays a long history page by page while live events arrive, each event once and in order', async () => {
    const gateway = await launchGateway(stack, { WS_REPLAY_PAGE_EVENTS: '3' });
    try {
      const talk = await createGroupTalk(stack.api(), a, [b]);
      for (let i = 0; i < 12; i += 1) expectBody(await post(a, talk.id, `history ${i}`), 201, Message);
      const socket = await connectTestSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${b.token}`);
      sockets.push(socket);
      socket.send({ type: 'subscribe', talk_id: talk.id, after_seq: 0 });
      // Live posts race the replay of the first pages.
      await Promise.all(Array.from({ length: 6 }, (_, i) => post(a, talk.id, `live ${i}`)));
      const lastSeq = (await stack.api().request('GET', `/v1.0/talks/${talk.id}/events?after_seq=0&limit=1`, { token: a.token })).body;
      const newest = z.object({ last_seq: z.number() }).parse(lastSeq).last_seq;
      await eventually(() => expect(socket.all(isEvent('message_created', talk.id))).toHaveLength(18));
      await socket.roundTrip();
      const seqs = socket.all((frame) => frame.type === 'event').map((frame) => eventOf(frame).seq);
      expect(seqs).toEqual(Array.from({ length: newest }, (_, i) => i + 1));
    } finally {
      await gateway.stop();
    }
  });

  it('tells an agent it was added without a subscription, and stops its subscription after it is removed', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const socketC = await connect(c);
    const added = expectBody(
      await stack.api().request('POST', `/v1.0/talks/${talk.id}/participants`, { token: a.token, body: { agent_id: c.id } }),
      201,
      Participant,
    );
    const notice = eventOf(await socketC.next(isEvent('participant_joined', talk.id)));
    expect(notice.data).toMatchObject({ id: added.id, agent_id: c.id, reason: 'added' });

    socketC.send({ type: 'subscribe', talk_id: talk.id });
    await socketC.next((f) => f.type === 'subscribed');
    expectBody(await stack.api().request('DELETE', `/v1.0/talks/${talk.id}/participants/${added.id}`, { token: a.token }), 200, Participant);
    const left = eventOf(await socketC.next(isEvent('participant_left', talk.id)));
    expect(left.data).toMatchObject({ agent_id: c.id, reason: 'removed' });

    expectBody(await post(a, talk.id, 'not for C'), 201, Message);
    const watcher = await connect(a);
    watcher.send({ type: 'subscribe', talk_id: talk.id, after_seq: 0 });
    await watcher.next(eventWhere((e) => e.type === 'message_created' && e.data.text === 'not for C'));
    await socketC.roundTrip();
    expect(socketC.all(isEvent('message_created', talk.id))).toHaveLength(0);
    expect(socketC.all(isEvent('participant_left', talk.id))).toHaveLength(1);
  });

  it('answers ping with pong and serves health checks', async () => {
    const socket = await connect(a);
    socket.send({ type: 'ping' });
    await socket.next((f) => f.type === 'pong');
    const port = stack.gateways[0]?.port ?? 0;
    const health = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(health.status).toBe(200);
    expect(z.object({ status: z.literal('ready') }).parse(await health.json())).toBeTruthy();
  });
});

describe('gateway and deactivated agents', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('gateway_deactivation', { gateways: 1 });
  });
  afterAll(() => stack.stop());

  it('closes a deactivated agent\'s sockets with 4001: at once when it was in talks, within the re-check interval otherwise', async () => {
    const acme = await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C']);
    const [a, b, c] = acme.agents;
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const socketB = await connectTestSocket(stack.wsUrl(b.token));
    socketB.send({ type: 'subscribe', talk_id: talk.id });
    await socketB.next((f) => f.type === 'subscribed');
    const watcher = await launchGateway(stack, { WS_AUTH_RECHECK_MS: '200' });
    const socketC = await connectTestSocket(`ws://127.0.0.1:${watcher.port}/v1.0/ws?token=${c.token}`);
    try {
      await socketC.roundTrip();
      for (const agent of [b, c]) {
        expect((await stack.api().request('DELETE', `/v1.0/agents/${agent.id}?accesskey=${acme.accesskey}`)).status).toBe(200);
      }
      await socketB.next(isEvent('participant_left', talk.id));
      expect(await socketB.closed()).toMatchObject({ code: 4001 });
      expect(await socketC.closed()).toMatchObject({ code: 4001 });
    } finally {
      await watcher.stop();
    }
  });
});

describe('gateway limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('gateway_limits');
  });
  afterAll(() => stack.stop());

  it('caps subscriptions per connection with a clear error', async () => {
    const gateway = await launchGateway(stack, { WS_MAX_SUBSCRIPTIONS: '2' });
    try {
      const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
      const talks = [await createGroupTalk(stack.api(), a, [b]), await createGroupTalk(stack.api(), a, [b]), await createGroupTalk(stack.api(), a, [b])];
      const socket = await connectTestSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${a.token}`);
      for (const talk of talks.slice(0, 2)) {
        socket.send({ type: 'subscribe', talk_id: talk.id });
        await socket.next((f) => f.type === 'subscribed' && f['talk_id'] === talk.id);
      }
      socket.send({ type: 'subscribe', talk_id: talks[2]?.id });
      const error = await socket.next((f) => f.type === 'error');
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', ref: { type: 'subscribe', talk_id: talks[2]?.id } });
      expect(String(error['message'])).toContain('at most 2 subscriptions');
      await socket.close();
    } finally {
      await gateway.stop();
    }
  });

  it('closes with 1013 a connection past the agent\'s cap or the gateway\'s, and lets one in once another closed', async () => {
    const gateway = await launchGateway(stack, { WS_MAX_CONNECTIONS_PER_AGENT: '2', WS_MAX_CONNECTIONS: '3' });
    try {
      const [a, b, c] = (await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C'])).agents;
      const url = (token: string): string => `ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${token}`;
      const ready = async (token: string): Promise<TestSocket> => {
        const socket = await connectTestSocket(url(token));
        socket.send({ type: 'ping' });
        await socket.next((f) => f.type === 'pong');
        return socket;
      };
      const [a1, a2] = [await ready(a.token), await ready(a.token)];
      const a3 = await connectTestSocket(url(a.token));
      expect(await a3.closed()).toMatchObject({ code: 1013 });
      const b1 = await ready(b.token);
      // Three held: the gateway is full, whoever asks.
      const c1 = await connectTestSocket(url(c.token));
      expect(await c1.closed()).toMatchObject({ code: 1013 });
      await a1.close();
      await eventually(() => expect(gateway.connectionCount()).toBe(2));
      const c2 = await ready(c.token);
      for (const socket of [a2, b1, c2]) await socket.close();
    } finally {
      await gateway.stop();
    }
  });

  it('holds the subscription cap under a burst of subscribes sent at once', async () => {
    const gateway = await launchGateway(stack, { WS_MAX_SUBSCRIPTIONS: '3' });
    try {
      const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
      const talks = await Promise.all(Array.from({ length: 8 }, () => createGroupTalk(stack.api(), a, [b])));
      const socket = await connectTestSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${a.token}`);
      for (const talk of talks) socket.send({ type: 'subscribe', talk_id: talk.id });
      const answers = await Promise.all(talks.map((talk) => socket.next((f) => f['talk_id'] === talk.id || (f.type === 'error' && (f['ref'] as { talk_id?: string } | undefined)?.talk_id === talk.id))));
      expect(answers.filter((f) => f.type === 'subscribed')).toHaveLength(3);
      expect(answers.filter((f) => f.type === 'error')).toHaveLength(5);
      expect(gateway.talkSubscriptionCount()).toBe(3);
      await socket.close();
    } finally {
      await gateway.stop();
    }
  });

  it('leaves no NATS subscription behind when an unsubscribe meets its subscribe still being set up', async () => {
    const gateway = await launchGateway(stack);
    try {
      const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
      const talks = await Promise.all(Array.from({ length: 5 }, () => createGroupTalk(stack.api(), a, [b])));
      const socket = await connectTestSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${a.token}`);
      for (const talk of talks) {
        socket.send({ type: 'subscribe', talk_id: talk.id, after_seq: 0 });
        socket.send({ type: 'unsubscribe', talk_id: talk.id });
      }
      // A ping is answered after the frames before it are handled; the feeds settle just after.
      socket.send({ type: 'ping' });
      await socket.next((f) => f.type === 'pong');
      await eventually(() => expect(gateway.talkSubscriptionCount()).toBe(0));
      // And the connection still works: a subscription made now is served.
      socket.send({ type: 'subscribe', talk_id: talks[0]?.id });
      await socket.next((f) => f.type === 'subscribed');
      expect(gateway.talkSubscriptionCount()).toBe(1);
      await socket.close();
      await eventually(() => expect(gateway.talkSubscriptionCount()).toBe(0));
    } finally {
      await gateway.stop();
    }
  });

  it('refuses a frame over 64 KiB by closing with 1009, and a token that expires mid-connection with 4001', async () => {
    const gateway = await launchGateway(stack);
    try {
      const [a] = (await createCustomer(stack.api(), ['Agent A'])).agents;
      const big = await connectTestSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${a.token}`);
      big.sendRaw(JSON.stringify({ type: 'ping', padding: 'x'.repeat(70_000) }));
      expect(await big.closed()).toMatchObject({ code: 1009 });

      const claims = verifyToken(a.token, JWT_SECRET, Math.floor(Date.now() / 1000));
      if (!claims.ok) throw new Error('fixture token is valid');
      const now = Math.floor(Date.now() / 1000);
      const shortLived = issueToken({ ...claims.claims, expiresAt: now + 2 }, JWT_SECRET, now);
      const socket = await connectTestSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${shortLived}`);
      await socket.roundTrip();
      expect(await socket.closed()).toMatchObject({ code: 4001 });
    } finally {
      await gateway.stop();
    }
  });
});

describe('gateway and slow clients', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('gateway_slow');
  });
  afterAll(() => stack.stop());

  it('closes a client that stops reading with 4008, while another client of the talk keeps receiving', async () => {
    const gateway = await launchGateway(stack, { WS_MAX_BUFFERED_BYTES: String(64 * 1024) });
    try {
      const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
      const talk = await createGroupTalk(stack.api(), a, [b]);
      const url = (token: string): string => `ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${token}`;
      const healthy = await connectTestSocket(url(a.token));
      healthy.send({ type: 'subscribe', talk_id: talk.id });
      await healthy.next((f) => f.type === 'subscribed');

      const slow = new WebSocket(url(b.token));
      const closed = new Promise<number>((resolve) => slow.on('close', (code) => resolve(code)));
      await new Promise<void>((resolve) => slow.once('open', () => resolve()));
      const subscribed = new Promise<void>((resolve) => slow.once('message', () => resolve()));
      slow.send(JSON.stringify({ type: 'subscribe', talk_id: talk.id }));
      await subscribed;
      slow.pause();

      // The largest messages the contract allows (~37 KB each), one after another, until the slow
      // client's buffers (the kernel's, then the gateway's) pass the limit.
      const body = {
        text: 'x'.repeat(16_000),
        medias: Array.from({ length: 10 }, (_, i) => ({ type: 'image/png', url: `https://example.com/${String(i).repeat(2_000)}`, name: `${i}.png` })),
      };
      let posted = 0;
      while (posted < 1_000 && gateway.tooSlowCount() === 0) {
        expect((await stack.api().request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body })).status).toBe(201);
        posted += 1;
      }
      slow.resume();
      expect(await closed).toBe(4008);
      await eventually(() => expect(healthy.all(isEvent('message_created', talk.id))).toHaveLength(posted), 15_000);
      await healthy.close();
    } finally {
      await gateway.stop();
    }
  });
});

describe('gateway and gaps on the bus', () => {
  it('fills a seq gap on its NATS subscription from the event log, in order', async () => {
    const env = stackEnv('gateway_gaps');
    // The relay waits long: the event appended below reaches the gateway only through the log.
    const api = await launchApi(env, { OUTBOX_GRACE_MS: '600000' });
    const gateway = await launchGateway(env);
    const mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
    const client = restClient(`http://127.0.0.1:${api.port}`);
    try {
      const [a, b] = (await createCustomer(client, ['Agent A', 'Agent B'])).agents;
      const talk = await createGroupTalk(client, a, [b]);
      const socket = await connectTestSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${b.token}`);
      socket.send({ type: 'subscribe', talk_id: talk.id });
      await socket.next((frame) => frame.type === 'subscribed');

      // What a writer that died after appending leaves: an event that was never published.
      const unpublished = newMessage({
        id: newId(), talkId: talk.id, type: 'normal', agentId: a.id, clientMessageId: null,
        text: 'recorded, never published', parentId: null, medias: [], mentionIds: [], at: new Date(),
      });
      const orphan = await createStore(mongo.db(env.iso.db)).events.append(messageCreatedDraft(unpublished));
      const next = expectBody(
        await client.request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'published' } }),
        201,
        Message,
      );

      const first = eventOf(await socket.next(isEvent('message_created', talk.id)));
      const second = eventOf(await socket.next(isEvent('message_created', talk.id)));
      expect([first.seq, second.seq]).toEqual([orphan.event.seq, next.seq]);
      expect(first.type === 'message_created' && first.data.text).toBe('recorded, never published');
      await socket.close();
    } finally {
      await mongo.close();
      await gateway.stop();
      await api.stop();
    }
  });
});

import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { eventually } from '@talk/shared/testing/eventually';
import type { Presence } from '@talk/shared/schemas';
import { createCustomer, type TestAgent } from '../../../test/support/fixtures';
import { ADMIN_KEY, launchGateway, startStack, type Stack } from '../../../test/support/stack';
import { checkStream } from '../../../test/support/stream-checker';
import { createAccountsApi } from '../src/accounts-api';
import { TalkApiError } from '../src/errors';
import { createTalkApi, type TalkApi } from '../src/talk-api';
import { connectTalkSocket, type TalkSocket } from '../src/talk-socket';
import { record } from '../../../test/support/socket-recorder';

const FAST = { backoff: { initialMs: 20, maxMs: 200 }, heartbeat: { intervalMs: 500, timeoutMs: 1_000 } } as const;

let stack: Stack;
const opened: TalkSocket[] = [];

beforeAll(async () => {
  stack = await startStack('client', { apis: 1, gateways: 2 });
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((socket) => socket.close()));
});
afterAll(() => stack.stop());

const apiOf = (agent: TestAgent, baseUrl = stack.api().baseUrl): TalkApi => createTalkApi({ baseUrl, token: agent.token });

function open(options: Parameters<typeof connectTalkSocket>[0]): TalkSocket {
  const socket = connectTalkSocket(options);
  opened.push(socket);
  return socket;
}

async function logSeqs(api: TalkApi, talkId: string): Promise<number[]> {
  const seqs: number[] = [];
  for await (const event of api.eventsAfter(talkId)) seqs.push(event.seq);
  return seqs;
}

describe('REST helpers', () => {
  it('create a customer, an agent and a token, and talk with it', async () => {
    const accounts = createAccountsApi({ baseUrl: stack.api().baseUrl });
    const customer = await accounts.createCustomer(ADMIN_KEY, 'Client Co');
    const agent = await accounts.createAgent(customer.accesskey, { username: 'ada', password: 'correct horse battery', name: 'Ada' });
    const login = await accounts.login({ customer_id: customer.id, username: 'ada', password: 'correct horse battery' });
    expect(login.agent.id).toBe(agent.id);

    const api = createTalkApi({ baseUrl: stack.api().baseUrl, token: () => login.token });
    const talk = await api.createTalk({ name: 'Solo' });
    const first = await api.sendMessage(talk.id, { text: 'hello', client_message_id: 'retry-1' });
    const retried = await api.sendMessage(talk.id, { text: 'hello', client_message_id: 'retry-1' });
    expect(retried.id).toBe(first.id);
    expect((await api.listMessages(talk.id)).result.map((message) => message.id)).toEqual([first.id]);
  });

  it('read the whole change stream page by page', async () => {
    const [a] = (await createCustomer(stack.api(), ['Agent A'])).agents;
    const api = apiOf(a);
    const talk = await api.createTalk({ name: 'Pages' });
    for (let i = 0; i < 5; i += 1) await api.sendMessage(talk.id, { text: `m${i}` });
    const seqs: number[] = [];
    for await (const event of api.eventsAfter(talk.id, 0, 2)) seqs.push(event.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7]); // talk_created, participant_joined, 5 messages
  });

  it('fail with the contract’s error code', async () => {
    const [a] = (await createCustomer(stack.api(), ['Agent A'])).agents;
    const failure = apiOf(a).getTalk('00000000-0000-4000-8000-000000000000');
    await expect(failure).rejects.toBeInstanceOf(TalkApiError);
    await expect(failure).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('the reference WebSocket client', () => {
  it('replays from after_seq, then delivers live events once each and in order', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const api = apiOf(a);
    const talk = await api.createTalk({ name: 'Live', participant_ids: [b.id] });
    await api.sendMessage(talk.id, { text: 'before' });
    const socket = open({ url: stack.wsUrl(b.token, 0), agentId: b.id, ...FAST });
    const seen = record(socket);
    socket.subscribe(talk.id, 0);
    await socket.settled();
    for (let i = 0; i < 10; i += 1) await api.sendMessage(talk.id, { text: `live ${i}` });
    const log = await logSeqs(api, talk.id);
    await eventually(() => expect(seen.seqsOf(talk.id)).toEqual(log));
  });

  it('follows a talk it is added to without subscribing', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const socket = open({ url: stack.wsUrl(b.token, 0), agentId: b.id, ...FAST });
    const seen = record(socket);
    await socket.settled();
    const api = apiOf(a);
    const talk = await api.createTalk({ name: 'Added later' });
    await api.addParticipant(talk.id, b.id);
    await api.sendMessage(talk.id, { text: 'welcome' });
    await eventually(() => expect(seen.events.map((event) => event.type)).toEqual(['participant_joined', 'message_created']));
  });

  it('follows presence, sets away, reads it over REST, and follows again after a reconnect', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const leaving = await launchGateway(stack);
    const urls = [`ws://127.0.0.1:${leaving.port}/v1.0/ws?token=${b.token}`];
    const watcher = open({ url: () => urls.shift() ?? stack.wsUrl(b.token, 1), agentId: b.id, ...FAST });
    const seen: Presence[] = [];
    watcher.onPresence((presence) => seen.push(presence));
    watcher.subscribePresence([a.id, a.id]);
    await eventually(() => expect(seen.map((p) => p.status)).toEqual(['offline']));
    const agentSocket = open({ url: stack.wsUrl(a.token, 0), agentId: a.id, ...FAST });
    await agentSocket.settled();
    await eventually(() => expect(seen.at(-1)?.status).toBe('online'), 2_000);
    const away = await apiOf(a).setPresence('away');
    expect(away).toMatchObject({ agent_id: a.id, status: 'away' });
    await eventually(() => expect(seen.at(-1)).toEqual(away), 2_000);
    expect(await apiOf(b).presence([a.id])).toEqual([away]);

    await leaving.stop();
    await eventually(() => expect(watcher.stats().reconnects).toBe(1));
    // Followed again on the new connection: the gateway answers with the presence as it is.
    await eventually(() => expect(seen.length).toBe(4));
    expect(seen.at(-1)).toEqual(away);
    watcher.unsubscribePresence([a.id]);
    await agentSocket.close();
    await eventually(async () => expect(await apiOf(b).presence([a.id])).toMatchObject([{ status: 'offline' }]));
  });

  it('resumes on another gateway when its gateway shuts down, without losing or repeating an event', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const api = apiOf(a);
    const talk = await api.createTalk({ name: 'Moving', participant_ids: [b.id] });
    const leaving = await launchGateway(stack);
    const urls = [`ws://127.0.0.1:${leaving.port}/v1.0/ws?token=${b.token}`, stack.wsUrl(b.token, 1)];
    const socket = open({ url: () => urls.shift() ?? stack.wsUrl(b.token, 0), agentId: b.id, ...FAST });
    const seen = record(socket);
    socket.subscribe(talk.id, 0);
    await socket.settled();

    const sending = new AbortController();
    const sender = (async () => {
      for (let i = 0; !sending.signal.aborted; i += 1) await api.sendMessage(talk.id, { text: `steady ${i}` });
    })();
    await eventually(() => expect(seen.seqsOf(talk.id).length).toBeGreaterThan(5));
    await leaving.stop();
    await eventually(() => expect(socket.stats().reconnects).toBe(1));
    await eventually(() => expect(seen.seqsOf(talk.id).length).toBeGreaterThan(15));
    sending.abort();
    await sender;

    const log = await logSeqs(api, talk.id);
    await eventually(() => expect(checkStream(log, seen.seqsOf(talk.id))).toMatchObject({ lost: 0, duplicated: 0, reordered: 0, unexpected: 0 }));
    expect(socket.stats().closeCodes[1001]).toBe(1);
  });

  it('replaces a connection whose peer goes silent, found by its heartbeat', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const api = apiOf(a);
    const talk = await api.createTalk({ name: 'Silent', participant_ids: [b.id] });
    const silent = await startSilentServer();
    try {
      const urls = [silent.url, stack.wsUrl(b.token, 0)];
      const socket = open({ url: () => urls.shift() ?? stack.wsUrl(b.token, 0), agentId: b.id, ...FAST });
      const seen = record(socket);
      socket.subscribe(talk.id, 0);
      await socket.settled(5_000);
      await api.sendMessage(talk.id, { text: 'after the silence' });
      const log = await logSeqs(api, talk.id);
      await eventually(() => expect(seen.seqsOf(talk.id)).toEqual(log));
      expect(socket.stats().closeCodes[1006] ?? 0).toBeGreaterThanOrEqual(1);
    } finally {
      await silent.close();
    }
  });

  it('catches up from history on a talk it was removed from while disconnected', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const api = apiOf(a);
    const talk = await api.createTalk({ name: 'Removed', participant_ids: [b.id] });
    const gateway = await launchGateway(stack);
    let allowReconnect: () => void = () => undefined;
    const reconnectAllowed = new Promise<void>((resolve) => (allowReconnect = resolve));
    let connects = 0;
    const socket = open({
      url: async () => {
        connects += 1;
        if (connects === 1) return `ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${b.token}`;
        await reconnectAllowed;
        return stack.wsUrl(b.token, 0);
      },
      agentId: b.id,
      history: (talkId, afterSeq) => apiOf(b).eventsAfter(talkId, afterSeq),
      ...FAST,
    });
    const seen = record(socket);
    socket.subscribe(talk.id, 0);
    await socket.settled();
    await gateway.stop();

    await api.sendMessage(talk.id, { text: 'while you were away' });
    const participant = (await api.listParticipants(talk.id, 'active')).find((p) => p.agent_id === b.id);
    await api.removeParticipant(talk.id, participant?.id ?? '');
    allowReconnect();

    const log = await logSeqs(api, talk.id);
    await eventually(() => expect(seen.seqsOf(talk.id)).toEqual(log));
    expect(seen.events.at(-1)).toMatchObject({ type: 'participant_left', data: { agent_id: b.id, reason: 'removed' } });
    expect(seen.errors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', talkId: talk.id })]);
  });

  it('gives up on a refused token and says why', async () => {
    const [b] = (await createCustomer(stack.api(), ['Agent B'])).agents;
    const socket = open({ url: stack.wsUrl('not-a-token', 0), agentId: b.id, ...FAST });
    const seen = record(socket);
    const closed = new Promise<number | undefined>((resolve) => socket.onState((state, code) => state === 'closed' && resolve(code)));
    expect(await closed).toBe(4001);
    expect(seen.errors).toEqual([expect.objectContaining({ code: 'UNAUTHENTICATED' })]);
  });

  it('resumes after the gateway closed it for not reading (4008)', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const api = apiOf(a);
    const talk = await api.createTalk({ name: 'Slow', participant_ids: [b.id] });
    const gateway = await launchGateway(stack, { WS_MAX_BUFFERED_BYTES: String(64 * 1024) });
    try {
      const socket = open({ url: `ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${b.token}`, agentId: b.id, ...FAST });
      const seen = record(socket);
      socket.subscribe(talk.id, 0);
      await socket.settled();
      socket.pause();
      // The largest messages the contract allows (~37 KB), one after another (concurrent sends to
      // one talk contend for its next seq), until the client's buffers (the kernel's, then the
      // gateway's) pass the limit: some 4 MB, 100-odd posts.
      const big = {
        text: 'x'.repeat(16_000),
        medias: Array.from({ length: 10 }, (_, i) => ({ type: 'image/png', url: `https://example.com/${String(i).repeat(2_000)}`, name: `${i}.png` })),
      };
      for (let posted = 0; posted < 1_000 && gateway.tooSlowCount() === 0; posted += 1) await api.sendMessage(talk.id, big);
      socket.resume();
      const log = await logSeqs(api, talk.id);
      await eventually(() => expect(seen.seqsOf(talk.id)).toEqual(log), 15_000);
      // At least once: the catch-up after resuming is a burst of big messages that may pass the limit again.
      expect(socket.stats().closeCodes[4008] ?? 0).toBeGreaterThanOrEqual(1);
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});

interface SilentServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Completes the WebSocket upgrade, then never sends anything: a peer that hung. */
async function startSilentServer(): Promise<SilentServer> {
  const server: Server = createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}/v1.0/ws`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('typing through the reference client', () => {
  it("says an agent types once per few seconds however often it is called, and hands out others' typing, never its own", async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const talk = await apiOf(a).createTalk({ name: 'Typing', participant_ids: [b.id] });
    const typist = open({ url: stack.wsUrl(a.token, 0), agentId: a.id, ...FAST });
    const reader = open({ url: stack.wsUrl(b.token, 1), agentId: b.id, ...FAST });
    typist.subscribe(talk.id);
    reader.subscribe(talk.id);
    await Promise.all([typist.settled(), reader.settled()]);
    const seenByReader: { talkId: string; agentId: string }[] = [];
    const seenByTypist: unknown[] = [];
    reader.onTyping((typing) => seenByReader.push(typing));
    typist.onTyping((typing) => seenByTypist.push(typing));
    for (let i = 0; i < 20; i += 1) typist.typing(talk.id); // every keystroke
    await eventually(() => expect(seenByReader).toEqual([{ talkId: talk.id, agentId: a.id }]));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seenByReader).toHaveLength(1);
    expect(seenByTypist).toEqual([]);
  });
});

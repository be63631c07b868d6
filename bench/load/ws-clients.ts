/**
 * Load process of the fan-out benchmarks: N WebSocket clients, each subscribed to one talk, that
 * read every frame, check each talk's seqs (lost, duplicated, reordered) and note the latency of
 * each event from the send time it carries. The same harness reads the gateway and the baseline.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import { serveParent } from '../lib/child';
import { ClientsRequest, type ClientsReport } from './protocol';
import { percentile } from '../lib/stats';
import { sentAtOf } from '../lib/synthetic-event';

const Frame = z.object({
  type: z.string(),
  talk_id: z.string().optional(),
  last_seq: z.number().optional(),
  event: z.object({ talk_id: z.string(), seq: z.number(), data: z.object({ text: z.string() }).loose() }).loose().optional(),
});

interface Client {
  readonly socket: WebSocket;
  readonly talkId: string;
  /** The next seq expected. */
  next: number;
}

const MAX_SAMPLES = 1_000_000;
const clients: Client[] = [];
let latencies = new Float64Array(MAX_SAMPLES);
let samples = 0;
let deliveries = 0;
let duplicated = 0;
let reordered = 0;
let skipped = 0;
let firstAt = 0;
let lastAt = 0;
let typingDeliveries = 0;
let windowStartedAt = performance.now();
const typingTimers = new Set<NodeJS.Timeout>();

function stopTyping(): void {
  for (const timer of typingTimers) clearTimeout(timer);
  typingTimers.clear();
}

/** Each client types every `everyMs`, starting at a random point of the first period. */
function startTyping(everyMs: number): void {
  stopTyping();
  for (const client of clients) {
    const frame = JSON.stringify({ type: 'typing', talk_id: client.talkId });
    const first = setTimeout(() => {
      typingTimers.delete(first);
      client.socket.send(frame);
      typingTimers.add(setInterval(() => client.socket.send(frame), everyMs));
    }, Math.random() * everyMs);
    typingTimers.add(first);
  }
}

/**
 * An event frame's seq and send time, read straight from the text: the first `"seq":` is the
 * event's own (envelope fields come before `data`) and the text starts with the send time. The
 * harness reads the gateway's and the baseline's frames the same way, and cheaply, so that it
 * stays out of the way of what it measures.
 */
const EVENT_FRAME = /^\{"type":"event","event":\{.*?"seq":(\d+).*?"text":"(\d+) /;

const TYPING_FRAME = '{"type":"typing"';

function onFrame(client: Client, data: Buffer, subscribed: () => void): void {
  const text = data.toString('utf8');
  if (text.startsWith(TYPING_FRAME)) {
    typingDeliveries += 1;
    return;
  }
  const fast = EVENT_FRAME.exec(text);
  const frame = fast === null ? Frame.parse(JSON.parse(text)) : undefined;
  if (frame?.type === 'subscribed') {
    client.next = (frame.last_seq ?? 0) + 1;
    subscribed();
    return;
  }
  const parsed = frame?.event;
  const event = fast === null ? parsed && { seq: parsed.seq, sentAt: sentAtOf(parsed.data.text) } : { seq: Number(fast[1]), sentAt: BigInt(fast[2] ?? '0') };
  if (event === undefined) return;
  const now = process.hrtime.bigint();
  deliveries += 1;
  if (firstAt === 0) firstAt = performance.now();
  lastAt = performance.now();
  if (event.seq === client.next) client.next += 1;
  else if (event.seq < client.next) duplicated += 1;
  else {
    reordered += 1;
    skipped += event.seq - client.next;
    client.next = event.seq + 1;
  }
  if (event.sentAt !== undefined && samples < MAX_SAMPLES) latencies[samples++] = Number(now - event.sentAt) / 1e6;
}

async function open(url: string, talkId: string): Promise<void> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const client: Client = { socket, talkId, next: 0 };
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (data: Buffer) => onFrame(client, data, resolve));
    socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe', talk_id: talkId })));
    socket.once('close', (code) => reject(new Error(`closed with ${code} before subscribing`)));
  });
  clients.push(client);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

serveParent(ClientsRequest, async (request) => {
  switch (request.type) {
    case 'connect': {
      const queue = [...request.clients];
      const worker = async (): Promise<void> => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) await open(next.url, next.talkId);
      };
      await Promise.all(Array.from({ length: request.concurrency }, worker));
      return { connected: clients.length };
    }
    case 'reset':
      latencies = new Float64Array(MAX_SAMPLES);
      samples = deliveries = duplicated = reordered = skipped = firstAt = lastAt = typingDeliveries = 0;
      windowStartedAt = performance.now();
      return { ok: true };
    case 'typing':
      if (request.everyMs === null) stopTyping();
      else startTyping(request.everyMs);
      return { ok: true };
    case 'report': {
      const behind = (): number => clients.filter((client) => client.next <= (request.lastSeqs[client.talkId] ?? 0)).length;
      const deadline = Date.now() + request.settleMs;
      while (behind() > 0 && Date.now() < deadline) await sleep(20);
      const missing = clients.reduce((sum, client) => sum + Math.max(0, (request.lastSeqs[client.talkId] ?? 0) + 1 - client.next), 0);
      const window = latencies.subarray(0, samples);
      const seconds = (lastAt - firstAt) / 1000;
      return {
        deliveries,
        perSecond: seconds > 0 ? deliveries / seconds : 0,
        p50Ms: percentile(Array.from(window), 50),
        p99Ms: percentile(Array.from(window), 99),
        lost: missing + skipped,
        duplicated,
        reordered,
        typingDeliveries,
        windowMs: performance.now() - windowStartedAt,
      } satisfies ClientsReport;
    }
    case 'close':
      stopTyping();
      for (const client of clients.splice(0)) client.socket.terminate();
      return { ok: true };
  }
});

/**
 * A WebSocket client for tests: records every frame it receives and lets a test wait for the
 * next frame that matches, or assert that none arrives.
 */
import WebSocket from 'ws';
import { parseEvent, type TalkChangeEvent } from '../events';

export type Frame = Record<string, unknown> & { readonly type: string };

export interface TestSocket {
  readonly frames: readonly Frame[];
  send(frame: unknown): void;
  sendRaw(text: string): void;
  /** The first not yet taken frame that matches, waiting up to `timeoutMs` for it. */
  next(match: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Every frame that matched so far (taken or not). */
  all(match: (frame: Frame) => boolean): Frame[];
  /** Sends a ping and waits for its pong: every frame sent before it has been handled. */
  roundTrip(): Promise<void>;
  closed(): Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

function isFrame(value: unknown): value is Frame {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string';
}

export async function connectTestSocket(url: string): Promise<TestSocket> {
  const socket = new WebSocket(url);
  const frames: Frame[] = [];
  const taken = new Set<Frame>();
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });

  socket.on('message', (data: Buffer) => {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    if (isFrame(parsed)) frames.push(parsed);
    for (const wake of [...waiters]) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  function take(match: (frame: Frame) => boolean): Frame | undefined {
    const found = frames.find((frame) => !taken.has(frame) && match(frame));
    if (found !== undefined) taken.add(found);
    return found;
  }

  const client: TestSocket = {
    frames,
    send: (frame) => socket.send(JSON.stringify(frame)),
    sendRaw: (text) => socket.send(text),
    next(match, timeoutMs = 5_000) {
      const found = take(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const wake = (): void => {
          const hit = take(match);
          if (hit === undefined) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no matching frame within ${timeoutMs} ms; received: ${JSON.stringify(frames)}`));
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    all: (match) => frames.filter(match),
    async roundTrip() {
      socket.send(JSON.stringify({ type: 'ping' }));
      await client.next((frame) => frame.type === 'pong');
    },
    closed: () => closed,
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
  return client;
}

/** The event an `event` frame carries, parsed with the contract's schema. */
export function eventOf(frame: Frame): TalkChangeEvent {
  const parsed = frame.type === 'event' ? parseEvent(frame['event']) : undefined;
  if (parsed?.kind !== 'event') throw new Error(`not a valid event frame: ${JSON.stringify(frame)}`);
  return parsed.event;
}

/** Matches `event` frames whose event satisfies `match`. */
export function eventWhere(match: (event: TalkChangeEvent) => boolean): (frame: Frame) => boolean {
  return (frame) => {
    if (frame.type !== 'event') return false;
    const parsed = parseEvent(frame['event']);
    return parsed.kind === 'event' && match(parsed.event);
  };
}

/** Matches `event` frames by event type and, optionally, talk. */
export function isEvent(type: TalkChangeEvent['type'], talkId?: string): (frame: Frame) => boolean {
  return eventWhere((event) => event.type === type && (talkId === undefined || event.talk_id === talkId));
}

/**
 * A WebSocket for the frame fuzzer: sends text and binary frames of any bytes, and records every
 * frame the gateway sends, as parsed JSON or as a problem when it is not JSON.
 */
import WebSocket from 'ws';

export type ServerFrame = Record<string, unknown>;

export interface FuzzSocket {
  /** Every frame received since the socket opened, in order. */
  readonly frames: readonly ServerFrame[];
  /** Frames that were not JSON objects: a gateway must never send one. */
  readonly malformed: readonly string[];
  sendText(data: string | Buffer): void;
  sendBinary(data: Buffer): void;
  /** Resolves once a frame at index `from` or later matches, or rejects after `timeoutMs`. */
  waitFor(match: (frame: ServerFrame) => boolean, from: number, timeoutMs?: number): Promise<ServerFrame>;
  /** The close code, once the socket has closed. */
  closeCode(): number | undefined;
  readonly closed: Promise<number>;
  close(): Promise<void>;
}

function isFrame(value: unknown): value is ServerFrame {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function openFuzzSocket(url: string): Promise<FuzzSocket> {
  const socket = new WebSocket(url);
  const frames: ServerFrame[] = [];
  const malformed: string[] = [];
  const wakers = new Set<() => void>();
  let code: number | undefined;
  const closed = new Promise<number>((resolve) => {
    socket.on('close', (closeCode) => {
      code = closeCode;
      resolve(closeCode);
      for (const wake of [...wakers]) wake();
    });
  });
  socket.on('error', () => undefined); // the close that follows is what the fuzzer checks
  socket.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    try {
      const parsed: unknown = JSON.parse(text);
      if (isFrame(parsed)) frames.push(parsed);
      else malformed.push(text);
    } catch {
      malformed.push(text);
    }
    for (const wake of [...wakers]) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    frames,
    malformed,
    sendText: (data) => socket.send(data, { binary: false }),
    sendBinary: (data) => socket.send(data, { binary: true }),
    waitFor(match, from, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = frames.slice(from).find(match);
          if (found !== undefined) {
            finish();
            resolve(found);
            return true;
          }
          if (code !== undefined) {
            finish();
            reject(new Error(`the socket closed with ${code} before the frame came; received ${JSON.stringify(frames.slice(from)).slice(0, 1_000)}`));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no matching frame within ${timeoutMs} ms; received ${JSON.stringify(frames.slice(from)).slice(0, 1_000)}`));
        }, timeoutMs);
        const wake = (): void => void check();
        const finish = (): void => {
          clearTimeout(timer);
          wakers.delete(wake);
        };
        if (!check()) wakers.add(wake);
      });
    },
    closeCode: () => code,
    closed,
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
}

/**
 * A WebSocket client at the byte level, for tests of hostile clients: it completes the upgrade,
 * then writes masked text frames as fast as the server takes them, reads nothing and never
 * answers a close frame, as a flooding attacker would.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RawWebSocketOptions {
  /** Frames written in the same write as the upgrade request: they reach the server before its answer. */
  readonly sentWithUpgrade?: readonly Buffer[];
  /** Reads the server's frames after the upgrade, for `textFrames` (else the client reads nothing). */
  readonly readFrames?: boolean;
}

export interface RawWebSocket {
  /** The text frames the server sent so far (with `readFrames`). */
  textFrames(): readonly string[];
  /** The code of the server's close frame, once it sent one (with `readFrames`). */
  closeCode(): number | null;
  /** Writes text frames of `bytes` until the server closes the connection or `until` passes. */
  flood(bytes: number, until: number): Promise<void>;
  /** Resolves when the server has closed the TCP connection. */
  readonly closed: Promise<void>;
  destroy(): void;
}

/** A masked text frame, as a client must send it (RFC 6455 section 5.2). */
export function maskedTextFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, 0x80 | length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65_536) {
    header.writeUInt8(0x81, 0);
    header.writeUInt8(0x80 | 126, 1);
    header.writeUInt16BE(length, 2);
  } else if (length >= 65_536) {
    header.writeUInt8(0x81, 0);
    header.writeUInt8(0x80 | 127, 1);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) masked[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([header, mask, masked]);
}

export async function openRawWebSocket(url: string, options: RawWebSocketOptions = {}): Promise<RawWebSocket> {
  const { hostname, port, pathname, search } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  socket.on('error', () => socket.destroy());
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const texts: string[] = [];
  let closeCode: number | null = null;
  /** Server frames are unmasked (RFC 6455 section 5.1): header, extended length, payload. */
  function readFrames(start: Buffer): void {
    let pending = start;
    const parse = (): void => {
      for (;;) {
        if (pending.length < 2) return;
        const opcode = (pending[0] ?? 0) & 0x0f;
        const short = (pending[1] ?? 0) & 0x7f;
        const headerBytes = short === 126 ? 4 : short === 127 ? 10 : 2;
        if (pending.length < headerBytes) return;
        const length = short === 126 ? pending.readUInt16BE(2) : short === 127 ? Number(pending.readBigUInt64BE(2)) : short;
        if (pending.length < headerBytes + length) return;
        if (opcode === 0x1) texts.push(pending.subarray(headerBytes, headerBytes + length).toString('utf8'));
        if (opcode === 0x8 && length >= 2) closeCode = pending.readUInt16BE(headerBytes);
        pending = pending.subarray(headerBytes + length);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      parse();
    });
    parse();
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      const key = randomBytes(16).toString('base64');
      const request =
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
      socket.write(Buffer.concat([Buffer.from(request, 'latin1'), ...(options.sentWithUpgrade ?? [])]));
    });
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      const head = received.subarray(0, end).toString('latin1');
      if (options.readFrames === true) readFrames(received.subarray(end + 4));
      // Read nothing more: a client that never takes in the close frame.
      else socket.pause();
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`the upgrade was refused: ${head.split('\r\n')[0] ?? ''}`));
    };
    socket.on('data', onData);
    void closed.then(() => reject(new Error('the connection closed during the upgrade')));
  });

  return {
    closed,
    textFrames: () => texts,
    closeCode: () => closeCode,
    destroy: () => socket.destroy(),
    async flood(bytes, until) {
      const frame = maskedTextFrame(Buffer.alloc(bytes, 'x'));
      const connection = { open: true };
      void closed.then(() => (connection.open = false));
      while (connection.open && Date.now() < until) {
        if (!socket.write(frame)) {
          await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed, new Promise((resolve) => setTimeout(resolve, until - Date.now()))]);
        }
      }
    },
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { textWireFrame, writeWireFrame } from './wire-frame';

/**
 * A server that, on each connection, writes `frames` the way the gateway does: some through `ws`,
 * some as wire frames straight to the socket under it. The client is a plain `ws` client.
 */
async function receiveFrom(frames: readonly ({ via: 'ws'; text: string } | { via: 'wire'; text: string })[]): Promise<string[]> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server: Server = createServer();
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      for (const frame of frames) {
        if (frame.via === 'ws') ws.send(frame.text);
        else writeWireFrame(socket, textWireFrame(frame.text));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const client = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
    return await new Promise<string[]>((resolve, reject) => {
      const received: string[] = [];
      client.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) reject(new Error('received a binary frame'));
        received.push(data.toString('utf8'));
        if (received.length === frames.length) {
          client.close();
          resolve(received);
        }
      });
      client.on('error', reject);
    });
  } finally {
    wss.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('wire frames', () => {
  it.each([
    ['an empty text', 0, 2],
    ['the longest 7-bit length', 125, 2],
    ['the shortest 16-bit length', 126, 4],
    ['the longest 16-bit length', 65_535, 4],
    ['a 64-bit length', 65_536, 10],
  ])('frame %s (%i bytes) with a %i-byte header that a ws client reads back', async (_name, length, headerBytes) => {
    const text = 'x'.repeat(length);
    expect(textWireFrame(text).bytes.length).toBe(length + headerBytes);
    await expect(receiveFrom([{ via: 'wire', text }])).resolves.toEqual([text]);
  });

  it('count the length in UTF-8 bytes, not characters', async () => {
    const text = 'Grüße 👋'.repeat(20); // 160 characters, more bytes
    const frame = textWireFrame(text);
    expect(frame.bytes[1]).toBe(126);
    expect(frame.bytes.readUInt16BE(2)).toBe(Buffer.byteLength(text));
    await expect(receiveFrom([{ via: 'wire', text }])).resolves.toEqual([text]);
  });

  it('are final, unmasked text frames', () => {
    const [first = 0, second = 0] = textWireFrame('hi').bytes;
    expect(first).toBe(0x81); // FIN, opcode 1 (text)
    expect(second & 0x80).toBe(0); // no mask bit: server frames are never masked
  });

  it('keep their order among the frames ws sends on the same connection', async () => {
    const frames = Array.from({ length: 50 }, (_, i) => ({ via: i % 3 === 0 ? ('ws' as const) : ('wire' as const), text: `frame ${i}` }));
    await expect(receiveFrom(frames)).resolves.toEqual(frames.map((frame) => frame.text));
  });
});

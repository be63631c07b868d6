/** Connections over the `ws` package, for Node.js: the socket client's default (connection.ts). */
import WebSocket from 'ws';
import type { Connection, Dial } from './connection';

const STATES = ['connecting', 'open', 'closing', 'closed'] as const;

export const dialWs: Dial = (url, events, { handshakeTimeoutMs }) => {
  // No compression: the gateway turns it off too, and it would cost both ends per frame.
  const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: handshakeTimeoutMs });
  socket.on('open', () => events.onOpen());
  socket.on('message', (data: Buffer) => events.onMessage(data.toString('utf8')));
  socket.on('error', () => undefined); // always followed by 'close', which decides what happens next
  socket.on('close', (code) => events.onClose(code));
  const connection: Connection = {
    get state() {
      return STATES[socket.readyState];
    },
    send: (text) => socket.send(text),
    close: (code, reason) => socket.close(code, reason),
    terminate: () => socket.terminate(),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  };
  return connection;
};

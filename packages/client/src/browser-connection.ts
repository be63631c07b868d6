/**
 * Connections over the browser's own WebSocket (connection.ts), for web apps such as the console:
 * `connectTalkSocket({ …, dial: dialBrowser })`. A browser cannot stop reading a socket, so
 * `pause()` does nothing, and it has no handshake timeout of its own, so one is kept here.
 */
import type { Dial } from './connection';

const STATES = ['connecting', 'open', 'closing', 'closed'] as const;
/** What a browser reports for a connection that ended without a close frame. */
const ABNORMAL_CLOSURE = 1006;

export const dialBrowser: Dial = (url, events, { handshakeTimeoutMs }) => {
  const socket = new WebSocket(url);
  let ended = false;
  const end = (code: number): void => {
    if (ended) return;
    ended = true;
    clearTimeout(handshake);
    events.onClose(code);
  };
  const handshake = setTimeout(() => {
    socket.close();
    end(ABNORMAL_CLOSURE);
  }, handshakeTimeoutMs);
  socket.onopen = () => {
    clearTimeout(handshake);
    events.onOpen();
  };
  socket.onmessage = (message) => {
    if (typeof message.data === 'string') events.onMessage(message.data);
  };
  socket.onclose = (close) => end(close.code);
  return {
    get state() {
      return ended ? 'closed' : (STATES[socket.readyState] ?? 'closed');
    },
    send: (text) => socket.send(text),
    close: (code, reason) => socket.close(code, reason),
    terminate: () => {
      // Without a closing handshake: the browser ends it as it can, and the client hears 1006 now.
      socket.close();
      end(ABNORMAL_CLOSURE);
    },
    pause: () => undefined,
    resume: () => undefined,
  };
};

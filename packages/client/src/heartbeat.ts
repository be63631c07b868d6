/**
 * Finds a connection whose peer went silent (a gateway that hangs, a network that drops packets
 * without a reset): a `ping` frame every interval, and the socket is terminated when nothing at all
 * arrives within the timeout after it. Terminating leads to the client's usual reconnect.
 */
import WebSocket from 'ws';
import type { ClientFrame } from './frames';

export interface HeartbeatOptions {
  /** How often a `ping` frame is sent. */
  readonly intervalMs: number;
  /** A connection that sends nothing for this long after a ping is dropped and replaced. */
  readonly timeoutMs: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatOptions = { intervalMs: 10_000, timeoutMs: 5_000 };

/** Watches `socket` until the returned function is called; `paused()` holds pings while the reader is paused. */
export function watchHeartbeat(socket: WebSocket, options: HeartbeatOptions, paused: () => boolean): () => void {
  let deadline: NodeJS.Timeout | undefined;
  const heard = (): void => {
    clearTimeout(deadline);
    deadline = undefined;
  };
  const pinger = setInterval(() => {
    if (socket.readyState !== WebSocket.OPEN || deadline !== undefined || paused()) return;
    socket.send(JSON.stringify({ type: 'ping' } satisfies ClientFrame));
    deadline = setTimeout(() => socket.terminate(), options.timeoutMs);
  }, options.intervalMs);
  socket.on('message', heard);
  return () => {
    clearInterval(pinger);
    heard();
  };
}

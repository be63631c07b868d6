/**
 * Finds a connection whose peer went silent (a gateway that hangs, a network that drops packets
 * without a reset): a `ping` frame every interval, and the connection is terminated when nothing at
 * all arrives within the timeout after it. Terminating leads to the client's usual reconnect.
 */
import type { Connection } from './connection';
import type { ClientFrame } from './frames';

export interface HeartbeatOptions {
  /** How often a `ping` frame is sent. */
  readonly intervalMs: number;
  /** A connection that sends nothing for this long after a ping is dropped and replaced. */
  readonly timeoutMs: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatOptions = { intervalMs: 10_000, timeoutMs: 5_000 };

export interface Heartbeat {
  /** Something arrived: the peer is alive. */
  readonly heard: () => void;
  readonly stop: () => void;
}

/** Watches `connection` until stopped; `paused()` holds pings while the reader is paused. */
export function watchHeartbeat(connection: Connection, options: HeartbeatOptions, paused: () => boolean): Heartbeat {
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const heard = (): void => {
    clearTimeout(deadline);
    deadline = undefined;
  };
  const pinger = setInterval(() => {
    if (connection.state !== 'open' || deadline !== undefined || paused()) return;
    connection.send(JSON.stringify({ type: 'ping' } satisfies ClientFrame));
    deadline = setTimeout(() => connection.terminate(), options.timeoutMs);
  }, options.intervalMs);
  return {
    heard,
    stop: () => {
      clearInterval(pinger);
      heard();
    },
  };
}

/**
 * Presence in a NATS JetStream key-value bucket (docs/architecture.md, Presence). Keys:
 *
 * - `beat.<gateway>`: a gateway's heartbeat, written every `PRESENCE_HEARTBEAT_MS`;
 * - `conn.<agent>.<gateway>`: the agent has a connection on that gateway, written on its first
 *   one there and removed after its last (value: the start of its connected period, when it was
 *   connected elsewhere already);
 * - `flag.<agent>`: the status the agent set with `PUT /v1.0/me/presence`, written by the API.
 *
 * Every process that reads presence watches the whole bucket into a `PresenceBoard`, and ages
 * out dead gateways itself from their heartbeats' times: nats-server 2.9 tells no watcher of an
 * entry that expires (no delete markers), so the bucket's `max_age` only bounds its size.
 */
import { randomBytes } from 'node:crypto';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import type { Logger } from '@talk/shared/logger';
import { createPresenceBoard, type BoardEntry, type BoardPresence } from '@talk/shared/presence-board';
import type { PresenceConfig } from '@talk/shared/presence-config';

/** Entries not written for this long expire; gateways write theirs again well before (`REFRESH_MS`). */
export const PRESENCE_RETENTION_MS = 60 * 60 * 1000;
/** How often a gateway writes its connection entries again, so that none expires while it holds them. */
export const PRESENCE_REFRESH_MS = PRESENCE_RETENTION_MS / 3;
const OPERATION_TIMEOUT_MS = 2_000;
/** How long a view may take to read the bucket as it is when it opens. */
const SYNC_TIMEOUT_MS = 15_000;
const REWATCH_DELAY_MS = 1_000;

export const presenceKeys = {
  beat: (gatewayId: string): string => `beat.${gatewayId}`,
  connection: (agentId: string, gatewayId: string): string => `conn.${agentId}.${gatewayId}`,
  flag: (agentId: string): string => `flag.${agentId}`,
  sync: (viewId: string): string => `sync.${viewId}`,
};

/** A process's name in the bucket: random per start, so a restarted gateway never meets its old entries. */
export const newPresenceId = (): string => randomBytes(8).toString('hex');

export async function openPresenceBucket(nc: NatsConnection, bucket: string, config: PresenceConfig): Promise<KV> {
  return new Kvm(nc).create(bucket, {
    history: 1,
    // On file, a NATS restart keeps the entries: a gateway's heartbeat resumes with them there.
    storage: 'file',
    ttl: PRESENCE_RETENTION_MS,
    max_bytes: config.maxBytes,
    timeout: OPERATION_TIMEOUT_MS,
    description: 'Talk: presence (gateway heartbeats, connected agents, away flags)',
  });
}

const ConnectionValue = z.object({ online_since: z.number().int().nonnegative().optional() });
const FlagValue = z.object({ status: z.enum(['online', 'away']) });
const TOKEN = '([A-Za-z0-9_-]+)';
const BEAT_KEY = new RegExp(`^beat\\.${TOKEN}$`);
const CONNECTION_KEY = new RegExp(`^conn\\.${TOKEN}\\.${TOKEN}$`);
const FLAG_KEY = new RegExp(`^flag\\.${TOKEN}$`);

function jsonOf(entry: KvEntry): unknown {
  try {
    return entry.json<unknown>();
  } catch {
    return undefined;
  }
}

/** What an entry of the bucket says; undefined for one that says nothing of presence (a view's sync key, a foreign value). */
export function decodePresenceEntry(entry: KvEntry): BoardEntry | undefined {
  const at = entry.created.getTime();
  const gone = entry.operation !== 'PUT';
  const beat = BEAT_KEY.exec(entry.key);
  if (beat?.[1] !== undefined) return gone ? { kind: 'beat-gone', gatewayId: beat[1] } : { kind: 'beat', gatewayId: beat[1], at };
  const connection = CONNECTION_KEY.exec(entry.key);
  if (connection?.[1] !== undefined && connection[2] !== undefined) {
    const [agentId, gatewayId] = [connection[1], connection[2]];
    if (gone) return { kind: 'connection-gone', agentId, gatewayId, at };
    const value = ConnectionValue.safeParse(jsonOf(entry));
    return value.success ? { kind: 'connection', agentId, gatewayId, onlineSince: Math.min(value.data.online_since ?? at, at) } : undefined;
  }
  const flag = FLAG_KEY.exec(entry.key);
  if (flag?.[1] !== undefined) {
    if (gone) return { kind: 'flag-gone', agentId: flag[1] };
    const value = FlagValue.safeParse(jsonOf(entry));
    return value.success ? { kind: 'flag', agentId: flag[1], status: value.data.status, at } : undefined;
  }
  return undefined;
}

export interface PresenceView {
  presenceOf(agentId: string): BoardPresence;
  /** The start of the agent's connected period (NATS server time); undefined while it is not connected. */
  onlineSince(agentId: string): number | undefined;
  /** Called with the agents whose presence may have changed; returns the unsubscribe. */
  onChange(listener: (agentIds: readonly string[]) => void): () => void;
  /** Resolves once the view has applied the bucket up to `revision` (a write of this process's). */
  caughtUp(revision: number): Promise<void>;
  /** The NATS server's clock as this process sees it, in milliseconds. */
  serverNow(): number;
  close(): Promise<void>;
}

export interface PresenceViewOptions {
  readonly timeoutMs: number;
  readonly sweepMs: number;
  /** A key this process writes often (its heartbeat): each write seen keeps the server clock's offset up to date. */
  readonly clockKey?: string;
}

/** Opens the view and resolves once it holds the bucket as it was when opened. */
export async function openPresenceView(kv: KV, options: PresenceViewOptions, log: Logger): Promise<PresenceView> {
  const board = createPresenceBoard({ timeoutMs: options.timeoutMs, retentionMs: PRESENCE_RETENTION_MS });
  const listeners = new Set<(agentIds: readonly string[]) => void>();
  const waiters = new Set<{ readonly revision: number; readonly wake: () => void }>();
  const syncKey = presenceKeys.sync(newPresenceId());
  /** Local clock minus the server's, from the creation time of this process's own writes. */
  let offsetMs = 0;
  let applied = 0;
  const closing = new AbortController();
  const closed = (): boolean => closing.signal.aborted;
  let watch: Awaited<ReturnType<KV['watch']>> | undefined;

  const serverNow = (): number => Date.now() - offsetMs;

  function changed(agentIds: readonly string[]): void {
    if (agentIds.length === 0) return;
    for (const listener of listeners) listener(agentIds);
  }

  function apply(entry: KvEntry): void {
    if (entry.key === syncKey || entry.key === options.clockKey) {
      if (entry.operation === 'PUT') offsetMs = Date.now() - entry.created.getTime();
    }
    const decoded = decodePresenceEntry(entry);
    if (decoded !== undefined) changed(board.apply(decoded, serverNow()));
    applied = Math.max(applied, entry.revision);
    for (const waiter of [...waiters]) if (waiter.revision <= applied) waiter.wake();
  }

  function caughtUp(revision: number, timeoutMs = OPERATION_TIMEOUT_MS): Promise<void> {
    if (revision <= applied) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        revision,
        wake: () => {
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`the presence view did not reach revision ${revision} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  /** Watches the bucket for good: a watch that ends (NATS restarted, say) starts again and reads every entry again. */
  async function follow(): Promise<void> {
    while (!closed()) {
      try {
        watch = await kv.watch();
        if (closed()) watch.stop();
        for await (const entry of watch) apply(entry);
      } catch (error) {
        if (!closed()) log.warn({ err: error }, 'presence watch failed; watching again');
      }
      if (!closed()) await new Promise((resolve) => setTimeout(resolve, REWATCH_DELAY_MS));
    }
  }

  const following = follow();
  const sweeper = setInterval(() => changed(board.sweep(serverNow())), options.sweepMs);
  try {
    // A write after the watch started comes after every entry the watch read first.
    const revision = await kv.put(syncKey, '{}');
    await caughtUp(revision, SYNC_TIMEOUT_MS);
    await kv.delete(syncKey);
  } catch (error) {
    closing.abort();
    clearInterval(sweeper);
    watch?.stop();
    await following;
    throw error;
  }

  return {
    presenceOf: (agentId) => board.presenceOf(agentId),
    onlineSince: (agentId) => board.onlineSince(agentId),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    caughtUp: (revision) => caughtUp(revision),
    serverNow,
    async close() {
      closing.abort();
      clearInterval(sweeper);
      listeners.clear();
      watch?.stop();
      await following;
    },
  };
}

/** What the API writes: the status an agent set. Resolves once `view` shows it. */
export async function writePresenceFlag(kv: KV, view: PresenceView, agentId: string, status: 'online' | 'away'): Promise<void> {
  const revision = await kv.put(presenceKeys.flag(agentId), JSON.stringify({ status }));
  await view.caughtUp(revision);
}

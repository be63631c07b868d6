/**
 * This gateway's part of presence (docs/architecture.md, Presence): its heartbeat, and one entry
 * per agent connected to it, written on the agent's first connection here and removed after its
 * last. Writes for one agent go one at a time, each towards what its connections are then, so a
 * burst of connects and closes ends in the right entry. A write that fails is tried again on the
 * next heartbeat. On shutdown it stops writing and leaves its entries, so that the other
 * processes age them out after `PRESENCE_TIMEOUT_MS`: an agent that reconnects elsewhere meanwhile
 * never reads offline.
 */
import type { KV } from '@nats-io/kv';
import type { Logger } from '@talk/shared/logger';
import type { PresenceConfig } from '@talk/shared/presence-config';
import { PRESENCE_REFRESH_MS, presenceKeys, type PresenceView } from '@talk/runtime/nats-presence';

export interface PresencePublisher {
  /** A connection of the agent opened on this gateway. */
  connected(agentId: string): void;
  /** A connection of the agent closed. */
  disconnected(agentId: string): void;
  /** Agents with an entry of this gateway's, or one on its way. */
  agentCount(): number;
  /** Stops heartbeats and writes, and leaves the entries for the others to age out. */
  stop(): Promise<void>;
}

/** Entries written again per heartbeat at most, so a refresh never floods NATS. */
const REFRESHES_PER_BEAT = 1_000;

export interface PresencePublisherDeps {
  readonly kv: KV;
  readonly view: PresenceView;
  readonly gatewayId: string;
  readonly config: PresenceConfig;
  readonly log: Logger;
}

/** Writes the first heartbeat, then one every `heartbeatMs`. */
export async function startPresencePublisher(deps: PresencePublisherDeps): Promise<PresencePublisher> {
  const { kv, view, gatewayId, log } = deps;
  const beatKey = presenceKeys.beat(gatewayId);
  /** Open connections per agent. */
  const connections = new Map<string, number>();
  /** When each entry written was written (local clock). */
  const written = new Map<string, number>();
  const writing = new Map<string, Promise<void>>();
  const failed = new Set<string>();
  let stopped = false;

  async function write(agentId: string): Promise<void> {
    const key = presenceKeys.connection(agentId, gatewayId);
    const wanted = connections.has(agentId);
    if (wanted) {
      // Connected elsewhere already (or still within another gateway's grace): the period goes on.
      const since = view.onlineSince(agentId);
      await kv.put(key, JSON.stringify(since === undefined ? {} : { online_since: since }));
      written.set(agentId, Date.now());
    } else {
      await kv.delete(key);
      written.delete(agentId);
    }
  }

  /** Brings the agent's entry to what its connections are, unless a write for it is under way (that one checks again). */
  function reconcile(agentId: string, refresh = false): void {
    if (stopped || writing.has(agentId)) return;
    if (!refresh && connections.has(agentId) === written.has(agentId)) return;
    const done = write(agentId)
      .then(
        () => failed.delete(agentId),
        (error: unknown) => {
          if (failed.size === 0) log.warn({ err: error, agentId }, 'could not write presence; trying again on the next heartbeat');
          failed.add(agentId);
        },
      )
      .finally(() => {
        writing.delete(agentId);
        if (!failed.has(agentId)) reconcile(agentId);
      });
    writing.set(agentId, done.then(() => undefined));
  }

  async function beat(): Promise<void> {
    await kv.put(beatKey, '{}');
  }

  function onBeat(): void {
    beat().catch((error: unknown) => log.warn({ err: error }, 'could not write the presence heartbeat'));
    for (const agentId of [...failed]) reconcile(agentId);
    const staleBefore = Date.now() - PRESENCE_REFRESH_MS;
    let refreshed = 0;
    for (const [agentId, at] of written) {
      if (refreshed >= REFRESHES_PER_BEAT) break;
      if (at >= staleBefore) continue;
      reconcile(agentId, true);
      refreshed += 1;
    }
  }

  await beat();
  const timer = setInterval(onBeat, deps.config.heartbeatMs);

  return {
    connected(agentId) {
      connections.set(agentId, (connections.get(agentId) ?? 0) + 1);
      reconcile(agentId);
    },
    disconnected(agentId) {
      const left = (connections.get(agentId) ?? 1) - 1;
      if (left > 0) connections.set(agentId, left);
      else connections.delete(agentId);
      reconcile(agentId);
    },
    agentCount: () => new Set([...written.keys(), ...connections.keys()]).size,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(writing.values());
    },
  };
}

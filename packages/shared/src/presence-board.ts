/**
 * The rules of presence (docs/websocket.md, Presence; docs/architecture.md, Presence), as a pure
 * state that the presence bucket's entries are applied to, in the bucket's order. Every time is a
 * millisecond time of the NATS server's clock (an entry's `created`), so that the processes that
 * write and the processes that read compare times of one clock.
 *
 * - An agent is connected while it has an entry on a live gateway; a gateway is live while its
 *   heartbeat is younger than `timeoutMs`. A dead gateway's entries are never told to be gone (on
 *   nats-server 2.9 an entry that expires is not told to watchers), so they stop counting here.
 * - Connected, it is `away` when its flag says so and was set at or after the start of its
 *   connected period (`online_since`, which a gateway carries over from the agent's other
 *   connections); otherwise `online`. So a new first connection starts `online`.
 */

export type BoardStatus = 'online' | 'away' | 'offline';

/** What one entry of the presence bucket says, decoded from its key and value. */
export type BoardEntry =
  | { readonly kind: 'beat'; readonly gatewayId: string; readonly at: number }
  | { readonly kind: 'beat-gone'; readonly gatewayId: string }
  | { readonly kind: 'connection'; readonly agentId: string; readonly gatewayId: string; readonly onlineSince: number }
  | { readonly kind: 'connection-gone'; readonly agentId: string; readonly gatewayId: string; readonly at: number }
  | { readonly kind: 'flag'; readonly agentId: string; readonly status: 'online' | 'away'; readonly at: number }
  | { readonly kind: 'flag-gone'; readonly agentId: string };

export interface BoardPresence {
  readonly status: BoardStatus;
  /** When the status began; null for an agent the board knows nothing of (never seen, or forgotten). */
  readonly since: number | null;
}

export interface BoardOptions {
  /** A gateway whose last heartbeat is this old is dead: its agents' entries stop counting. */
  readonly timeoutMs: number;
  /** What the board forgets after this long (the bucket's entries expire after it too). */
  readonly retentionMs: number;
}

export interface PresenceBoard {
  /** Applies one entry; returns the agents whose presence may have changed. */
  apply(entry: BoardEntry, now: number): readonly string[];
  /** Ages out the gateways whose heartbeat is too old; returns the agents whose presence may have changed. */
  sweep(now: number): readonly string[];
  presenceOf(agentId: string): BoardPresence;
  /** The start of the agent's connected period; undefined while it is not connected. */
  onlineSince(agentId: string): number | undefined;
  /** Agents and gateways held, for tests and metrics. */
  size(): { readonly agents: number; readonly gateways: number };
}

interface AgentRecord {
  /** Gateway id → the start of the connected period that entry carries. */
  readonly connections: Map<string, number>;
  flag: { readonly status: 'online' | 'away'; readonly at: number } | undefined;
  /** When one of its entries was last removed. */
  endedAt: number | undefined;
}

export function createPresenceBoard(options: BoardOptions): PresenceBoard {
  const beats = new Map<string, number>();
  const live = new Set<string>();
  const agentsOn = new Map<string, Set<string>>();
  const agents = new Map<string, AgentRecord>();

  const fresh = (gatewayId: string, now: number): boolean => {
    const beat = beats.get(gatewayId);
    return beat !== undefined && now - beat < options.timeoutMs;
  };

  function recordOf(agentId: string): AgentRecord {
    let record = agents.get(agentId);
    if (record === undefined) {
      record = { connections: new Map(), flag: undefined, endedAt: undefined };
      agents.set(agentId, record);
    }
    return record;
  }

  const agentsOf = (gatewayId: string): readonly string[] => [...(agentsOn.get(gatewayId) ?? [])];

  function onlineSince(agentId: string): number | undefined {
    const record = agents.get(agentId);
    if (record === undefined) return undefined;
    let since: number | undefined;
    for (const [gatewayId, start] of record.connections) {
      if (live.has(gatewayId) && (since === undefined || start < since)) since = start;
    }
    return since;
  }

  function forget(now: number): void {
    for (const [gatewayId, beat] of beats) {
      if (live.has(gatewayId) || now - beat < options.retentionMs) continue;
      beats.delete(gatewayId);
      for (const agentId of agentsOf(gatewayId)) agents.get(agentId)?.connections.delete(gatewayId);
      agentsOn.delete(gatewayId);
    }
    for (const [agentId, record] of agents) {
      if (record.flag !== undefined && now - record.flag.at >= options.retentionMs) record.flag = undefined;
      const ended = record.endedAt === undefined || now - record.endedAt >= options.retentionMs;
      if (record.connections.size === 0 && record.flag === undefined && ended) agents.delete(agentId);
    }
  }

  return {
    apply(entry, now) {
      switch (entry.kind) {
        case 'beat': {
          beats.set(entry.gatewayId, Math.max(entry.at, beats.get(entry.gatewayId) ?? 0));
          if (live.has(entry.gatewayId) || !fresh(entry.gatewayId, now)) return [];
          live.add(entry.gatewayId);
          return agentsOf(entry.gatewayId);
        }
        case 'beat-gone': {
          beats.delete(entry.gatewayId);
          if (!live.delete(entry.gatewayId)) return [];
          return agentsOf(entry.gatewayId);
        }
        case 'connection': {
          recordOf(entry.agentId).connections.set(entry.gatewayId, entry.onlineSince);
          let onGateway = agentsOn.get(entry.gatewayId);
          if (onGateway === undefined) {
            onGateway = new Set();
            agentsOn.set(entry.gatewayId, onGateway);
          }
          onGateway.add(entry.agentId);
          return [entry.agentId];
        }
        case 'connection-gone': {
          // Only the gateway that wrote an entry removes it, so the removal is when that connection ended.
          const record = recordOf(entry.agentId);
          agentsOn.get(entry.gatewayId)?.delete(entry.agentId);
          record.endedAt = Math.max(entry.at, record.endedAt ?? 0);
          record.connections.delete(entry.gatewayId);
          return [entry.agentId];
        }
        case 'flag': {
          recordOf(entry.agentId).flag = { status: entry.status, at: entry.at };
          return [entry.agentId];
        }
        case 'flag-gone': {
          const record = agents.get(entry.agentId);
          if (record?.flag === undefined) return [];
          record.flag = undefined;
          return [entry.agentId];
        }
      }
    },

    sweep(now) {
      const changed: string[] = [];
      for (const gatewayId of [...live]) {
        if (fresh(gatewayId, now)) continue;
        live.delete(gatewayId);
        changed.push(...agentsOf(gatewayId));
      }
      forget(now);
      return changed;
    },

    presenceOf(agentId) {
      const record = agents.get(agentId);
      if (record === undefined) return { status: 'offline', since: null };
      const since = onlineSince(agentId);
      if (since === undefined) {
        // Offline since its last entry on a live gateway went, or since its dead gateway was seen dead.
        let ended = record.endedAt ?? null;
        for (const gatewayId of record.connections.keys()) {
          const beat = beats.get(gatewayId);
          if (beat !== undefined) ended = Math.max(ended ?? 0, beat + options.timeoutMs);
        }
        return { status: 'offline', since: ended };
      }
      const { flag } = record;
      if (flag !== undefined && flag.at >= since) return { status: flag.status, since: flag.at };
      return { status: 'online', since };
    },

    onlineSince,

    size: () => ({ agents: agents.size, gateways: beats.size }),
  };
}

/**
 * Presence frames for this gateway's connections: who follows which agent, and one `presence`
 * frame per change of a followed agent, serialised once for all its followers. The changes come
 * from the process's view of the presence bucket (`@talk/runtime/nats-presence`). Memory follows
 * the agents followed, which each connection caps (`PRESENCE_LIMITS.subscribedPerConnection`).
 */
import type { BoardPresence } from '@talk/shared/presence-board';
import type { PresenceView } from '@talk/runtime/nats-presence';
import { presenceFrame } from '../ws/frames';
import type { WireFrame } from '../ws/wire-frame';

export interface PresenceListener {
  onPresence(frame: WireFrame): void;
}

export interface PresenceFeed {
  /**
   * `listener` gets a frame on each later change of the agent; returns the frame of its presence
   * now. `tmCreate` is the agent's creation time: the change time of an agent never seen online.
   */
  follow(listener: PresenceListener, agentId: string, tmCreate: string): WireFrame;
  unfollow(listener: PresenceListener, agentId: string): void;
  /** Agents followed by at least one connection. */
  followedCount(): number;
  close(): void;
}

interface Followed {
  readonly listeners: Set<PresenceListener>;
  readonly tmCreate: string;
  last: BoardPresence;
  frame: WireFrame;
}

const same = (a: BoardPresence, b: BoardPresence): boolean => a.status === b.status && a.since === b.since;

export function createPresenceFeed(view: PresenceView): PresenceFeed {
  const followed = new Map<string, Followed>();

  const frameOf = (agentId: string, presence: BoardPresence, tmCreate: string): WireFrame =>
    presenceFrame(agentId, presence.status, presence.since === null ? tmCreate : new Date(presence.since).toISOString());

  const stopWatching = view.onChange((agentIds) => {
    for (const agentId of agentIds) {
      const entry = followed.get(agentId);
      if (entry === undefined) continue;
      const now = view.presenceOf(agentId);
      if (same(now, entry.last)) continue;
      entry.last = now;
      entry.frame = frameOf(agentId, now, entry.tmCreate);
      for (const listener of entry.listeners) listener.onPresence(entry.frame);
    }
  });

  return {
    follow(listener, agentId, tmCreate) {
      let entry = followed.get(agentId);
      if (entry === undefined) {
        const last = view.presenceOf(agentId);
        entry = { listeners: new Set(), tmCreate, last, frame: frameOf(agentId, last, tmCreate) };
        followed.set(agentId, entry);
      }
      entry.listeners.add(listener);
      return entry.frame;
    },
    unfollow(listener, agentId) {
      const entry = followed.get(agentId);
      if (entry === undefined) return;
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0) followed.delete(agentId);
    },
    followedCount: () => followed.size,
    close() {
      stopWatching();
      followed.clear();
    },
  };
}

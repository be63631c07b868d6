/**
 * One connection's presence subscriptions (docs/websocket.md, Presence): at most
 * `PRESENCE_LIMITS.subscribedPerConnection` agents in all, counting those still being looked up,
 * so that a burst of subscribes meets the cap too. Agents of another customer (or none) are left
 * out and not kept. A subscribe is answered with one `presence` frame per agent of the caller's
 * customer it names, followed by one on every later change.
 */
import { AppError } from '@talk/shared/errors';
import { PRESENCE_LIMITS } from '@talk/shared/schemas';
import type { PresenceFeed, PresenceListener } from '../bus/presence-feed';
import type { Access, ConnectedAgent } from '../domain/access';
import type { WireFrame } from './wire-frame';

export interface PresenceSubscriptions {
  subscribe(agentIds: readonly string[]): Promise<void>;
  unsubscribe(agentIds: readonly string[]): void;
  dispose(): void;
}

export function createPresenceSubscriptions(
  agent: ConnectedAgent,
  deps: { readonly access: Access; readonly presence: PresenceFeed },
  send: (frame: WireFrame) => void,
): PresenceSubscriptions {
  const followed = new Set<string>();
  /** Named by a subscribe whose lookup is under way; an unsubscribe meanwhile takes them out. */
  const pending = new Set<string>();
  const listener: PresenceListener = { onPresence: send };
  let disposed = false;

  return {
    async subscribe(agentIds) {
      const named = [...new Set(agentIds)];
      const fresh = named.filter((id) => !followed.has(id) && !pending.has(id));
      const max = PRESENCE_LIMITS.subscribedPerConnection;
      if (followed.size + pending.size + fresh.length > max) {
        throw new AppError('INVALID_ARGUMENT', `a connection follows the presence of at most ${max} agents; it follows ${followed.size + pending.size}, and this names ${fresh.length} more`);
      }
      for (const id of fresh) pending.add(id);
      let found;
      try {
        found = await deps.access.agentsOfCustomer(agent, named);
      } catch (error) {
        for (const id of fresh) pending.delete(id);
        throw error;
      }
      if (disposed) return;
      const ofCustomer = new Map(found.map((one) => [one.id, one.tmCreate]));
      for (const id of fresh) if (pending.delete(id) && ofCustomer.has(id)) followed.add(id);
      for (const id of named) {
        const tmCreate = ofCustomer.get(id);
        if (tmCreate === undefined || !followed.has(id)) continue;
        send(deps.presence.follow(listener, id, tmCreate));
      }
    },
    unsubscribe(agentIds) {
      for (const id of agentIds) {
        pending.delete(id);
        if (followed.delete(id)) deps.presence.unfollow(listener, id);
      }
    },
    dispose() {
      disposed = true;
      for (const id of followed) deps.presence.unfollow(listener, id);
      followed.clear();
      pending.clear();
    },
  };
}

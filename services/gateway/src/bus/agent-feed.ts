/**
 * One NATS subscription to `agent.<id>.talks` per connected agent per process, shared by that
 * agent's connections: how an agent hears of being added to, or removed from, a talk. Beside it,
 * one to `read.*.<id>`: the agent's own marker moves, in any talk, with its counts (reads.ts).
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { parseEventJson } from '@talk/shared/events';
import type { Logger } from '@talk/shared/logger';
import type { Subjects } from '@talk/shared/subjects';
import { eventFrame } from '../ws/frames';
import { readItemOf, type ReadItem } from './reads';
import type { FeedItem } from './talk-feed';

export interface AgentListener {
  onMembershipEvent(item: FeedItem): void;
  onOwnRead(item: ReadItem): void;
}

export interface AgentFeed {
  join(agentId: string, listener: AgentListener): Promise<void>;
  leave(agentId: string, listener: AgentListener): void;
  close(): void;
}

export function createAgentFeed(nc: NatsConnection, subjects: Subjects, log: Logger): AgentFeed {
  const agents = new Map<string, { listeners: Set<AgentListener>; subscriptions: readonly Subscription[] }>();

  function onRead(agentId: string, json: string): void {
    const item = readItemOf(json);
    if (item?.agentId !== agentId) {
      log.warn({ agentId }, 'dropped an invalid read notice');
      return;
    }
    for (const listener of agents.get(agentId)?.listeners ?? []) listener.onOwnRead(item);
  }

  function onMessage(agentId: string, json: string): void {
    const parsed = parseEventJson(json);
    if (parsed.kind !== 'event') {
      log.warn({ agentId, parsed }, 'dropped a membership message that is not a known event');
      return;
    }
    const item = { event: parsed.event, frame: eventFrame(json) };
    for (const listener of agents.get(agentId)?.listeners ?? []) listener.onMembershipEvent(item);
  }

  return {
    async join(agentId, listener) {
      const existing = agents.get(agentId);
      if (existing !== undefined) {
        existing.listeners.add(listener);
        return;
      }
      const subscription = nc.subscribe(subjects.agentTalks(agentId), {
        callback: (error, msg) => {
          if (error !== null) log.warn({ err: error, agentId }, 'membership subscription error');
          else onMessage(agentId, msg.string());
        },
      });
      const reads = nc.subscribe(subjects.readsOfAgent(agentId), {
        callback: (error, msg) => {
          if (error !== null) log.warn({ err: error, agentId }, 'read subscription error');
          else onRead(agentId, msg.string());
        },
      });
      agents.set(agentId, { listeners: new Set([listener]), subscriptions: [subscription, reads] });
      await nc.flush();
    },

    leave(agentId, listener) {
      const entry = agents.get(agentId);
      if (entry === undefined || !entry.listeners.delete(listener)) return;
      if (entry.listeners.size === 0) {
        agents.delete(agentId);
        for (const subscription of entry.subscriptions) subscription.unsubscribe();
      }
    },

    close() {
      for (const entry of agents.values()) for (const subscription of entry.subscriptions) subscription.unsubscribe();
      agents.clear();
    },
  };
}

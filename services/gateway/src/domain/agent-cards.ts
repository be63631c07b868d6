/**
 * Which customer an agent is of, and when it was created: what a presence subscribe checks for
 * every agent it names. Neither ever changes, so they are kept (the most recently used
 * `maxEntries`), and a lookup of an agent already under way is shared: 5,000 connections that
 * follow the same 100 agents cost the database about one read of them, not 5,000.
 */
import type { AgentChecks } from './ports';

export interface AgentCard {
  readonly id: string;
  readonly customerId: string;
  readonly tmCreate: string;
}

export interface AgentCards {
  /** The cards of those of these agents that exist; ids of no agent are left out. */
  cardsOf(agentIds: readonly string[]): Promise<AgentCard[]>;
}

export function createAgentCards(identity: Pick<AgentChecks, 'findAgentsByIds'>, maxEntries: number): AgentCards {
  /** In order of last use: the first are the first forgotten. */
  const cards = new Map<string, AgentCard>();
  const underWay = new Map<string, Promise<AgentCard | undefined>>();

  function keep(card: AgentCard): void {
    cards.delete(card.id);
    cards.set(card.id, card);
    for (const oldest of cards.keys()) {
      if (cards.size <= maxEntries) break;
      cards.delete(oldest);
    }
  }

  function lookUp(agentIds: readonly string[]): void {
    const read = identity.findAgentsByIds(agentIds).then((agents) => {
      const found = new Map(agents.map((agent) => [agent.id, { id: agent.id, customerId: agent.customer_id, tmCreate: agent.tm_create }]));
      for (const card of found.values()) keep(card);
      return found;
    });
    for (const id of agentIds) {
      const one = read.then((found) => found.get(id));
      underWay.set(id, one);
      void one.then(
        () => underWay.delete(id),
        () => underWay.delete(id),
      );
    }
  }

  return {
    async cardsOf(agentIds) {
      const missing = agentIds.filter((id) => !cards.has(id) && !underWay.has(id));
      if (missing.length > 0) lookUp(missing);
      const found = await Promise.all(
        agentIds.map((id) => {
          const card = cards.get(id);
          if (card !== undefined) {
            keep(card);
            return Promise.resolve(card);
          }
          return underWay.get(id) ?? Promise.resolve(undefined);
        }),
      );
      return found.filter((card) => card !== undefined);
    },
  };
}

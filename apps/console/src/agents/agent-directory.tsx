/**
 * Who the customer's agents are: listed through `GET /v1.0/agents` with the agent's own token
 * (which lists the agents of its own customer), once per session and again after some minutes.
 * A participant whom the listing does not know yet (a colleague created since) makes it read the
 * listing again, at most once per `RELIST_AFTER_UNKNOWN_MS`. Until the listing answers, and for an
 * agent it does not hold, a short stand-in made from the id is shown.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useRef, type ReactNode } from 'react';
import type { Agent } from '@talk/shared/schemas';
import { useTalkClient } from '../api/talk-client';
import { collectAgents, colleaguesOf } from './agent-listing';

export interface AgentDirectory {
  readonly self: Agent;
  readonly nameOf: (agentId: string) => string;
  /** The customer's active agents but the signed-in one, by name; empty until the listing answers. */
  readonly colleagues: readonly Agent[];
  /** The listing's state, for the pickers that need it. */
  readonly listing: { readonly pending: boolean; readonly failure: unknown };
  /** Agents seen in a talk: the listing is read again when one of them is not in it. */
  readonly meet: (agentIds: readonly string[]) => void;
}

const agentsKey = ['agents'] as const;
/** Agents are created and renamed rarely: the listing is read again after this long. */
const LISTING_FRESH_MS = 5 * 60_000;
const RELIST_AFTER_UNKNOWN_MS = 30_000;

/** A stand-in for an agent the listing does not hold: short, stable, and plainly an id. */
export const placeholderName = (agentId: string): string => `Agent ${agentId.slice(0, 6)}`;

const DirectoryContext = createContext<AgentDirectory | undefined>(undefined);

export function AgentDirectoryProvider({ self, children }: { readonly self: Agent; readonly children: ReactNode }): ReactNode {
  const { talks } = useTalkClient();
  const queries = useQueryClient();
  const listing = useQuery({ queryKey: agentsKey, queryFn: () => collectAgents(talks.allAgents(100)), staleTime: LISTING_FRESH_MS });
  const byId = useMemo(() => new Map((listing.data ?? []).map((agent) => [agent.id, agent])), [listing.data]);
  const relistedAt = useRef(0);

  const meet = useCallback(
    (agentIds: readonly string[]) => {
      if (listing.data === undefined || agentIds.every((id) => id === self.id || byId.has(id))) return;
      if (Date.now() - relistedAt.current < RELIST_AFTER_UNKNOWN_MS) return;
      relistedAt.current = Date.now();
      void queries.invalidateQueries({ queryKey: agentsKey });
    },
    [listing.data, byId, self.id, queries],
  );

  const value = useMemo<AgentDirectory>(
    () => ({
      self,
      nameOf: (agentId) => (agentId === self.id ? self.name : (byId.get(agentId)?.name ?? placeholderName(agentId))),
      colleagues: colleaguesOf(listing.data ?? [], self.id),
      listing: { pending: listing.isPending, failure: listing.error },
      meet,
    }),
    [self, byId, listing.data, listing.isPending, listing.error, meet],
  );

  return <DirectoryContext.Provider value={value}>{children}</DirectoryContext.Provider>;
}

export function useAgentDirectory(): AgentDirectory {
  const directory = useContext(DirectoryContext);
  if (directory === undefined) throw new Error('useAgentDirectory outside AgentDirectoryProvider');
  return directory;
}

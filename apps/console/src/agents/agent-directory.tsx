/**
 * Names of agents. An agent's token cannot list the customer's agents (GET /v1.0/agents needs the
 * customer's accesskey) and a participant carries only an agent id, so the console knows the
 * signed-in agent's own name and, for everyone else, what this browser was told: names the agent
 * gave them here, and the ids met in talks' participant lists, kept in localStorage per customer.
 * When the API lets an agent look its colleagues up, this module is the one to change.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { z } from 'zod';
import type { Agent } from '@talk/shared/schemas';

export interface KnownAgent {
  readonly id: string;
  readonly name: string;
  /** A name given in this browser, or the signed-in agent's own. */
  readonly named: boolean;
}

export interface AgentDirectory {
  readonly self: Agent;
  readonly nameOf: (agentId: string) => string;
  /** Everyone met so far, the signed-in agent left out, named ones first. */
  readonly known: readonly KnownAgent[];
  readonly remember: (agentIds: readonly string[]) => void;
  readonly rename: (agentId: string, name: string) => void;
}

const Stored = z.object({ names: z.record(z.string(), z.string()), seen: z.array(z.string()) });
type Stored = z.infer<typeof Stored>;

const keyOf = (customerId: string): string => `talk.agents.${customerId}`;

function load(customerId: string): Stored {
  const raw = window.localStorage.getItem(keyOf(customerId));
  let value: unknown;
  try {
    value = raw === null ? undefined : JSON.parse(raw);
  } catch {
    value = undefined; // not ours: start over
  }
  const parsed = Stored.safeParse(value);
  return parsed.success ? parsed.data : { names: {}, seen: [] };
}

/** A stand-in for an agent nobody named here: short, stable, and plainly an id. */
export const placeholderName = (agentId: string): string => `Agent ${agentId.slice(0, 6)}`;

const DirectoryContext = createContext<AgentDirectory | undefined>(undefined);

export function AgentDirectoryProvider({ self, children }: { readonly self: Agent; readonly children: ReactNode }): ReactNode {
  const [stored, setStored] = useState<Stored>(() => load(self.customer_id));

  const update = useCallback(
    (change: (current: Stored) => Stored) =>
      setStored((current) => {
        const next = change(current);
        if (next === current) return current;
        window.localStorage.setItem(keyOf(self.customer_id), JSON.stringify(next));
        return next;
      }),
    [self.customer_id],
  );

  const remember = useCallback(
    (agentIds: readonly string[]) =>
      update((current) => {
        const fresh = agentIds.filter((id) => id !== self.id && !current.seen.includes(id));
        return fresh.length === 0 ? current : { ...current, seen: [...current.seen, ...new Set(fresh)] };
      }),
    [update, self.id],
  );
  const rename = useCallback(
    (agentId: string, name: string) =>
      update((current) => {
        const others = Object.entries(current.names).filter(([id]) => id !== agentId);
        const names = Object.fromEntries(name.trim() === '' ? others : [...others, [agentId, name.trim()]]);
        return { names, seen: current.seen.includes(agentId) ? current.seen : [...current.seen, agentId] };
      }),
    [update],
  );

  const value = useMemo<AgentDirectory>(() => {
    const nameOf = (agentId: string): string => (agentId === self.id ? self.name : (stored.names[agentId] ?? placeholderName(agentId)));
    const known = stored.seen
      .filter((id) => id !== self.id)
      .map((id) => ({ id, name: nameOf(id), named: stored.names[id] !== undefined }))
      .sort((a, b) => Number(b.named) - Number(a.named) || a.name.localeCompare(b.name));
    return { self, nameOf, known, remember, rename };
  }, [self, stored, remember, rename]);

  return <DirectoryContext.Provider value={value}>{children}</DirectoryContext.Provider>;
}

export function useAgentDirectory(): AgentDirectory {
  const directory = useContext(DirectoryContext);
  if (directory === undefined) throw new Error('useAgentDirectory outside AgentDirectoryProvider');
  return directory;
}

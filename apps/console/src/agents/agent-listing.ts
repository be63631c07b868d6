/** The customer's agents as the console's pickers show them: pure, over what the listing answered. */
import type { Agent } from '@talk/shared/schemas';

/**
 * How many agents the console holds: well past a contact centre's floor. Past it the pickers show
 * the first ones by id and other names fall back to a stand-in (docs/console.md, Agents).
 */
export const MAX_LISTED_AGENTS = 5_000;

/** Reads the listing's pages until it ends or holds `max` agents. */
export async function collectAgents(agents: AsyncIterable<Agent>, max = MAX_LISTED_AGENTS): Promise<readonly Agent[]> {
  const all: Agent[] = [];
  for await (const agent of agents) {
    all.push(agent);
    if (all.length >= max) break;
  }
  return all;
}

/** Active agents other than the signed-in one, by name (then username, for equal names). */
export function colleaguesOf(agents: readonly Agent[], selfId: string): readonly Agent[] {
  return agents
    .filter((agent) => agent.id !== selfId && agent.status === 'active')
    .sort((a, b) => a.name.localeCompare(b.name) || a.username.localeCompare(b.username));
}

/** Agents whose name or username holds every word of `query`, case and accents aside. */
export function matchAgents(agents: readonly Agent[], query: string): readonly Agent[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return agents;
  return agents.filter((agent) => {
    const haystack = `${fold(agent.name)} ${fold(agent.username)}`;
    return words.every((word) => haystack.includes(word));
  });
}

const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

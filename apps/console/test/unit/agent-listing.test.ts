import { newId } from '@talk/shared/ids';
import { Agent } from '@talk/shared/schemas';
import { collectAgents, colleaguesOf, matchAgents, MAX_LISTED_AGENTS } from '../../src/agents/agent-listing';

const CUSTOMER = newId();

/** An agent as the listing answers it (parsed, so the fixture is a valid wire shape). */
function agent(name: string, username: string, status: Agent['status'] = 'active'): Agent {
  return Agent.parse({ id: newId(), customer_id: CUSTOMER, username, name, status, tm_create: '2026-01-01T00:00:00.000Z' });
}

/** An endless listing that counts how many agents were read from it. */
function countingListing(): { readonly agents: AsyncIterable<Agent>; readonly read: () => number } {
  let read = 0;
  async function* agents(): AsyncGenerator<Agent> {
    for (;;) {
      read += 1;
      yield await Promise.resolve(agent(`Agent ${read}`, `agent.${read}`));
    }
  }
  return { agents: agents(), read: () => read };
}

const usernames = (agents: readonly Agent[]): readonly string[] => agents.map((a) => a.username);

describe('collectAgents', () => {
  it('stops at max agents and reads no further from the listing', async () => {
    const listing = countingListing();
    const collected = await collectAgents(listing.agents, 3);
    expect(usernames(collected)).toEqual(['agent.1', 'agent.2', 'agent.3']);
    expect(listing.read()).toBe(3);
  });

  it(`holds at most ${MAX_LISTED_AGENTS} agents when no max is given`, async () => {
    const listing = countingListing();
    const collected = await collectAgents(listing.agents);
    expect(collected).toHaveLength(MAX_LISTED_AGENTS);
    expect(listing.read()).toBe(MAX_LISTED_AGENTS);
  });

  it('reads a listing shorter than max to its end', async () => {
    async function* two(): AsyncGenerator<Agent> {
      yield await Promise.resolve(agent('Ana', 'ana'));
      yield agent('Bo', 'bo');
    }
    expect(usernames(await collectAgents(two(), 3))).toEqual(['ana', 'bo']);
  });
});

describe('colleaguesOf', () => {
  it('leaves out the signed-in agent and agents that are not active', () => {
    const self = agent('Self', 'self');
    const gone = agent('Gone', 'gone', 'deactivated');
    const other = agent('Other', 'other');
    expect(usernames(colleaguesOf([self, gone, other], self.id))).toEqual(['other']);
  });

  it('sorts by name, and by username for equal names', () => {
    const agents = [agent('Carla', 'carla'), agent('Ana', 'ana.z'), agent('Bruno', 'bruno'), agent('Ana', 'ana.a')];
    expect(usernames(colleaguesOf(agents, newId()))).toEqual(['ana.a', 'ana.z', 'bruno', 'carla']);
  });
});

describe('matchAgents', () => {
  const anaSilva = agent('Ana Silva', 'asilva');
  const anaCosta = agent('Ana Costa', 'acosta');
  const jose = agent('José Núñez', 'jnunez');
  const all = [anaSilva, anaCosta, jose];

  it('keeps only agents whose name or username holds every word of the query, in any order', () => {
    expect(usernames(matchAgents(all, 'silva ana'))).toEqual(['asilva']);
    expect(usernames(matchAgents(all, 'ana'))).toEqual(['asilva', 'acosta']);
  });

  it('matches a word in the username as well as in the name, across the two', () => {
    expect(usernames(matchAgents(all, 'acost'))).toEqual(['acosta']);
    expect(usernames(matchAgents(all, 'ana acost'))).toEqual(['acosta']);
  });

  it('ignores case and accents, on either side', () => {
    expect(usernames(matchAgents(all, 'JOSE nunez'))).toEqual(['jnunez']);
    expect(usernames(matchAgents([agent('Jose Nunez', 'jn')], 'José Núñez'))).toEqual(['jn']);
  });

  it('returns every agent for an empty or blank query', () => {
    expect(matchAgents(all, '')).toEqual(all);
    expect(matchAgents(all, '  \t ')).toEqual(all);
  });
});

import type { Agent } from '@talk/shared/schemas';
import { createAgentCards } from './agent-cards';

const agent = (id: string, customerId = 'c1'): Agent => ({ id, customer_id: customerId, username: id, name: id, status: 'active', tm_create: '2026-01-01T00:00:00.000Z' });

function directory(known: readonly Agent[]) {
  const reads: string[][] = [];
  return {
    reads,
    findAgentsByIds(ids: readonly string[]) {
      reads.push([...ids]);
      return Promise.resolve(known.filter((one) => ids.includes(one.id)));
    },
  };
}

describe('agent cards', () => {
  it('reads each agent once, also for lookups made at the same time, and leaves unknown ids out', async () => {
    const db = directory([agent('a'), agent('b', 'c2')]);
    const cards = createAgentCards(db, 10);
    const [first, second] = await Promise.all([cards.cardsOf(['a', 'b', 'x']), cards.cardsOf(['a', 'b'])]);
    expect(first.map((card) => [card.id, card.customerId])).toEqual([['a', 'c1'], ['b', 'c2']]);
    expect(second.map((card) => card.id)).toEqual(['a', 'b']);
    expect(await cards.cardsOf(['b', 'a'])).toHaveLength(2);
    expect(db.reads).toEqual([['a', 'b', 'x']]);
  });

  it('keeps at most maxEntries, forgetting the least recently used', async () => {
    const db = directory([agent('a'), agent('b'), agent('c')]);
    const cards = createAgentCards(db, 2);
    await cards.cardsOf(['a']);
    await cards.cardsOf(['b']);
    await cards.cardsOf(['a']);
    await cards.cardsOf(['c']);
    await cards.cardsOf(['a', 'b']);
    expect(db.reads).toEqual([['a'], ['b'], ['c'], ['b']]);
  });
});

import { hasReacted, withoutReaction, withReaction } from './reaction-sets';

describe('reaction sets', () => {
  it('adds an agent to an emoji once, keeping emoji in order of first use', () => {
    const one = withReaction([], 'thumbsup', 'a');
    const two = withReaction(withReaction(one, 'tada', 'b'), 'thumbsup', 'b');
    expect(two).toEqual([
      { emoji: 'thumbsup', count: 2, agent_ids: ['a', 'b'] },
      { emoji: 'tada', count: 1, agent_ids: ['b'] },
    ]);
    expect(withReaction(two, 'thumbsup', 'a')).toBe(two);
    expect(hasReacted(two, 'tada', 'b')).toBe(true);
    expect(hasReacted(two, 'tada', 'a')).toBe(false);
  });

  it('removes an agent, and the emoji with its last agent', () => {
    const reactions = withReaction(withReaction(withReaction([], 'thumbsup', 'a'), 'thumbsup', 'b'), 'tada', 'a');
    expect(withoutReaction(reactions, 'thumbsup', 'a')).toEqual([
      { emoji: 'thumbsup', count: 1, agent_ids: ['b'] },
      { emoji: 'tada', count: 1, agent_ids: ['a'] },
    ]);
    expect(withoutReaction(reactions, 'tada', 'a')).toEqual([{ emoji: 'thumbsup', count: 2, agent_ids: ['a', 'b'] }]);
    expect(withoutReaction(reactions, 'tada', 'b')).toEqual(reactions);
  });
});

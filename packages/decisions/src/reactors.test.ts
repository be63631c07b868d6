import { LIMITS } from '@talk/shared/schemas';
import { emojiOf, hasReacted, isEmojiPastLimit, reactionsOnWire, withoutReaction, withReaction, type Reactors } from './reactors';

const agent = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('reactors', () => {
  it('adds an agent to an emoji once, keeping emoji in order of their oldest reaction', () => {
    const one = withReaction([], 'thumbsup', 'a', 1);
    const two = withReaction(withReaction(one, 'tada', 'b', 2), 'thumbsup', 'b', 3);
    expect(reactionsOnWire(two)).toEqual([
      { emoji: 'thumbsup', count: 2, agent_ids: ['a', 'b'] },
      { emoji: 'tada', count: 1, agent_ids: ['b'] },
    ]);
    expect(withReaction(two, 'thumbsup', 'a', 4)).toBe(two);
    expect(hasReacted(two, 'tada', 'b')).toBe(true);
    expect(hasReacted(two, 'tada', 'a')).toBe(false);
  });

  it('removes an agent, and the emoji with its last agent; an emoji moves to the place of its oldest standing reaction', () => {
    const reactors = withReaction(withReaction(withReaction([], 'thumbsup', 'a', 1), 'tada', 'a', 2), 'thumbsup', 'b', 3);
    expect(reactionsOnWire(withoutReaction(reactors, 'thumbsup', 'a'))).toEqual([
      { emoji: 'tada', count: 1, agent_ids: ['a'] },
      { emoji: 'thumbsup', count: 1, agent_ids: ['b'] },
    ]);
    expect(reactionsOnWire(withoutReaction(reactors, 'tada', 'a'))).toEqual([{ emoji: 'thumbsup', count: 2, agent_ids: ['a', 'b'] }]);
    expect(withoutReaction(reactors, 'tada', 'b')).toBe(reactors);
  });

  it(`lists the first ${LIMITS.reactionAgentIdsMax} agents of a reaction with the exact count, and the next in line once one of them leaves`, () => {
    let reactors: Reactors = [];
    for (let n = 1; n <= 150; n += 1) reactors = withReaction(reactors, 'eyes', agent(n), n);
    const [full] = reactionsOnWire(reactors);
    expect(full?.count).toBe(150);
    expect(full?.agent_ids).toEqual(Array.from({ length: 100 }, (_, i) => agent(i + 1)));

    const [afterThird] = reactionsOnWire(withoutReaction(reactors, 'eyes', agent(3)));
    expect(afterThird?.count).toBe(149);
    expect(afterThird?.agent_ids).toEqual([1, 2, ...Array.from({ length: 98 }, (_, i) => i + 4)].map(agent));
    expect(afterThird?.agent_ids).toHaveLength(100);

    const [afterUnlisted] = reactionsOnWire(withoutReaction(reactors, 'eyes', agent(120)));
    expect(afterUnlisted).toEqual({ ...full, count: 149 });
  });

  it(`counts an emoji past the ${LIMITS.reactionsMax} distinct ones a message takes, but not one it has`, () => {
    let reactors: Reactors = [];
    for (let n = 1; n <= LIMITS.reactionsMax - 1; n += 1) reactors = withReaction(reactors, `e${n}`, 'a', n);
    expect(isEmojiPastLimit(reactors, 'new')).toBe(false);
    reactors = withReaction(reactors, 'last', 'a', 100);
    expect(emojiOf(reactors)).toHaveLength(LIMITS.reactionsMax);
    expect(isEmojiPastLimit(reactors, 'new')).toBe(true);
    expect(isEmojiPastLimit(reactors, 'e1')).toBe(false);
  });
});

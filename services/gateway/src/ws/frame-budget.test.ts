import { createFrameBudget } from './frame-budget';

const limits = { perSecond: 10, burst: 5, refusalsBeforeClose: 3 };

describe('createFrameBudget', () => {
  it('handles a burst, refuses past it, and closes a client that goes on', () => {
    const budget = createFrameBudget(limits, 0);
    const verdicts = Array.from({ length: 9 }, () => budget.take(0));
    expect(verdicts).toEqual(['handle', 'handle', 'handle', 'handle', 'handle', 'refuse', 'refuse', 'refuse', 'close']);
  });

  it('refills at its rate and forgives a client that backs off', () => {
    const budget = createFrameBudget(limits, 0);
    for (let i = 0; i < 5; i += 1) budget.take(0);
    expect([budget.take(0), budget.take(0)]).toEqual(['refuse', 'refuse']);
    // 100 ms later one frame's worth flowed in: handled, and the refusals start over.
    expect(budget.take(100)).toBe('handle');
    expect([budget.take(100), budget.take(100), budget.take(100), budget.take(100)]).toEqual(['refuse', 'refuse', 'refuse', 'close']);
    expect(budget.take(10_000)).toBe('handle');
  });
});

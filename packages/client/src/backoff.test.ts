import { createBackoff } from './backoff';

describe('createBackoff', () => {
  it('doubles the cap from initialMs up to maxMs', () => {
    const backoff = createBackoff({ initialMs: 100, maxMs: 1_000, random: () => 0.999_999 });
    const delays = Array.from({ length: 6 }, () => backoff.next());
    expect(delays).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('spreads delays between 0 and the cap', () => {
    const backoff = createBackoff({ initialMs: 100, maxMs: 1_000, random: () => 0 });
    expect([backoff.next(), backoff.next()]).toEqual([0, 0]);
  });

  it('starts over after reset', () => {
    const backoff = createBackoff({ initialMs: 100, maxMs: 1_000, random: () => 0.5 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(50);
  });

  it('refuses a cap below the first delay', () => {
    expect(() => createBackoff({ initialMs: 500, maxMs: 100 })).toThrow(/initialMs <= maxMs/);
  });
});

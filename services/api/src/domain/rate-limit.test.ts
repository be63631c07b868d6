import { createRateLimiter } from './rate-limit';

describe('rate limiter', () => {
  it('allows a burst, then refills at the rate', () => {
    const limiter = createRateLimiter({ ratePerSecond: 2, burst: 3 });
    const at = (ms: number) => limiter.take('agent', ms).allowed;
    expect([at(0), at(0), at(0)]).toEqual([true, true, true]);
    expect(limiter.take('agent', 0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(at(499)).toBe(false);
    expect(at(500)).toBe(true);
    expect(at(500)).toBe(false);
    expect([at(5_000), at(5_000), at(5_000), at(5_000)]).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per key', () => {
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 1 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
    expect(limiter.take('b', 0).allowed).toBe(true);
  });

  it('says how long to wait at a slow rate', () => {
    const limiter = createRateLimiter({ ratePerSecond: 0.1, burst: 1 });
    limiter.take('a', 0);
    expect(limiter.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });
});

import { createLocalRecords } from '@talk/shared/shared-records';
import { createRateLimiter, takeToken, type Bucket } from './rate-limit';

describe('token bucket', () => {
  const limit = { ratePerSecond: 2, burst: 3 };

  it('starts full, refills at the rate and keeps at most the burst', () => {
    let bucket: Bucket | null = null;
    const at = (ms: number) => {
      const taken = takeToken(bucket, limit, ms);
      if (taken.decision.allowed) bucket = taken.next;
      return taken.decision.allowed;
    };
    expect([at(0), at(0), at(0)]).toEqual([true, true, true]);
    expect(takeToken(bucket, limit, 0).decision).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(at(499)).toBe(false);
    expect(at(500)).toBe(true);
    expect(at(500)).toBe(false);
    expect([at(5_000), at(5_000), at(5_000), at(5_000)]).toEqual([true, true, true, false]);
  });

  it('says how long to wait at a slow rate', () => {
    const empty = { tokens: 0, atMs: 0 };
    expect(takeToken(empty, { ratePerSecond: 0.1, burst: 1 }, 0).decision).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('does not refill when a clock runs behind the one that charged the bucket last', () => {
    const charged = { tokens: 0, atMs: 10_000 };
    expect(takeToken(charged, limit, 9_000).decision.allowed).toBe(false);
    expect(takeToken(charged, limit, 10_500).decision.allowed).toBe(true);
  });
});

describe('rate limiter', () => {
  it('keeps one bucket per key', async () => {
    const limiter = createRateLimiter(createLocalRecords({ ttlMs: 60_000, maxRecords: 10 }), { ratePerSecond: 1, burst: 1 }, () => 0);
    expect((await limiter.take('a')).allowed).toBe(true);
    expect((await limiter.take('a')).allowed).toBe(false);
    expect((await limiter.take('b')).allowed).toBe(true);
  });
});

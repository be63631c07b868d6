/**
 * Per-agent token buckets: `ratePerSecond` tokens flow in, at most `burst` are kept, a request
 * takes one. Each API replica keeps its own buckets, so a deployment of N replicas allows up to N
 * times the rate per agent; the limit protects a replica, it is not a billing quota.
 */
export interface RateLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  take(key: string, nowMs: number): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Buckets idle long enough to be full again are forgotten, so memory follows active agents. */
const SWEEP_EVERY = 10_000;

export function createRateLimiter(limit: RateLimit): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const refillMs = (limit.burst / limit.ratePerSecond) * 1000;
  let takes = 0;

  function sweep(nowMs: number): void {
    for (const [key, bucket] of buckets) if (nowMs - bucket.updatedMs >= refillMs) buckets.delete(key);
  }

  return {
    take(key, nowMs) {
      takes += 1;
      if (takes % SWEEP_EVERY === 0) sweep(nowMs);
      const bucket = buckets.get(key) ?? { tokens: limit.burst, updatedMs: nowMs };
      const elapsedSeconds = Math.max(0, nowMs - bucket.updatedMs) / 1000;
      bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsedSeconds * limit.ratePerSecond);
      bucket.updatedMs = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / limit.ratePerSecond)) };
    },
  };
}

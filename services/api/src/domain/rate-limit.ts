/**
 * Token buckets: `ratePerSecond` tokens flow in, at most `burst` are kept, a request takes one.
 * The buckets are shared records (`SharedRecords`), one per key, which every API replica changes
 * together: the configured rate is the rate an agent gets behind the load balancer, whatever the
 * number of replicas (see docs/security.md).
 */
import { z } from 'zod';
import type { SharedRecords } from '@talk/shared/shared-records';

export interface RateLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** A bucket as stored: its tokens when it was last charged. */
export interface Bucket {
  readonly tokens: number;
  readonly atMs: number;
}

const StoredBucket = z.object({ tokens: z.number(), atMs: z.number() });

/** A record that is not a bucket (written by another version, say) counts as none: a full bucket. */
export function decodeBucket(stored: unknown): Bucket | null {
  const parsed = StoredBucket.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** Charges one token at `nowMs`: the bucket after it, and whether it was there. Pure. */
export function takeToken(bucket: Bucket | null, limit: RateLimit, nowMs: number): { readonly next: Bucket; readonly decision: RateDecision } {
  // Another replica's clock may be ahead: time never runs backwards for a bucket.
  const elapsedSeconds = bucket === null ? 0 : Math.max(0, nowMs - bucket.atMs) / 1000;
  const tokens = bucket === null ? limit.burst : Math.min(limit.burst, bucket.tokens + elapsedSeconds * limit.ratePerSecond);
  const atMs = bucket === null ? nowMs : Math.max(nowMs, bucket.atMs);
  if (tokens >= 1) return { next: { tokens: tokens - 1, atMs }, decision: { allowed: true } };
  const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / limit.ratePerSecond));
  return { next: { tokens, atMs }, decision: { allowed: false, retryAfterSeconds } };
}

export interface RateLimiter {
  take(key: string): Promise<RateDecision>;
}

export function createRateLimiter(records: SharedRecords, limit: RateLimit, now: () => number = Date.now): RateLimiter {
  return {
    take(key) {
      return records.change(key, decodeBucket, (bucket) => {
        const { next, decision } = takeToken(bucket, limit, now());
        // A refusal spends nothing: the bucket is left as the last charge wrote it.
        return { write: decision.allowed ? { put: next } : 'keep', answer: decision };
      });
    },
  };
}

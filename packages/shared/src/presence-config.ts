/**
 * Presence timings and the bucket's size, read by the gateway (which writes heartbeats and ages
 * out dead gateways) and the API (which reads presence and must age them out the same way).
 * The defaults meet the contract: a dead gateway's agents read `offline` within
 * `PRESENCE_TIMEOUT_MS` + `PRESENCE_SWEEP_MS` (21 s) of its last heartbeat.
 */
import { z } from 'zod';

export interface PresenceConfig {
  /** How often a gateway writes its heartbeat. */
  readonly heartbeatMs: number;
  /** A gateway whose heartbeat is this old is dead and its agents offline. */
  readonly timeoutMs: number;
  /** How often heartbeats are checked for age. */
  readonly sweepMs: number;
  /** Bytes the presence bucket may hold (an entry takes some 150 bytes). */
  readonly maxBytes: number;
}

export const presenceEnv = {
  PRESENCE_HEARTBEAT_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
  PRESENCE_TIMEOUT_MS: z.coerce.number().int().min(150).max(600_000).default(20_000),
  PRESENCE_SWEEP_MS: z.coerce.number().int().min(20).max(60_000).default(1_000),
  PRESENCE_MAX_BYTES: z.coerce.number().int().min(64 * 1024).max(4 * 1024 ** 3).default(64 * 1024 * 1024),
};

interface PresenceEnv {
  PRESENCE_HEARTBEAT_MS: number;
  PRESENCE_TIMEOUT_MS: number;
  PRESENCE_SWEEP_MS: number;
  PRESENCE_MAX_BYTES: number;
}

/** A timeout under two heartbeats would age out a live gateway whenever one heartbeat is late. */
export function refusePresenceTimeoutBelowHeartbeats(env: PresenceEnv, ctx: z.RefinementCtx): void {
  if (env.PRESENCE_TIMEOUT_MS < 2 * env.PRESENCE_HEARTBEAT_MS) {
    ctx.addIssue({ code: 'custom', path: ['PRESENCE_TIMEOUT_MS'], message: 'must be at least twice PRESENCE_HEARTBEAT_MS' });
  }
}

export const presenceConfig = (env: PresenceEnv): PresenceConfig => ({
  heartbeatMs: env.PRESENCE_HEARTBEAT_MS,
  timeoutMs: env.PRESENCE_TIMEOUT_MS,
  sweepMs: env.PRESENCE_SWEEP_MS,
  maxBytes: env.PRESENCE_MAX_BYTES,
});

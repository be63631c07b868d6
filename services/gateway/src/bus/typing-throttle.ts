/**
 * "At most one typing frame per agent and talk is forwarded per 2 seconds; the rest are dropped
 * silently." A gateway applies it twice: to its own agents before publishing (so NATS carries no
 * more), and to what it receives before handing it to its connections (so the rule holds for an
 * agent typing on two gateways at once). Memory follows the pairs seen in the last window.
 */
export const TYPING_WINDOW_MS = 2_000;

export interface TypingThrottle {
  /** Whether `agentId` typing in `talkId` at `nowMs` goes on; it does at most once per window. */
  pass(talkId: string, agentId: string, nowMs: number): boolean;
  /** Pairs remembered now. */
  readonly size: number;
}

export function createTypingThrottle(windowMs = TYPING_WINDOW_MS): TypingThrottle {
  /** Last forward per pair, oldest first (a forwarded pair moves to the end). */
  const forwarded = new Map<string, number>();

  function forgetOlderThan(nowMs: number): void {
    for (const [pair, at] of forwarded) {
      if (nowMs - at < windowMs) return;
      forwarded.delete(pair);
    }
  }

  return {
    pass(talkId, agentId, nowMs) {
      forgetOlderThan(nowMs);
      const pair = `${talkId} ${agentId}`;
      const last = forwarded.get(pair);
      if (last !== undefined && nowMs - last < windowMs) return false;
      forwarded.delete(pair);
      forwarded.set(pair, nowMs);
      return true;
    },
    get size() {
      return forwarded.size;
    },
  };
}

/**
 * How many frames one connection may send: a token bucket (`perSecond` flow in, at most `burst`
 * kept, a frame takes one). A frame over budget is answered `RATE_LIMITED` and not handled; a
 * client that goes on past `refusalsBeforeClose` refusals in a row is closed with 1008. A frame
 * within budget clears the count, so a client that backs off is forgiven.
 */
export interface FrameBudgetLimits {
  readonly perSecond: number;
  readonly burst: number;
  readonly refusalsBeforeClose: number;
}

export type FrameVerdict = 'handle' | 'refuse' | 'close';

export interface FrameBudget {
  take(nowMs: number): FrameVerdict;
}

export function createFrameBudget(limits: FrameBudgetLimits, startMs: number): FrameBudget {
  let tokens = limits.burst;
  let updatedMs = startMs;
  let refusals = 0;
  return {
    take(nowMs) {
      tokens = Math.min(limits.burst, tokens + (Math.max(0, nowMs - updatedMs) / 1000) * limits.perSecond);
      updatedMs = nowMs;
      if (tokens >= 1) {
        tokens -= 1;
        refusals = 0;
        return 'handle';
      }
      refusals += 1;
      return refusals > limits.refusalsBeforeClose ? 'close' : 'refuse';
    },
  };
}

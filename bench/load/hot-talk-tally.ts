/**
 * The hot-talk load process's bookkeeping: every post's outcome, and the phase's report made of
 * them. A post counts in the rate and the latencies when its answer came within the measured
 * window; every post counts in the non-2xx figures and, answered 2xx, in the log check.
 */
import { percentile } from '../lib/stats';
import type { AcceptedPost, TimedPostsReport } from './hot-talk-protocol';

export interface PostOutcome {
  /** Which API process answered: the index of its URL. */
  readonly api: number;
  /** performance.now() when the answer was in. */
  readonly answeredAt: number;
  readonly latencyMs: number;
  /** `error`: no answer (socket error, timeout). */
  readonly status: number | 'error';
  /** Set for a 2xx answer. */
  readonly accepted?: AcceptedPost;
}

export interface MeasuredWindow {
  /** performance.now() at the end of the warm-up. */
  readonly from: number;
  readonly durationMs: number;
}

const isSuccess = (status: number | 'error'): boolean => status !== 'error' && status >= 200 && status < 300;

export function tally(outcomes: readonly PostOutcome[], window: MeasuredWindow, apis: number): TimedPostsReport {
  const until = window.from + window.durationMs;
  const measured = outcomes.filter((outcome) => isSuccess(outcome.status) && outcome.answeredAt >= window.from && outcome.answeredAt < until);
  const perSecond = Array.from({ length: Math.ceil(window.durationMs / 1000) }, () => 0);
  const postsByApi = Array.from({ length: apis }, () => 0);
  for (const outcome of measured) {
    const second = Math.floor((outcome.answeredAt - window.from) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
    postsByApi[outcome.api] = (postsByApi[outcome.api] ?? 0) + 1;
  }
  const non2xxByStatus: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (isSuccess(outcome.status)) continue;
    const key = String(outcome.status);
    non2xxByStatus[key] = (non2xxByStatus[key] ?? 0) + 1;
  }
  // No latency to report: a phase without one success measured nothing but its failures.
  if (measured.length === 0) throw new Error(`no post was answered 2xx within the measured window; non-2xx: ${JSON.stringify(non2xxByStatus)}`);
  const latencies = measured.map((outcome) => outcome.latencyMs);
  return {
    posts: measured.length,
    postsPerSecond: measured.length / (window.durationMs / 1000),
    perSecond,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    non2xx: Object.values(non2xxByStatus).reduce((sum, count) => sum + count, 0),
    non2xxByStatus,
    postsByApi,
    accepted: outcomes.flatMap((outcome) => (outcome.accepted === undefined ? [] : [outcome.accepted])),
  };
}

/** Small statistics over samples: percentiles of latencies, medians of repeated runs. */

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** Rounds for a report: 3 significant decimals below 10, fewer above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) < 10 ? 3 : Math.abs(value) < 1_000 ? 1 : 0;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Runs `once` `runs` times and keeps the run whose `key` is the median. */
export async function medianRun<T>(runs: number, once: (run: number) => Promise<T>, key: (result: T) => number): Promise<T> {
  const results: T[] = [];
  for (let run = 0; run < runs; run += 1) results.push(await once(run));
  const sorted = [...results].sort((a, b) => key(a) - key(b));
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new Error('medianRun needs at least one run');
  return middle;
}

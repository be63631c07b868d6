/**
 * Sending one kind of request again and again for its latency: a warm-up that is thrown away,
 * then the samples, each within a time budget (history-protocol.ts `Repeats`).
 */
import { percentile } from '../lib/stats';
import type { Repeats, Timing } from './history-protocol';

export async function repeat(repeats: Repeats, once: (n: number) => Promise<number>): Promise<Timing> {
  let n = 0;
  const warmupStarted = performance.now();
  for (; n < repeats.warmup; n += 1) {
    if (n > 0 && performance.now() - warmupStarted > repeats.warmupBudgetMs) break;
    await once(n);
  }
  const warmup = n;
  const latencies: number[] = [];
  const started = performance.now();
  for (; latencies.length < repeats.samples; n += 1) {
    if (latencies.length >= repeats.minSamples && performance.now() - started > repeats.budgetMs) break;
    latencies.push(await once(n));
  }
  return { samples: latencies.length, warmup, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

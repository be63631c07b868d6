/**
 * Timing process of the history benchmark: one kind of request at a time, one request in flight
 * (latency, not throughput), a warm-up that is thrown away, then the samples, each within a time
 * budget (history-protocol.ts). It runs apart from
 * the scenario so that seeding and bookkeeping never share its event loop.
 */
import { serveParent } from '../lib/child';
import { percentile } from '../lib/stats';
import { timeHttpOnce } from './history-http';
import { TimingRequest, type Repeats, type Timing } from './history-protocol';
import { openSubscribeTimer } from './history-subscribe';

async function repeat(repeats: Repeats, once: (n: number) => Promise<number>): Promise<Timing> {
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

async function time(request: TimingRequest): Promise<Timing> {
  switch (request.type) {
    case 'http':
      return repeat(request.repeats, (n) => timeHttpOnce(request, n));
    case 'subscribe': {
      const timer = await openSubscribeTimer(request);
      try {
        return await repeat(request.repeats, () => timer.once());
      } finally {
        await timer.close();
      }
    }
  }
}

serveParent(TimingRequest, time);

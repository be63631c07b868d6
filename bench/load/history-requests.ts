/**
 * Timing process of the history benchmark: one kind of request at a time, one request in flight
 * (latency, not throughput), a warm-up that is thrown away, then the samples, each within a time
 * budget (history-protocol.ts). It runs apart from
 * the scenario so that seeding and bookkeeping never share its event loop.
 */
import { serveParent } from '../lib/child';
import { timeHttpOnce } from './history-http';
import { TimingRequest, type Timing } from './history-protocol';
import { repeat } from './repeat';
import { openSubscribeTimer } from './history-subscribe';

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

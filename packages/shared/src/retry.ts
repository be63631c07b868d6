/** Retrying a start-up step until it succeeds or start-up is abandoned. */
import type { Logger } from './logger';

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(new Error('start-up abandoned', { cause: signal.reason }));
    }
    signal.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Calls `attempt` until it resolves, waiting 250 ms, then twice as long each time up to 5 s, and
 * logging each failure. Rejects once `signal` aborts.
 */
export async function retryUntilDone<T>(what: string, attempt: () => Promise<T>, log: Logger, signal: AbortSignal): Promise<T> {
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    signal.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      signal.throwIfAborted();
      log.warn({ err: error, retryInMs: delay }, `${what} is not available yet; retrying`);
      await pause(delay, signal);
    }
  }
}

/**
 * Reconnect delays with "full jitter" (a random delay between 0 and an exponentially growing cap):
 * after a gateway dies, its clients spread their reconnects out instead of arriving together.
 */

export interface BackoffOptions {
  /** The cap of the first delay. */
  readonly initialMs: number;
  /** The cap never grows past this. */
  readonly maxMs: number;
  /** A number in [0, 1); Math.random unless a test passes its own. */
  readonly random?: () => number;
}

export interface Backoff {
  /** The delay before the next attempt; each call doubles the cap until `maxMs`. */
  next(): number;
  /** After a success: the next delay starts from `initialMs` again. */
  reset(): void;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 5_000 };

export function createBackoff(options: BackoffOptions = DEFAULT_BACKOFF): Backoff {
  if (!(options.initialMs > 0 && options.maxMs >= options.initialMs)) {
    throw new RangeError(`backoff needs 0 < initialMs <= maxMs, got ${options.initialMs} and ${options.maxMs}`);
  }
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    next() {
      const cap = Math.min(options.maxMs, options.initialMs * 2 ** attempt);
      attempt = Math.min(attempt + 1, 30);
      return Math.floor(random() * cap);
    },
    reset() {
      attempt = 0;
    },
  };
}

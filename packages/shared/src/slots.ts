/**
 * At most `limit` holders at once; the others wait their turn, first come first served. The
 * gateway bounds `after_seq` replays with it, per connection and per process, so a client (or all
 * of them together) cannot make it read the event log without bound; the API bounds password
 * hashes with it.
 */
export interface Slots {
  /** Resolves with the function that gives the slot back, once one is free. */
  acquire(): Promise<() => void>;
  /** Holders now. */
  readonly inUse: number;
  /** Callers waiting for a slot. */
  readonly waiting: number;
}

export function createSlots(limit: number): Slots {
  let inUse = 0;
  const queue: (() => void)[] = [];

  function release(): void {
    const next = queue.shift();
    if (next === undefined) inUse -= 1;
    else next(); // the slot passes straight to the next in line
  }

  return {
    get inUse() {
      return inUse;
    },
    get waiting() {
      return queue.length;
    },
    acquire() {
      let released = false;
      const once = (): void => {
        if (released) return;
        released = true;
        release();
      };
      if (inUse < limit) {
        inUse += 1;
        return Promise.resolve(once);
      }
      return new Promise((resolve) => queue.push(() => resolve(once)));
    },
  };
}

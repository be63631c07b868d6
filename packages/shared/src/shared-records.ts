/**
 * Small records that every replica of a service reads and changes together: the rate limits' token
 * buckets and the sign-in failure counts, so that a limit holds for the whole deployment, whatever
 * the number of replicas behind the load balancer. A change is decided from the record as it is
 * and stored only if no other process changed it meanwhile; otherwise it is decided again from the
 * newer record (compare-and-set), so two replicas never both spend the same token.
 *
 * `@talk/runtime/nats-shared-records` keeps them in a NATS key-value bucket; `createLocalRecords`
 * keeps them in the process (one replica, or while NATS does not answer).
 */

/** What a change does to its record: leave it, remove it, or store a new value. */
export type RecordWrite<T> = 'keep' | 'remove' | { readonly put: T };

export interface RecordChange<T, A> {
  readonly write: RecordWrite<T>;
  readonly answer: A;
}

export interface SharedRecords {
  /**
   * `decide` runs on the record under `key` (null when there is none, or when `decode` does not
   * recognise it) and may run again when another process changed the record first; it must be pure.
   * Keys are dot-separated tokens of `[A-Za-z0-9_-]`.
   */
  change<T, A>(key: string, decode: (stored: unknown) => T | null, decide: (current: T | null) => RecordChange<T, A>): Promise<A>;
}

const KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function assertRecordKey(key: string): void {
  if (!KEY.test(key) || key.length > 256) throw new Error(`"${key}" is not a record key (dot-separated tokens of [A-Za-z0-9_-])`);
}

export interface LocalRecordsOptions {
  /** A record not written for this long is forgotten (as a NATS key-value bucket's TTL). */
  readonly ttlMs: number;
  /** Records kept at most; past it the least recently written are forgotten. */
  readonly maxRecords: number;
  readonly now?: () => number;
}

/** Records in the process. Memory follows the keys written in the last `ttlMs`, and never exceeds `maxRecords`. */
export function createLocalRecords(options: LocalRecordsOptions): SharedRecords {
  const now = options.now ?? Date.now;
  /** In order of last write: a rewritten key moves to the end, so the oldest are first. */
  const records = new Map<string, { readonly value: unknown; readonly writtenAt: number }>();

  /** Forgets the expired records, and the oldest when `key` would be one too many. */
  function makeRoom(key: string, at: number): void {
    for (const [oldest, record] of records) {
      const full = records.size >= options.maxRecords && !records.has(key);
      if (at - record.writtenAt < options.ttlMs && !full) return;
      records.delete(oldest);
    }
  }

  return {
    change(key, decode, decide) {
      assertRecordKey(key);
      const at = now();
      makeRoom(key, at);
      const stored = records.get(key);
      const { write, answer } = decide(stored === undefined ? null : decode(stored.value));
      if (write === 'remove') records.delete(key);
      else if (write !== 'keep') {
        records.delete(key);
        records.set(key, { value: write.put, writtenAt: at });
      }
      return Promise.resolve(answer);
    },
  };
}

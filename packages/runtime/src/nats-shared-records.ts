/**
 * Shared records (`@talk/shared/shared-records`) in a NATS JetStream key-value bucket: one entry
 * per key, changed by compare-and-set on its revision, so the replicas of the API spend one token
 * bucket per agent between them. The bucket is in memory (a NATS restart refills every bucket,
 * which a rate limit can afford), its entries expire an hour after their last write, and it holds
 * at most `maxBytes` (`SHARED_RECORDS_MAX_BYTES`), which JetStream reserves of its memory when the
 * bucket is created; a record takes some 200 bytes.
 *
 * When NATS does not answer in time, or the bucket is full, the change is made in the process's
 * own records instead, and for `FALLBACK_MS` after that, so a NATS outage costs a request no more
 * than one timeout: the limits then hold per replica, as they did before they were shared.
 */
import { JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@talk/shared/logger';
import { assertRecordKey, createLocalRecords, type RecordChange, type SharedRecords } from '@talk/shared/shared-records';

export const RECORD_TTL_MS = 60 * 60 * 1000;
/** A few round trips on a loaded NATS; a request waits no longer for its limit. */
const OPERATION_TIMEOUT_MS = 250;
const FALLBACK_MS = 5_000;
/**
 * Compare-and-set attempts before the change is made locally. Only the other replicas can win one
 * first (a process changes a key one change at a time), and a loser waits a random few
 * milliseconds before it reads again, so that two replicas storming one key take turns.
 */
const MAX_ATTEMPTS = 64;
const backOff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20, 1 + attempt)));
/** JetStream's "wrong last sequence": another process wrote the entry first. */
const WRONG_LAST_SEQUENCE = 10_071;

const isConflict = (error: unknown): boolean => error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE;

export async function openNatsSharedRecords(nc: NatsConnection, bucket: string, maxBytes: number, log: Logger): Promise<SharedRecords> {
  const kv = await new Kvm(nc).create(bucket, {
    history: 1,
    storage: 'memory',
    ttl: RECORD_TTL_MS,
    max_bytes: maxBytes,
    timeout: OPERATION_TIMEOUT_MS,
    description: 'Talk: rate limits and sign-in failures shared by the API replicas',
  });
  return createNatsSharedRecords(kv, log);
}

function decodeEntry(bytes: Uint8Array): unknown {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return parsed;
  } catch {
    return null;
  }
}

async function changeInBucket<T, A>(
  kv: KV,
  key: string,
  decode: (stored: unknown) => T | null,
  decide: (current: T | null) => RecordChange<T, A>,
): Promise<{ readonly decided: true; readonly answer: A } | { readonly decided: false }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const entry = await kv.get(key);
    const present = entry !== null && entry.operation === 'PUT';
    const { write, answer } = decide(present ? decode(decodeEntry(entry.value)) : null);
    try {
      if (write === 'remove' && present) await kv.delete(key, { previousSeq: entry.revision });
      else if (write !== 'keep' && write !== 'remove') {
        const value = JSON.stringify(write.put);
        if (entry === null) await kv.create(key, value);
        else await kv.update(key, value, entry.revision);
      }
      return { decided: true, answer };
    } catch (error) {
      if (!isConflict(error)) throw error;
      await backOff(attempt);
    }
  }
  return { decided: false };
}

export function createNatsSharedRecords(kv: KV, log: Logger): SharedRecords {
  const local = createLocalRecords({ ttlMs: RECORD_TTL_MS, maxRecords: 100_000 });
  let localUntil = 0;
  /**
   * The change under way per key, the next one waits for it: many requests of one agent (or one
   * address) at once would otherwise all read the same revision and all but one lose the
   * compare-and-set, again and again. So only the other replicas can meet a change; an entry
   * lives while its key has changes waiting.
   */
  const underWay = new Map<string, Promise<unknown>>();

  function oneAtATime<A>(key: string, change: () => Promise<A>): Promise<A> {
    const previous = underWay.get(key) ?? Promise.resolve();
    const mine = previous.then(change, change);
    const done = mine.then(
      () => undefined,
      () => undefined,
    );
    underWay.set(key, done);
    void done.then(() => {
      if (underWay.get(key) === done) underWay.delete(key);
    });
    return mine;
  }

  async function changeShared<T, A>(key: string, decode: (stored: unknown) => T | null, decide: (current: T | null) => RecordChange<T, A>): Promise<A> {
    if (Date.now() < localUntil) return local.change(key, decode, decide);
    try {
      const outcome = await changeInBucket(kv, key, decode, decide);
      if (outcome.decided) return outcome.answer;
      log.warn({ key }, `shared record changed by others ${MAX_ATTEMPTS} times in a row; decided in this process`);
    } catch (error) {
      if (Date.now() >= localUntil) {
        log.warn({ err: error }, `shared records unavailable; limits hold per replica for the next ${FALLBACK_MS / 1000} s`);
      }
      localUntil = Date.now() + FALLBACK_MS;
    }
    return local.change(key, decode, decide);
  }

  return {
    async change(key, decode, decide) {
      assertRecordKey(key);
      return oneAtATime(key, () => changeShared(key, decode, decide));
    },
  };
}

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
/** Compare-and-set attempts before the change is made locally: only a storm on one key gets there. */
const MAX_ATTEMPTS = 8;
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
    }
  }
  return { decided: false };
}

export function createNatsSharedRecords(kv: KV, log: Logger): SharedRecords {
  const local = createLocalRecords({ ttlMs: RECORD_TTL_MS, maxRecords: 100_000 });
  let localUntil = 0;

  return {
    async change(key, decode, decide) {
      assertRecordKey(key);
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
    },
  };
}

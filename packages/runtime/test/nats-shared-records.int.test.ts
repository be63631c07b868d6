/** Shared records in a real NATS key-value bucket: one bucket spent by many processes at once. */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createLogger } from '@talk/shared/logger';
import { isolation, testServersFromEnv } from '@talk/shared/testing/isolation';
import type { RecordChange, SharedRecords } from '@talk/shared/shared-records';
import { openNatsSharedRecords } from '../src/nats-shared-records';

const log = createLogger('test', 'silent');
const MAX_BYTES = 256 * 1024;

/** A counter of taken tokens: the change hands out a token while fewer than `limit` are taken. */
const decodeTaken = (stored: unknown): number | null => (typeof stored === 'number' ? stored : null);
const takeOneOf =
  (limit: number) =>
  (taken: number | null): RecordChange<number, boolean> =>
    (taken ?? 0) < limit ? { write: { put: (taken ?? 0) + 1 }, answer: true } : { write: 'keep', answer: false };

describe('NATS shared records', () => {
  const bucket = `TEST_RECORDS_${isolation('records').subjectPrefix.replace('.', '')}`;
  const connections: NatsConnection[] = [];
  let replicas: SharedRecords[] = [];
  const replicaAt = (i: number): SharedRecords => {
    const records = replicas[i % replicas.length];
    if (records === undefined) throw new Error('the replicas are not open');
    return records;
  };

  beforeAll(async () => {
    const { natsUrl } = testServersFromEnv();
    for (let i = 0; i < 3; i += 1) connections.push(await connect({ servers: natsUrl }));
    // Three processes' worth of connections, each with its own view of the bucket.
    replicas = await Promise.all(connections.map((nc) => openNatsSharedRecords(nc, bucket, MAX_BYTES, log)));
  });

  afterAll(async () => {
    const [first] = connections;
    if (first !== undefined && !first.isClosed()) await (await jetstreamManager(first)).streams.delete(`KV_${bucket}`);
    await Promise.all(connections.map((nc) => nc.close()));
  });

  it('hands out each token once when three processes take at the same moment, many times', async () => {
    for (let trial = 0; trial < 10; trial += 1) {
      const key = `tokens.trial${trial}`;
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => replicaAt(i).change(key, decodeTaken, takeOneOf(7))),
      );
      expect(answers.filter(Boolean)).toHaveLength(7);
    }
  });

  it('keeps to the count when 200 changes of one key meet, 100 in each of two processes', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => replicaAt(i % 2).change('tokens.storm', decodeTaken, takeOneOf(60))));
    expect(answers.filter(Boolean)).toHaveLength(60);
  });

  it('removes a record, after which the change starts from nothing again', async () => {
    const [a, b] = replicas as [SharedRecords, SharedRecords];
    await a.change('counter.removed', decodeTaken, takeOneOf(1));
    expect(await b.change('counter.removed', decodeTaken, takeOneOf(1))).toBe(false);
    await a.change('counter.removed', decodeTaken, () => ({ write: 'remove', answer: undefined }));
    expect(await b.change('counter.removed', decodeTaken, takeOneOf(1))).toBe(true);
  });

  it('goes on in the process, within the operation timeout, when NATS does not answer', async () => {
    const nc = await connect({ servers: testServersFromEnv().natsUrl });
    const records = await openNatsSharedRecords(nc, bucket, MAX_BYTES, log);
    await nc.close();
    const started = Date.now();
    expect(await records.change('counter.offline', decodeTaken, takeOneOf(1))).toBe(true);
    expect(await records.change('counter.offline', decodeTaken, takeOneOf(1))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses a key that is not dot-separated tokens', async () => {
    await expect(replicaAt(0).change('a b', decodeTaken, takeOneOf(1))).rejects.toThrow(/not a record key/);
  });
});

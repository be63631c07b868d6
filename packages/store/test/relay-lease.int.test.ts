/** The outbox relays' lease: one holder per window, decided by a unique insert, even when claims race. */
import { MongoClient, type Db } from 'mongodb';
import { isolation, testServersFromEnv } from '@talk/shared/testing/isolation';
import { COLLECTIONS } from '../src/documents';
import { createRelayLease } from '../src/write-pipeline/relay-lease';

const WINDOW_MS = 1_000;

let mongo: MongoClient;
let db: Db;

beforeAll(async () => {
  mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
  db = mongo.db(isolation('relay_lease').db);
});
afterAll(() => mongo.close());

/** A clock a test moves by hand. */
function manualClock(startMs: number): { now: () => Date; advance: (ms: number) => void } {
  let ms = startMs;
  return { now: () => new Date(ms), advance: (by) => (ms += by) };
}

describe('createRelayLease', () => {
  it('gives each window to exactly one of many relays claiming it at once', async () => {
    const clock = manualClock(1_000_000 * WINDOW_MS);
    const leases = Array.from({ length: 10 }, (_, i) => createRelayLease(db, 'race', `relay-${i}`, WINDOW_MS, clock.now));
    const first = await Promise.all(leases.map((lease) => lease.held()));
    expect(first.filter(Boolean)).toHaveLength(1);
    // The answer holds for the rest of the window.
    expect(await Promise.all(leases.map((lease) => lease.held()))).toEqual(first);
  });

  it('lets another relay take over in the next window, and clears windows long past', async () => {
    const clock = manualClock(2_000_000 * WINDOW_MS);
    const a = createRelayLease(db, 'takeover', 'relay-a', WINDOW_MS, clock.now);
    const b = createRelayLease(db, 'takeover', 'relay-b', WINDOW_MS, clock.now);
    expect(await a.held()).toBe(true);
    expect(await b.held()).toBe(false);

    clock.advance(WINDOW_MS); // relay-a died: relay-b asks first in the next window
    expect(await b.held()).toBe(true);
    expect(await a.held()).toBe(false);

    clock.advance(20 * WINDOW_MS);
    expect(await a.held()).toBe(true);
    const windows = await db.collection(COLLECTIONS.relayLeases).countDocuments({ name: 'takeover' });
    expect(windows).toBe(1);
  });
});

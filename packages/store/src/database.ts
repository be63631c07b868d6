/** Talk's indexes, by collection, and how a database is brought to them (connections: @talk/runtime). */
import type { Db, IndexDescription } from 'mongodb';
import { COLLECTIONS } from './documents';

/**
 * Every index Talk relies on, by collection. Every query the data layer sends names an equality
 * on the first field of one of them (or on `_id`), so that its cost is bounded by what that
 * equality matches (a talk, a thread, an agent), never by the collection: the query-index test
 * (packages/store/test/query-indexes.int.test.ts) checks each query against this list. Unique
 * indexes carry the rules that must hold under concurrency.
 */
export const INDEXES: readonly (readonly [string, IndexDescription])[] = [
  [COLLECTIONS.customers, { key: { accesskey_hash: 1 }, unique: true }],
  [COLLECTIONS.agents, { key: { customer_id: 1, username: 1 }, unique: true }],
  [COLLECTIONS.participants, { key: { talk_id: 1, agent_id: 1 }, unique: true }],
  [COLLECTIONS.participants, { key: { agent_id: 1, status: 1 } }],
  [COLLECTIONS.messages, { key: { talk_id: 1, parent_id: 1, seq: -1 } }],
  [COLLECTIONS.messages, { key: { parent_id: 1, seq: 1 } }],
  [COLLECTIONS.messages, { key: { mention_ids: 1, tm_create: -1, _id: -1 } }],
  [COLLECTIONS.reactions, { key: { talk_id: 1, message_id: 1 } }],
  [COLLECTIONS.events, { key: { talk_id: 1, seq: 1 }, unique: true }],
  [COLLECTIONS.events, { key: { pending: 1, tm_create: 1, seq: 1 } }],
  [COLLECTIONS.events, { key: { message_id: 1, seq: 1 } }],
  [COLLECTIONS.events, { key: { reaction_of: 1, pending: 1 } }],
  [COLLECTIONS.relayLeases, { key: { name: 1, window: 1 } }],
  [COLLECTIONS.pairClaims, { key: { pair_key: 1, n: 1 } }],
];

/**
 * Indexes of earlier versions that would refuse today's writes, by collection and name. The
 * unique `pair_key` of talks: a direct pair's claims have a log of their own now (pair-claims.ts),
 * and talks projected from their events carry no key (a unique index over a field that is
 * missing refuses every talk after the first).
 */
const OBSOLETE_INDEXES: readonly (readonly [string, string])[] = [[COLLECTIONS.talks, 'pair_key_1']];

async function dropObsoleteIndexes(db: Db): Promise<void> {
  const collections = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const [collection, name] of OBSOLETE_INDEXES) {
    if (collections.has(collection) && (await db.collection(collection).indexExists(name))) await db.collection(collection).dropIndex(name);
  }
}

/** Creates every index of `INDEXES`. Idempotent; every service calls it at start-up so that no deployment order matters. */
export async function ensureIndexes(db: Db): Promise<void> {
  // One index per command and one command at a time: FerretDB v1 panics on createIndexes that
  // several services send at once for the same collection with several indexes (seen with
  // v1.24.2, "slice bounds out of range").
  for (const [collection, index] of INDEXES) await db.collection(collection).createIndexes([{ ...index }]);
  await dropObsoleteIndexes(db);
}

import { MongoClient, type Db } from 'mongodb';
import { COLLECTIONS } from './documents';

export interface Database {
  readonly db: Db;
  /** True while the server answers a ping. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectDatabase(url: string, dbName: string, appName: string): Promise<Database> {
  const client = new MongoClient(url, { appName, serverSelectionTimeoutMS: 5_000, maxPoolSize: 50 });
  await client.connect();
  const db = client.db(dbName);
  return {
    db,
    async ping() {
      try {
        await db.command({ ping: 1 });
        return true;
      } catch {
        return false; // any failure to answer means "not ready"; the caller reports it
      }
    },
    close: () => client.close(),
  };
}

/**
 * Creates every index Talk relies on. Idempotent; every service calls it at start-up so that no
 * deployment order matters. Unique indexes carry the rules that must hold under concurrency.
 */
export async function ensureIndexes(db: Db): Promise<void> {
  await Promise.all([
    db.collection(COLLECTIONS.customers).createIndex({ accesskey_hash: 1 }, { unique: true }),
    db.collection(COLLECTIONS.agents).createIndex({ customer_id: 1, username: 1 }, { unique: true }),
    db.collection(COLLECTIONS.talks).createIndex({ pair_key: 1 }, { unique: true }),
    db.collection(COLLECTIONS.talks).createIndex({ tm_update: -1, _id: 1 }),
    db.collection(COLLECTIONS.participants).createIndex({ talk_id: 1, agent_id: 1 }, { unique: true }),
    db.collection(COLLECTIONS.participants).createIndex({ agent_id: 1, status: 1 }),
    db.collection(COLLECTIONS.messages).createIndex({ talk_id: 1, parent_id: 1, seq: -1 }),
    db.collection(COLLECTIONS.events).createIndex({ talk_id: 1, seq: 1 }, { unique: true }),
    db.collection(COLLECTIONS.events).createIndex({ published: 1 }),
  ]);
}

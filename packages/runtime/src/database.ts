/** A connection to Talk's MongoDB database, as a service holds it from start-up to shutdown. */
import { MongoClient, type Db } from 'mongodb';

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

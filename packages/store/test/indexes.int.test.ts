/** `ensureIndexes` brings a database of an earlier version to today's indexes. */
import { MongoClient, type Db } from 'mongodb';
import { isolation, testServersFromEnv } from '@talk/shared/testing/isolation';
import { ensureIndexes, INDEXES } from '../src/database';
import { COLLECTIONS } from '../src/documents';

let mongo: MongoClient;
let db: Db;

beforeAll(async () => {
  mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
  db = mongo.db(isolation('indexes').db);
});
afterAll(async () => {
  await db.dropDatabase();
  await mongo.close();
});

describe('ensureIndexes', () => {
  it("drops the talks' unique pair_key of earlier versions, which would refuse every talk projected after the first", async () => {
    await db.collection(COLLECTIONS.talks).createIndexes([{ key: { pair_key: 1 }, unique: true }]);
    await ensureIndexes(db);
    await ensureIndexes(db);
    expect(await db.collection(COLLECTIONS.talks).indexExists('pair_key_1')).toBe(false);
    await db.collection<{ _id: string }>(COLLECTIONS.talks).insertMany([{ _id: 'a' }, { _id: 'b' }]);
    const expected = INDEXES.filter(([collection]) => collection === COLLECTIONS.pairClaims).length;
    expect((await db.collection(COLLECTIONS.pairClaims).listIndexes().toArray()).length).toBe(expected + 1);
  });
});

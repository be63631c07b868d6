/**
 * What a fault case may check beyond deliveries: a talk's log is gap-free, each acknowledged send
 * is in it once, and its projections (the talk, its participants, messages and reactions) equal
 * what a rebuild from its log gives (packages/store/src/projection-rebuild.ts). The rebuild runs in
 * a scratch database that holds a copy of the talk's log, so the running services are undisturbed.
 */
import { MongoClient, type Db, type Document } from 'mongodb';
import { eventually } from '@talk/shared/testing/eventually';
import { COLLECTIONS, type EventDoc } from '@talk/store/documents';
import { rebuildProjections } from '@talk/store/write-pipeline/projection-rebuild';

/** Each projection's documents of one talk, by the field that names the talk. */
const OF_TALK: readonly (readonly [string, string])[] = [
  [COLLECTIONS.talks, '_id'],
  [COLLECTIONS.participants, 'talk_id'],
  [COLLECTIONS.messages, 'talk_id'],
  [COLLECTIONS.reactions, 'talk_id'],
];

async function projectionsOf(db: Db, talkId: string): Promise<Map<string, Document[]>> {
  const entries = await Promise.all(OF_TALK.map(async ([name, field]) => [name, await db.collection(name).find({ [field]: talkId }).sort({ _id: 1 }).toArray()] as const));
  return new Map(entries);
}

/** Every difference between the talk's live projections and a rebuild of them, as lines for a report. */
async function rebuiltDifferences(live: Db, scratch: Db, talkId: string, log: readonly EventDoc[]): Promise<string[]> {
  await scratch.dropDatabase();
  await scratch.collection<EventDoc>(COLLECTIONS.events).insertMany([...log]);
  await rebuildProjections(scratch);
  const [actual, rebuilt] = await Promise.all([projectionsOf(live, talkId), projectionsOf(scratch, talkId)]);
  const differences: string[] = [];
  for (const [name] of OF_TALK) {
    const want = rebuilt.get(name) ?? [];
    const got = actual.get(name) ?? [];
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      const first = want.find((doc, i) => JSON.stringify(doc) !== JSON.stringify(got[i]));
      differences.push(`${name} of talk ${talkId}: ${got.length} live vs ${want.length} rebuilt; first difference at ${JSON.stringify(first?.['_id'] ?? null)}`);
    }
  }
  return differences;
}

/** Problems of the talk's log and projections; none when all holds. */
export async function checkLogAndProjections(mongoUrl: string, dbName: string, talkId: string, acknowledged: readonly string[]): Promise<string[]> {
  const mongo = await MongoClient.connect(mongoUrl);
  try {
    const live = mongo.db(dbName);
    const events = live.collection<EventDoc>(COLLECTIONS.events);
    // The services finish every event themselves (the outbox relay included) before the check.
    await eventually(async () => {
      const pending = await events.countDocuments({ talk_id: talkId, pending: true });
      if (pending > 0) throw new Error(`talk ${talkId}: ${pending} events are not applied and published yet`);
    }, 30_000, 250);
    const log = (await events.find({ talk_id: talkId }).toArray()).sort((a, b) => a.seq - b.seq);
    const problems: string[] = [];
    const gaps = log.filter((event, i) => event.seq !== i + 1).length;
    if (gaps > 0) problems.push(`talk ${talkId}: ${gaps} events off the seqs 1…${log.length}`);
    const recorded = new Map<string, number>();
    for (const event of log) {
      if (event.type === 'message_created' && typeof event.message_id === 'string') recorded.set(event.message_id, (recorded.get(event.message_id) ?? 0) + 1);
    }
    const notOnce = acknowledged.filter((id) => recorded.get(id) !== 1);
    if (notOnce.length > 0) problems.push(`talk ${talkId}: ${notOnce.length} acknowledged sends not in the log exactly once`);
    problems.push(...(await rebuiltDifferences(live, mongo.db(`${dbName}_rebuilt`), talkId, log)));
    await mongo.db(`${dbName}_rebuilt`).dropDatabase();
    return problems;
  } finally {
    await mongo.close();
  }
}

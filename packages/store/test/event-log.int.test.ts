/**
 * The event log's seq assignment when the talk's state snapshot lags, went back or is missing:
 * appends stay gap-free and `lastSeq` exact, because a snapshot is only ever the state at a seq
 * that was recorded, and the log after it is read seq by seq.
 */
import { MongoClient, type Db } from 'mongodb';
import { newId } from '@talk/shared/ids';
import { isolation, testServersFromEnv } from '@talk/shared/testing/isolation';
import { COLLECTIONS } from '../src/documents';
import { messageCreatedDraft, newMessage } from '@talk/decisions/drafts';
import { ensureIndexes } from '../src/database';
import { createEventLog, type EventLog } from '../src/write-pipeline/event-log';
import { emptyTalkState, foldEvent } from '@talk/decisions/talk-state';
import { createTalkStates, type TalkStateDoc } from '../src/write-pipeline/talk-states';

let mongo: MongoClient;
let db: Db;
let log: EventLog;

beforeAll(async () => {
  mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
  db = mongo.db(isolation('event_log').db);
  await ensureIndexes(db);
  log = createEventLog(db);
});
afterAll(() => mongo.close());

const draftIn = (talkId: string) =>
  messageCreatedDraft(
    newMessage({ id: newId(), talkId, type: 'normal', agentId: newId(), clientMessageId: null, text: 'hi', parentId: null, medias: [], mentionIds: [], at: new Date() }),
  );

async function seqsOf(talkId: string): Promise<number[]> {
  return (await log.listAfter(talkId, 0, 1_000)).map((event) => event.seq);
}

describe('event log seq assignment', () => {
  it('stays gap-free and exact when the state snapshot lags behind the log', async () => {
    const talkId = newId();
    for (let i = 0; i < 5; i += 1) await log.append(draftIn(talkId));
    // What lost snapshot writes leave (FerretDB v1 updates are not isolated): the state at seq 2.
    const early = (await log.listAfter(talkId, 0, 2)).reduce(foldEvent, emptyTalkState(talkId));
    await db.collection<TalkStateDoc>(COLLECTIONS.talkStates).deleteOne({ _id: talkId });
    await createTalkStates(db).save(early);
    expect(await log.lastSeq(talkId)).toBe(5);
    const appended = await log.append(draftIn(talkId));
    expect(appended.event.seq).toBe(6);
    expect(await seqsOf(talkId)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('finds the end of a log that has no snapshot', async () => {
    const talkId = newId();
    for (let i = 0; i < 3; i += 1) await log.append(draftIn(talkId));
    await db.collection<TalkStateDoc>(COLLECTIONS.talkStates).deleteOne({ _id: talkId });
    expect((await log.append(draftIn(talkId))).event.seq).toBe(4);
    expect(await log.lastSeq(talkId)).toBe(4);
  });

  it('gives concurrent appends consecutive seqs, once each', async () => {
    const talkId = newId();
    const results = await Promise.all(Array.from({ length: 20 }, () => log.append(draftIn(talkId))));
    expect(results.map((result) => result.event.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await seqsOf(talkId)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await log.lastSeq(talkId)).toBe(20);
  });
});

describe('event log append alongside', () => {
  it('runs alongside on the recorded event, and on the original when the event was recorded before', async () => {
    const talkId = newId();
    const draft = draftIn(talkId);
    const seen: number[] = [];
    const alongside = (event: { seq: number }): Promise<void> => {
      seen.push(event.seq);
      return Promise.resolve();
    };
    const first = await log.append(draft, alongside);
    const again = await log.append(draft, alongside);
    expect(first.kind).toBe('recorded');
    expect(again).toEqual({ kind: 'already_recorded', event: first.event });
    expect(seen).toEqual([1, 1]);
  });

  it('fails with the error of alongside, a duplicate key too, without recording the event again', async () => {
    const talkId = newId();
    const duplicate = Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    await expect(log.append(draftIn(talkId), () => Promise.reject(duplicate))).rejects.toBe(duplicate);
    // The event stands (the relay finishes it); a duplicate key there is not a seq conflict.
    expect(await seqsOf(talkId)).toEqual([1]);
  });
});

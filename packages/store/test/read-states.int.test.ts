/**
 * Readers' markers and counts (read-state/): counts kept from the log agree with a recount of the
 * messages as they end, whenever and however often they were read on the way, also from a cache a
 * lost write left behind; marks only go up when many devices mark at once.
 */
import { MongoClient, type Db } from 'mongodb';
import { newId } from '@talk/shared/ids';
import type { Message } from '@talk/shared/schemas';
import { isolation, testServersFromEnv } from '@talk/shared/testing/isolation';
import { messageChangeDraft, messageCreatedDraft, newMessage } from '@talk/decisions/drafts';
import { countOf, NOTHING_UNREAD, type UnreadCounts } from '@talk/decisions/unread';
import { ensureIndexes } from '../src/database';
import { COLLECTIONS, type ReadMarkDoc, type ReadStateDoc } from '../src/documents';
import { createReadStates, type Reader, type ReadStates } from '../src/read-state/read-states';
import { createEventLog, type EventLog } from '../src/write-pipeline/event-log';

let mongo: MongoClient;
let db: Db;
let log: EventLog;
let readStates: ReadStates;

beforeAll(async () => {
  mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
  db = mongo.db(isolation('read_states').db);
  await ensureIndexes(db);
  log = createEventLog(db);
  readStates = createReadStates(db);
});
afterAll(() => mongo.close());

const READER = newId();
const OTHER = newId();

/** A talk's messages as a writer leaves them, each change recorded in the log. */
function talkWriter(talkId: string) {
  const latest = new Map<string, Message>();
  return {
    latest,
    async post(fields: { author?: string; parentId?: string | null; mentions?: string[] } = {}): Promise<Message> {
      const drafted = newMessage({
        id: newId(), talkId, type: 'normal', agentId: fields.author ?? OTHER, clientMessageId: null, text: 'hi',
        parentId: fields.parentId ?? null, medias: [], mentionIds: fields.mentions ?? [], at: new Date(),
      });
      const { event } = await log.append(messageCreatedDraft(drafted));
      if (event.type !== 'message_created') throw new Error('not a message');
      latest.set(event.data.id, event.data);
      return event.data;
    },
    async change(message: Message, fields: Partial<Message>): Promise<void> {
      const next = { ...message, ...fields };
      await log.append(messageChangeDraft(fields.deleted === true ? 'message_deleted' : 'message_updated', next));
      latest.set(next.id, next);
    },
  };
}

const recount = (messages: Iterable<Message>, marker: number): UnreadCounts =>
  [...messages]
    .filter((m) => m.seq > marker)
    .map((m) => countOf(m, READER))
    .reduce((a, b) => ({ unread: a.unread + b.unread, mentions: a.mentions + b.mentions }), NOTHING_UNREAD);

describe('read states', () => {
  it('keeps counts equal to a recount through random posts, edits, deletes and marks, read at random moments', async () => {
    for (let run = 0; run < 3; run += 1) {
      const talkId = newId();
      const writer = talkWriter(talkId);
      const reader: Reader = { talkId, agentId: READER, joinedSeq: 0, leftAtSeq: null };
      let marker = 0;
      for (let step = 0; step < 60; step += 1) {
        const choice = Math.random();
        const standing = [...writer.latest.values()].filter((m) => !m.deleted);
        const target = standing[Math.floor(Math.random() * standing.length)];
        if (target === undefined || choice < 0.5) {
          await writer.post({
            author: Math.random() < 0.2 ? READER : OTHER,
            parentId: Math.random() < 0.2 && target !== undefined ? target.id : null,
            mentions: Math.random() < 0.3 ? [READER] : [],
          });
        } else if (choice < 0.7) {
          await writer.change(target, { deleted: true, text: '', mention_ids: [] });
        } else if (choice < 0.85) {
          await writer.change(target, { text: 'edited', edited: true, mention_ids: Math.random() < 0.5 ? [READER] : [] });
        } else {
          const seq = Math.floor(Math.random() * ((await log.lastSeq(talkId)) + 1));
          marker = (await readStates.markRead(reader, seq, new Date())).state.lastReadSeq;
        }
        if (Math.random() < 0.3) {
          const state = await readStates.stateOf(reader);
          expect(state).toEqual({ lastReadSeq: marker, counts: recount(writer.latest.values(), marker) });
        }
      }
      expect(await readStates.stateOf(reader)).toEqual({ lastReadSeq: marker, counts: recount(writer.latest.values(), marker) });
    }
  });

  it('answers the same from a cache that a lost write took back to an older count', async () => {
    const talkId = newId();
    const writer = talkWriter(talkId);
    const reader: Reader = { talkId, agentId: READER, joinedSeq: 0, leftAtSeq: null };
    const first = await writer.post({ mentions: [READER] });
    await writer.post();
    await readStates.stateOf(reader);
    const caches = db.collection<ReadStateDoc>(COLLECTIONS.readStates);
    const older = await caches.findOne({ _id: `${talkId}:${READER}` });
    await writer.change(first, { deleted: true, text: '', mention_ids: [] });
    await writer.post({ mentions: [READER] });
    const fresh = await readStates.stateOf(reader);
    expect(fresh.counts).toEqual({ unread: 2, mentions: 1 });
    if (older === null) throw new Error('no cache was saved');
    await caches.replaceOne({ _id: older._id }, older);
    expect(await readStates.stateOf(reader)).toEqual(fresh);
  });

  it('counts a reader who left only up to its leave', async () => {
    const talkId = newId();
    const writer = talkWriter(talkId);
    await writer.post();
    const leftAt = await log.lastSeq(talkId);
    await writer.post({ mentions: [READER] });
    const state = await readStates.stateOf({ talkId, agentId: READER, joinedSeq: 0, leftAtSeq: leftAt });
    expect(state.counts).toEqual({ unread: 1, mentions: 0 });
  });

  it('catches up a reader far behind, past the point reads and across chunks of the range, to a recount, also up to a leave', async () => {
    const talkId = newId();
    const writer = talkWriter(talkId);
    const reader: Reader = { talkId, agentId: READER, joinedSeq: 0, leftAtSeq: null };
    await writer.post({ mentions: [READER] });
    // A count cached early, then a long way behind: more events than the point reads and two range chunks take.
    expect((await readStates.stateOf(reader)).counts).toEqual({ unread: 1, mentions: 1 });
    const early: Message[] = [];
    let leftAt = 0;
    let atLeave = NOTHING_UNREAD;
    for (let i = 0; i < 1_200; i += 1) {
      const message = await writer.post({ author: i % 3 === 0 ? READER : OTHER, mentions: i % 7 === 0 ? [READER] : [] });
      if (i < 10) early.push(message);
      if (i === 900) {
        leftAt = message.seq;
        atLeave = recount(writer.latest.values(), 0);
      }
    }
    // Late changes of early messages: each must take off what its earlier version counted.
    for (const [i, message] of early.entries()) {
      await writer.change(message, i % 2 === 0 ? { deleted: true, text: '', mention_ids: [] } : { text: 'edited', edited: true, mention_ids: [READER] });
    }
    await writer.post({ mentions: [READER] });

    const due = { lastReadSeq: 0, counts: recount(writer.latest.values(), 0) };
    expect(await readStates.stateOf(reader)).toEqual(due);
    // Two replicas catching the same reader up at once, from no cache: both count right, and so does the cache they leave.
    const caches = db.collection<ReadStateDoc>(COLLECTIONS.readStates);
    await caches.deleteOne({ _id: `${talkId}:${READER}` });
    expect(await Promise.all([createReadStates(db).stateOf(reader), createReadStates(db).stateOf(reader)])).toEqual([due, due]);
    expect(await readStates.stateOf(reader)).toEqual(due);
    // No cache for this reader: counted from its marker, stopping at its leave.
    const leaver: Reader = { talkId, agentId: READER, joinedSeq: 0, leftAtSeq: leftAt };
    await caches.deleteOne({ _id: `${talkId}:${READER}` });
    expect((await readStates.stateOf(leaver)).counts).toEqual(atLeave);
  });

  it('only moves a marker up when many devices mark at once, and records marks in rising order', async () => {
    const talkId = newId();
    const writer = talkWriter(talkId);
    for (let i = 0; i < 20; i += 1) await writer.post();
    const reader: Reader = { talkId, agentId: READER, joinedSeq: 2, leftAtSeq: null };
    const seqs = Array.from({ length: 30 }, (_, i) => 1 + ((i * 13) % 20));
    const answers = await Promise.all(seqs.map((seq) => readStates.markRead(reader, seq, new Date())));
    answers.forEach(({ state }, i) => expect(state.lastReadSeq).toBeGreaterThanOrEqual(Math.max(seqs[i] ?? 0, 2)));
    expect(await readStates.markerOf(reader)).toBe(20);
    const marks = await db.collection<ReadMarkDoc>(COLLECTIONS.readMarks).find({ talk_id: talkId }).sort({ n: 1 }).toArray();
    const recorded = marks.map((mark) => mark.seq);
    expect(recorded).toEqual([...recorded].sort((x, y) => x - y));
    expect(new Set(recorded).size).toBe(recorded.length);
    expect(answers.filter(({ moved }) => moved)).toHaveLength(marks.length);
  });
});

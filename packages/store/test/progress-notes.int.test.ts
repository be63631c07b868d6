/**
 * Progress notes: what a request leaves to be written after it answered reaches the event log,
 * in batches while a write is in flight, and a note that cannot be written leaves the event
 * pending for the outbox relay instead of failing anyone.
 */
import { MongoClient, type Db } from 'mongodb';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { newId } from '@talk/shared/ids';
import { isolation, testServersFromEnv } from '@talk/shared/testing/isolation';
import { ensureIndexes } from '../src/database';
import { messageCreatedDraft, newMessage } from '@talk/decisions/drafts';
import { createEventLog, type EventLog, type ProgressNote } from '../src/write-pipeline/event-log';
import { createProgressNotes } from '../src/write-pipeline/progress-notes';

let mongo: MongoClient;
let db: Db;
let events: EventLog;

beforeAll(async () => {
  mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
  db = mongo.db(isolation('progress_notes').db);
  await ensureIndexes(db);
  events = createEventLog(db);
});
afterAll(() => mongo.close());

/** A logger whose lines are kept for the test to read. */
function capturedLog(): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines: () => lines };
}

async function recordIn(talkId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const draft = messageCreatedDraft(
      newMessage({ id: newId(), talkId, type: 'normal', agentId: newId(), clientMessageId: null, text: `m${i}`, parentId: null, medias: [], mentionIds: [], at: new Date() }),
    );
    ids.push((await events.append(draft)).event.id);
  }
  return ids;
}

/** Pending events of the talk, as the relay would find them. */
async function pendingOf(talkId: string): Promise<{ id: string; applied: boolean; published: boolean }[]> {
  const pending = await events.listPending(new Date(Date.now() + 60_000), 1_000);
  return pending
    .filter(({ event }) => event.talk_id === talkId)
    .map(({ event, applied, published }) => ({ id: event.id, applied, published }));
}

describe('progress notes', () => {
  it('writes every note, batching those taken while a write is in flight', async () => {
    const talkId = newId();
    const ids = await recordIn(talkId, 12);
    const writes: number[] = [];
    const counted = { markProgress: (notes: readonly ProgressNote[]) => (writes.push(notes.length), events.markProgress(notes)) };
    const notes = createProgressNotes(counted, capturedLog().log);
    for (const id of ids) notes.note(id, { applied: true, published: id !== ids[3] });
    await notes.close();

    expect(writes[0]).toBe(1); // an idle writer writes at once
    expect(writes.length).toBeLessThan(ids.length);
    expect(writes.reduce((sum, n) => sum + n, 0)).toBe(ids.length);
    expect(await pendingOf(talkId)).toEqual([{ id: ids[3], applied: true, published: false }]);
  });

  it('leaves the events pending and says so when the write fails, and answers every note', async () => {
    const talkId = newId();
    const ids = await recordIn(talkId, 2);
    const failing = { markProgress: () => Promise.reject(new Error('connection reset')) };
    const { log, lines } = capturedLog();
    const notes = createProgressNotes(failing, log);
    for (const id of ids) notes.note(id, { applied: true, published: true });
    await notes.close();

    expect((await pendingOf(talkId)).map(({ id }) => id)).toEqual(ids);
    expect(lines().some((line) => line['level'] === 40 && String(line['msg']).includes('outbox relay will finish'))).toBe(true);
  });

  it('takes no notes after close: the relay finishes those events', async () => {
    const talkId = newId();
    const [id] = await recordIn(talkId, 1);
    const notes = createProgressNotes(events, capturedLog().log);
    await notes.close();
    notes.note(id ?? '', { applied: true, published: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await pendingOf(talkId)).map((event) => event.id)).toEqual([id]);
  });
});

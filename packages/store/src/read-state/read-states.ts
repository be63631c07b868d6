/**
 * Each reader's marker and unread counts (CONTRACT section 8), kept from the talk's log.
 *
 * The marker is the newest of the reader's marks (read-marks.ts), or the seq it joined at if that
 * is higher. The counts are a function of the marker and the log; a cache per reader
 * (`read_states`) holds them as of a seq, and whoever reads them next counts on from there with
 * what the log recorded since: each message event carries its whole message, so a change is
 * counted by taking off what its message's previous version counted (@talk/decisions/unread).
 * Reading a reader's state costs two round trips: a point read of its cache, then, at once, one
 * of its next mark and one of the seq after the cache (plus a few more for the events since: point
 * reads for up to NEAR_EVENTS of them, one range query past that); listing talks never counts
 * their messages.
 */
import type { Db } from 'mongodb';
import { AppError } from '@talk/shared/errors';
import type { TalkChangeEvent } from '@talk/shared/events';
import type { Message } from '@talk/shared/schemas';
import { countChanges, NOTHING_UNREAD, type MessageChange, type UnreadCounts } from '@talk/decisions/unread';
import { COLLECTIONS, type EventDoc, type ReadStateDoc } from '../documents';
import { isDuplicateKey } from '../mongo-errors';
import { readOnwards } from '../point-reads';
import { messageCarriedBy, toEvent } from '../write-pipeline/event-docs';
import { createReadMarks, NO_MARK, type ReadMark } from './read-marks';

/** Whose read state, and which part of its talk's log it may read. */
export interface Reader {
  readonly talkId: string;
  readonly agentId: string;
  /** Seq of its newest `participant_joined`: its marker starts there. */
  readonly joinedSeq: number;
  /** Seq of its leave, after which it reads nothing; null while it takes part. */
  readonly leftAtSeq: number | null;
}

export interface CountedReadState {
  readonly lastReadSeq: number;
  readonly counts: UnreadCounts;
}

export interface ReadStates {
  /** The reader's marker and its counts as of the end of the talk's log (or its leave). */
  stateOf(reader: Reader): Promise<CountedReadState>;
  /** The reader's marker alone (read receipts). */
  markerOf(reader: Reader): Promise<number>;
  /**
   * Moves the marker up to `seq`, which the caller has checked the reader may read, unless it is
   * there or past it already: a marker never moves back, also when two devices mark at once.
   */
  markRead(reader: Reader, seq: number, at: Date): Promise<{ readonly state: CountedReadState; readonly moved: boolean }>;
}

const MAX_MARK_ATTEMPTS = 64;

/** How far behind a reader's count may be for point reads to catch it up; past it, a range. */
const NEAR_EVENTS = 64;
/** Events counted at a time when catching up far. */
const RANGE_CHUNK = 500;

const stateId = (reader: Reader): string => `${reader.talkId}:${reader.agentId}`;

const markOf = (cache: ReadStateDoc | null): ReadMark => (cache === null ? NO_MARK : { n: cache.mark_n, seq: cache.mark_seq });

export function createReadStates(db: Db): ReadStates {
  const caches = db.collection<ReadStateDoc>(COLLECTIONS.readStates);
  const events = db.collection<EventDoc>(COLLECTIONS.events);
  const marks = createReadMarks(db);

  /** The message as the event before `seq` of its log left it. */
  async function versionBefore(messageId: string, seq: number): Promise<Message> {
    const doc = await events.find({ message_id: messageId, seq: { $lt: seq } }).sort({ seq: -1 }).limit(1).next();
    const message = doc === null ? undefined : messageCarriedBy(toEvent(doc));
    if (message === undefined) throw new Error(`message ${messageId} changed at seq ${seq} with no event of it before`);
    return message;
  }

  /**
   * The first events of the reader's log after `afterSeq` (at most NEAR_EVENTS), by exact
   * `(talk_id, seq)` matches: the usual case, nothing or a few events new, in one round trip.
   */
  async function nearEventsAfter(reader: Reader, afterSeq: number): Promise<TalkChangeEvent[]> {
    const upTo = Math.min(reader.leftAtSeq ?? Infinity, afterSeq + NEAR_EVENTS);
    const docs = await readOnwards(afterSeq + 1, (seq) => events.findOne({ talk_id: reader.talkId, seq }), { upTo });
    return docs.map(toEvent);
  }

  /**
   * The reader's log after `afterSeq` in chunks, `near` (read already) first. A reader further
   * behind than NEAR_EVENTS (back after a day away from a busy talk) gets the rest from one range
   * query, read as a cursor: one round trip per chunk rather than one per event, and a chunk in
   * memory at a time. Like the point reads, it ends at the first seq missing.
   */
  async function* logAfter(reader: Reader, afterSeq: number, near: readonly TalkChangeEvent[]): AsyncGenerator<readonly TalkChangeEvent[]> {
    yield near;
    let last = near.at(-1)?.seq ?? afterSeq;
    const upTo = reader.leftAtSeq ?? Infinity;
    if (near.length < NEAR_EVENTS || last >= upTo) return;
    const range = events
      .find({ talk_id: reader.talkId, seq: Number.isFinite(upTo) ? { $gt: last, $lte: upTo } : { $gt: last } })
      .sort({ seq: 1 })
      .batchSize(RANGE_CHUNK);
    try {
      let chunk: TalkChangeEvent[] = [];
      for await (const doc of range) {
        if (doc.seq !== last + 1) break;
        last = doc.seq;
        chunk.push(toEvent(doc));
        if (chunk.length === RANGE_CHUNK) {
          yield chunk;
          chunk = [];
        }
      }
      yield chunk;
    } finally {
      await range.close();
    }
  }

  /**
   * What `logged` did to the messages after the marker, each change with the version it replaced;
   * `seen` carries the versions met in earlier chunks of the same log.
   */
  function changesIn(logged: readonly TalkChangeEvent[], marker: number, seen: Map<string, Message>): Promise<MessageChange[]> {
    const changes: Promise<MessageChange>[] = [];
    for (const event of logged) {
      if (event.type !== 'message_created' && event.type !== 'message_updated' && event.type !== 'message_deleted') continue;
      const after = event.data;
      if (after.seq <= marker) continue;
      const known = event.type === 'message_created' ? null : seen.get(after.id);
      changes.push(known === undefined ? versionBefore(after.id, event.seq).then((before) => ({ before, after })) : Promise.resolve({ before: known, after }));
      seen.set(after.id, after);
    }
    return Promise.all(changes);
  }

  async function save(reader: Reader, mark: ReadMark, lastReadSeq: number, countedTo: number, counts: UnreadCounts): Promise<void> {
    const doc: ReadStateDoc = {
      _id: stateId(reader),
      talk_id: reader.talkId,
      agent_id: reader.agentId,
      mark_n: mark.n,
      mark_seq: mark.seq,
      last_read_seq: lastReadSeq,
      counted_to: countedTo,
      unread_count: counts.unread,
      unread_mention_count: counts.mentions,
    };
    try {
      await caches.replaceOne({ _id: doc._id }, doc, { upsert: true });
    } catch (error) {
      // Two first counts at once: the other one's insert is as good as this one.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /**
   * The state for the reader's marker at `mark`: counted on from the cache when the cache counted
   * for that marker (with `sinceCache`, the start of the log after it, when it was read already),
   * else counted from the marker.
   */
  async function countFor(reader: Reader, mark: ReadMark, cache: ReadStateDoc | null, sinceCache?: readonly TalkChangeEvent[]): Promise<CountedReadState> {
    const lastReadSeq = Math.max(reader.joinedSeq, mark.seq);
    const usable = cache !== null && cache.last_read_seq === lastReadSeq;
    const from = usable ? cache.counted_to : lastReadSeq;
    const near = usable && sinceCache !== undefined ? sinceCache : await nearEventsAfter(reader, from);
    let counts: UnreadCounts = usable ? { unread: cache.unread_count, mentions: cache.unread_mention_count } : NOTHING_UNREAD;
    let countedTo = from;
    const seen = new Map<string, Message>();
    for await (const logged of logAfter(reader, from, near)) {
      counts = countChanges(counts, reader.agentId, lastReadSeq, await changesIn(logged, lastReadSeq, seen));
      countedTo = logged.at(-1)?.seq ?? countedTo;
    }
    const unchanged = usable && countedTo === cache.counted_to && mark.n === cache.mark_n;
    if (!unchanged) await save(reader, mark, lastReadSeq, countedTo, counts);
    return { lastReadSeq, counts };
  }

  async function newestMark(reader: Reader): Promise<{ mark: ReadMark; cache: ReadStateDoc | null }> {
    const cache = await caches.findOne({ _id: stateId(reader) });
    return { mark: await marks.newest(reader.talkId, reader.agentId, markOf(cache)), cache };
  }

  return {
    async stateOf(reader) {
      const cache = await caches.findOne({ _id: stateId(reader) });
      // The next mark and the log after the cache at once: nearly always neither moved, or only the log did.
      const [mark, sinceCache] = await Promise.all([
        marks.newest(reader.talkId, reader.agentId, markOf(cache)),
        cache === null ? undefined : nearEventsAfter(reader, cache.counted_to),
      ]);
      return countFor(reader, mark, cache, sinceCache);
    },

    async markerOf(reader) {
      const { mark } = await newestMark(reader);
      return Math.max(reader.joinedSeq, mark.seq);
    },

    async markRead(reader, seq, at) {
      for (let attempt = 0; attempt < MAX_MARK_ATTEMPTS; attempt += 1) {
        const { mark, cache } = await newestMark(reader);
        if (seq <= Math.max(reader.joinedSeq, mark.seq)) return { state: await countFor(reader, mark, cache), moved: false };
        const next: ReadMark = { n: mark.n + 1, seq };
        // Taken: another device marked first; read its mark and decide again.
        if (await marks.record(reader.talkId, reader.agentId, next, at)) return { state: await countFor(reader, next, cache), moved: true };
      }
      throw new AppError('UNAVAILABLE', 'the read marker kept moving while it was being set; try again');
    },
  };
}

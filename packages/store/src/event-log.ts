/**
 * The per-talk change stream. `append` gives each event the next `seq` of its talk by inserting it
 * under the unique index (talk_id, seq): of two writers that pick the same seq, exactly one insert
 * wins and the other tries the next one. A seq is only tried when the one before it is known to
 * be recorded (the talk's head says so, or an insert just met it), so the stream has no gaps. An event whose id is already recorded is not recorded again: writers that
 * derive the event id from an idempotency key get the original back.
 */
import type { Db } from 'mongodb';
import { AppError } from '@talk/shared/errors';
import { TalkChangeEvent } from '@talk/shared/events';
import { COLLECTIONS, type EventDoc } from './documents';
import { isDuplicateKey } from './mongo-errors';
import { createTalkHeads } from './talk-heads';

const MAX_APPEND_ATTEMPTS = 64;
const PROGRESS_UPDATES_IN_FLIGHT = 8;

export interface EventDraft {
  readonly id: string;
  readonly talkId: string;
  /** Builds the event once its seq is known (a message carries its own seq). */
  readonly build: (seq: number) => TalkChangeEvent;
}

export type AppendResult =
  | { readonly kind: 'recorded'; readonly event: TalkChangeEvent }
  | { readonly kind: 'already_recorded'; readonly event: TalkChangeEvent };

/** Work on a recorded event that `append` runs beside its own last step (the recorder projects it). */
export type AlongsideAppend = (event: TalkChangeEvent) => Promise<void>;

export interface EventLog {
  /**
   * Records the draft under its talk's next seq, or finds it recorded before (same id). `alongside`
   * runs on the recorded event, in both cases, beside the update of the talk's head: each is a
   * round trip, and neither needs the other. Settles once both have.
   */
  append(draft: EventDraft, alongside?: AlongsideAppend): Promise<AppendResult>;
  lastSeq(talkId: string): Promise<number>;
  /** Events after `afterSeq`, oldest first. */
  listAfter(talkId: string, afterSeq: number, limit: number): Promise<TalkChangeEvent[]>;
  /** Notes how far events got: applied to the projections, acknowledged by the bus. */
  markProgress(notes: readonly ProgressNote[]): Promise<void>;
  /** Events recorded before `recordedBefore` that are not yet applied or not yet published, oldest first. */
  listPending(recordedBefore: Date, limit: number): Promise<PendingEvent[]>;
  /**
   * Takes an event the bus refused off the pending list, saying why. It stays in the log: replays
   * and `/events` read it from there, and the gateways fill the gap it leaves on the bus.
   */
  park(eventId: string, reason: string, at: Date): Promise<void>;
}

export interface EventProgress {
  readonly applied: boolean;
  readonly published: boolean;
}

export interface ProgressNote extends EventProgress {
  readonly eventId: string;
}

export interface PendingEvent extends EventProgress {
  readonly event: TalkChangeEvent;
}

/** The database is an edge too: a stored event is parsed back into its wire shape. */
function toEvent(doc: EventDoc): TalkChangeEvent {
  return TalkChangeEvent.parse({
    id: doc._id,
    type: doc.type,
    talk_id: doc.talk_id,
    seq: doc.seq,
    tm_create: doc.tm_create,
    data: doc.data,
  });
}

function jitter(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createEventLog(db: Db): EventLog {
  const events = db.collection<EventDoc>(COLLECTIONS.events);
  const heads = createTalkHeads(db);

  /** Inserts the event; false when its id or its (talk, seq) is taken. */
  async function insertOnce(event: TalkChangeEvent): Promise<boolean> {
    try {
      await events.insertOne({
        _id: event.id,
        talk_id: event.talk_id,
        seq: event.seq,
        type: event.type,
        tm_create: event.tm_create,
        data: event.data,
        applied: false,
        published: false,
        pending: true,
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  return {
    lastSeq: (talkId) => heads.exact(talkId),

    async append(draft, alongside) {
      let seq = (await heads.hint(draft.talkId)) + 1;
      for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt += 1) {
        const event = draft.build(seq);
        if (event.id !== draft.id || event.talk_id !== draft.talkId || event.seq !== seq) {
          throw new Error(`event draft ${draft.id} built an event with another id, talk or seq`);
        }
        if (await insertOnce(event)) {
          await Promise.all([heads.advance(draft.talkId, seq), alongside?.(event)]);
          return { kind: 'recorded', event };
        }
        const existing = await events.findOne({ _id: draft.id });
        if (existing !== null) {
          const recorded = toEvent(existing);
          await alongside?.(recorded);
          return { kind: 'already_recorded', event: recorded };
        }
        // `seq` is taken, so it exists: the next one keeps the stream gap-free. Far behind (a
        // stale hint under heavy contention), ask for the exact end instead of stepping.
        seq = attempt % 8 === 7 ? (await heads.exact(draft.talkId)) + 1 : seq + 1;
        if (attempt >= 8) await jitter(attempt);
      }
      throw new AppError('UNAVAILABLE', 'the talk is too busy to record this change right now; try again');
    },

    async listAfter(talkId, afterSeq, limit) {
      const docs = await events.find({ talk_id: talkId, seq: { $gt: afterSeq } }).sort({ seq: 1 }).limit(limit).toArray();
      return docs.map(toEvent);
    },

    async listPending(recordedBefore, limit) {
      const docs = await events
        .find({ pending: true, tm_create: { $lt: recordedBefore.toISOString() } })
        .sort({ tm_create: 1, seq: 1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => ({ event: toEvent(doc), applied: doc.applied, published: doc.published }));
    },

    async park(eventId, reason, at) {
      await events.updateOne({ _id: eventId }, { $set: { parked: { reason, at } }, $unset: { pending: '' } });
    },

    async markProgress(notes) {
      if (notes.length === 0) return;
      // One update per command, a few at a time: FerretDB v1 hung under load on bulk updates,
      // holding a PostgreSQL connection per statement until its pool ran out (docs/storage.md).
      for (let from = 0; from < notes.length; from += PROGRESS_UPDATES_IN_FLIGHT) {
        await Promise.all(
          notes
            .slice(from, from + PROGRESS_UPDATES_IN_FLIGHT)
            .map(({ eventId, applied, published }) =>
              events.updateOne(
                { _id: eventId },
                // Only a note of both steps takes an event off the relay's list; a partial note
                // racing a relay that finished the event never puts it back.
                applied && published ? { $set: { applied, published }, $unset: { pending: '' } } : { $set: { applied, published } },
              ),
            ),
        );
      }
    },
  };
}

/**
 * The per-talk change stream, and the one way to add to it: `decide`. A decision is made against
 * the talk's state at a seq (its snapshot, talk-states.ts) and its events are recorded at exactly
 * the seqs after it, under the unique index (talk_id, seq), which succeeds only if that state was
 * the end of the log. When another writer recorded that seq first, the state is brought up to the
 * end and the decision is made again; a decision that records nothing stands only once the end is
 * confirmed. So every change is decided knowing every change before it, and the stream has no
 * gaps. An insert under a unique index is the one compare-and-set FerretDB v1 keeps isolated
 * (docs/storage.md), so this holds there as on MongoDB, across any number of processes. An event
 * whose id is already recorded is not recorded again: writers that derive the event id from an
 * idempotency key get the original back. No event larger than the contract allows is recorded:
 * a decision's events are all measured before the first is inserted (event-size.ts), and one too
 * large refuses the change like any refusal. What a decision is: decision.ts. The decisions one
 * process makes on one talk run one after the other (talk-lanes.ts), so they never race each other.
 */
import type { Db } from 'mongodb';
import { AppError } from '@talk/shared/errors';
import type { TalkChangeEvent } from '@talk/shared/events';
import type { Decide, Decided, Decision } from '@talk/decisions/decision';
import type { AppendResult, EventDraft } from '@talk/decisions/event-draft';
import { COLLECTIONS, type EventDoc } from '../documents';
import { createDecisionReads, StateBehind } from './decision-reads';
import { eventDocOf, toEvent } from './event-docs';
import { refuseOversizedEvent } from './event-size';
import { isDuplicateKey } from '../mongo-errors';
import { foldEvent, type TalkState } from '@talk/decisions/talk-state';
import { createTalkLanes, type LaneTurn } from './talk-lanes';
import { createTalkStates } from './talk-states';

const MAX_DECISION_ATTEMPTS = 64;

const PROGRESS_UPDATES_IN_FLIGHT = 8;

/** Work on each recorded event that `decide` runs, in order, beside saving the talk's state (the recorder projects them). */
export type AlongsideRecord = (event: TalkChangeEvent) => Promise<void>;

export interface EventLog {
  /**
   * Decides and records a change of the talk (see above). `alongside` runs on the events recorded,
   * and on an event found recorded before (its projection may be what a crash left undone), beside
   * saving the talk's state: each is a round trip, and neither needs the other.
   */
  decide<R>(talkId: string, decide: Decide<R>, alongside?: AlongsideRecord): Promise<Decided<R>>;
  /** Records one event whatever the talk's state: a decision that always says "this". */
  append(draft: EventDraft, alongside?: AlongsideRecord): Promise<AppendResult>;
  /** The newest seq of the talk's log (0 for none). */
  lastSeq(talkId: string): Promise<number>;
  /** The talk's state as of the newest seq recorded when the read ended: for checks before a decision, never instead of one. */
  state(talkId: string): Promise<TalkState>;
  /** The talk's event of this id, if it is recorded. */
  find(talkId: string, eventId: string): Promise<TalkChangeEvent | null>;
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

function jitter(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function built(draft: EventDraft, seq: number): TalkChangeEvent {
  const event = draft.build(seq);
  if (event.id !== draft.id || event.talk_id !== draft.talkId || event.seq !== seq) {
    throw new Error(`event draft ${draft.id} built an event with another id, talk or seq`);
  }
  return event;
}

export function createEventLog(db: Db): EventLog {
  const events = db.collection<EventDoc>(COLLECTIONS.events);
  const states = createTalkStates(db);
  const readsAt = createDecisionReads(db);
  const lanes = createTalkLanes();

  /** Inserts the event; false when its id or its (talk, seq) is taken. */
  async function insertOnce(event: TalkChangeEvent): Promise<boolean> {
    try {
      await events.insertOne(eventDocOf(event));
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Builds the drafts at the seqs after `state` and checks their size, before any is recorded. */
  function buildAfter(state: TalkState, drafts: readonly EventDraft[]): TalkChangeEvent[] {
    const toRecord = drafts.map((draft, i) => built(draft, state.seq + 1 + i));
    for (const event of toRecord) refuseOversizedEvent(event);
    return toRecord;
  }

  /** Inserts the events (built at the seqs after `state`), in order, until one meets a seq or id taken. */
  async function recordAfter(state: TalkState, toRecord: readonly TalkChangeEvent[]): Promise<{ state: TalkState; recorded: TalkChangeEvent[]; stoppedAt?: TalkChangeEvent }> {
    let current = state;
    const recorded: TalkChangeEvent[] = [];
    for (const event of toRecord) {
      if (!(await insertOnce(event))) return { state: current, recorded, stoppedAt: event };
      current = foldEvent(current, event);
      recorded.push(event);
    }
    return { state: current, recorded };
  }

  /** Saves the state and projects the events, in order: a decision's follow-up, run in its lane's order. */
  function followUpOf(state: TalkState, events: readonly TalkChangeEvent[], alongside: AlongsideRecord | undefined): () => Promise<void> {
    return async () => {
      const applyInOrder = async (): Promise<void> => {
        for (const event of events) await alongside?.(event);
      };
      await Promise.all([events.length > 0 ? states.save(state) : undefined, applyInOrder()]);
    };
  }

  /**
   * A state that the log has nothing after: a decision that records nothing (a refusal, or
   * "nothing to do") is only as good as that, since no insert checks it. Null when the log had
   * moved on, with the state brought up in `moved`.
   */
  async function confirmEnd(state: TalkState): Promise<{ readonly moved: TalkState | null }> {
    const caughtUp = await states.catchUp(state);
    return { moved: caughtUp.seq === state.seq ? null : caughtUp };
  }

  /** Decides and records, starting from the state this process's previous decision on the talk left. */
  async function recordDecision<R>(talkId: string, decide: Decide<R>, alongside: AlongsideRecord | undefined, carried: TalkState | null): Promise<LaneTurn<Decided<R>>> {
    // Decided on the state as this process knows it (or the snapshot): nearly always the end of
    // the log, and when it is not, the insert at the seq after it says so.
    let state = carried ?? (await states.snapshot(talkId));
    const recorded: TalkChangeEvent[] = [];
    for (let attempt = 0; attempt < MAX_DECISION_ATTEMPTS; attempt += 1) {
      let decision: Decision<R>;
      try {
        decision = await decide(state, readsAt(state));
      } catch (error) {
        if (error instanceof StateBehind) {
          state = await states.catchUp(state);
          continue;
        }
        const { moved } = await confirmEnd(state);
        if (moved === null) throw error;
        state = moved;
        continue;
      }
      if (decision.drafts.length === 0) {
        const { moved } = await confirmEnd(state);
        if (moved !== null) {
          state = moved;
          continue;
        }
      }
      let toRecord: TalkChangeEvent[];
      try {
        toRecord = buildAfter(state, decision.drafts);
      } catch (error) {
        // An event too large is a refusal of the change, and like any refusal it stands only on
        // the end of the log: on a newer state the change may be smaller, or not needed.
        const { moved } = await confirmEnd(state);
        if (moved === null) throw error;
        state = moved;
        continue;
      }
      const outcome = await recordAfter(state, toRecord);
      state = outcome.state;
      recorded.push(...outcome.recorded);
      if (outcome.stoppedAt === undefined) {
        const answer = decision.answer({ state, events: recorded });
        return { result: { answer, recorded }, state, followUp: followUpOf(state, recorded, alongside) };
      }
      // The seq was taken (decide again knowing that change), or the id was (a retried change).
      const { moved } = await confirmEnd(state);
      if (moved !== null) {
        state = moved;
        if (attempt >= 8) await jitter(attempt);
        continue;
      }
      const existing = await events.findOne({ _id: outcome.stoppedAt.id });
      if (existing === null) throw new Error(`event ${outcome.stoppedAt.id} met a taken seq or id, and neither is in the log`);
      // Recorded before under this id: a retried change. Its projection may be what was lost.
      const found = toEvent(existing);
      const answer = decision.answer({ state, events: [...recorded, found] });
      const projectRecorded = followUpOf(state, recorded, alongside);
      const followUp = async (): Promise<void> => {
        await projectRecorded();
        await alongside?.(found);
      };
      return { result: { answer, recorded }, state, followUp };
    }
    throw new AppError('UNAVAILABLE', 'the talk is too busy to record this change right now; try again');
  }

  const decideAndRecord = <R>(talkId: string, decide: Decide<R>, alongside?: AlongsideRecord): Promise<Decided<R>> =>
    lanes.run(talkId, (carried) => recordDecision(talkId, decide, alongside, carried));

  return {
    lastSeq: async (talkId) => (await states.current(talkId)).seq,
    state: (talkId) => states.current(talkId),
    decide: decideAndRecord,
    async find(talkId, eventId) {
      const doc = await events.findOne({ _id: eventId, talk_id: talkId });
      return doc === null ? null : toEvent(doc);
    },

    async append(draft, alongside) {
      const { answer, recorded } = await decideAndRecord(
        draft.talkId,
        () => ({
          drafts: [draft],
          answer: ({ events: [event] }) => {
            if (event === undefined) throw new Error(`event ${draft.id} was neither recorded nor found`);
            return event;
          },
        }),
        alongside,
      );
      return { kind: recorded.length > 0 ? 'recorded' : 'already_recorded', event: answer };
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

/**
 * Each talk's decision state (talk-state.ts), read as of the newest seq of its log. A snapshot per
 * talk (`talk_states`) saves folding the whole log: it is read by `_id`, then the events after it
 * are read by exact (talk_id, seq) matches, several at once, until the next seq is not there.
 * Every read is a point lookup, which every server answers from an index (FerretDB v1 included:
 * a range of seqs would read the talk's whole log there, docs/storage.md).
 *
 * The snapshot is a cache, never trusted for more than it says: each writer replaces it whole with
 * the state it computed for its own seq, if the snapshot is older, so whatever write lands last,
 * the document is the exact state at the seq it names (FerretDB v1 writes a document's row at
 * once, even though it does not isolate the check before). A snapshot that lags, or went back to
 * an older seq there, only costs reads.
 */
import type { Collection, Db } from 'mongodb';
import { Participant, type Talk } from '@talk/shared/schemas';
import { COLLECTIONS, type EventDoc } from '../documents';
import { toEvent } from './event-docs';
import { isDuplicateKey } from '../mongo-errors';
import { readOnwards } from '../point-reads';
import { z } from 'zod';
import { emptyTalkState, foldEvent, type MemberSeqs, type TalkState } from '@talk/decisions/talk-state';

export interface TalkStateDoc {
  _id: string;
  seq: number;
  talk: Talk | null;
  /**
   * The members as one JSON text (a `Participant[]`): the snapshot is read and written whole on
   * every change and never queried inside, and FerretDB v1 converts each nested value on every
   * read and write (a talk of 100 members: 8 ms to read and 9 ms to replace as an array of
   * documents, 1,000 members: 49 and 107 ms; as one string, about what 2 members cost).
   */
  members: string;
  /** The members' join and leave seqs as one JSON text (`[agentId, MemberSeqs][]`); absent in snapshots saved before them. */
  member_seqs?: string;
}

export interface TalkStates {
  /** The talk's snapshot as it is: the state at some recorded seq, usually the newest. */
  snapshot(talkId: string): Promise<TalkState>;
  /** The state as of the newest seq recorded when the read ended. */
  current(talkId: string): Promise<TalkState>;
  /** `state`, moved on through every event recorded after it. */
  catchUp(state: TalkState): Promise<TalkState>;
  /** Keeps `state` as the talk's snapshot. Best effort: a lost write only costs the next reader reads. */
  save(state: TalkState): Promise<void>;
}

const toDoc = (state: TalkState): TalkStateDoc => ({
  _id: state.talkId,
  seq: state.seq,
  talk: state.talk,
  members: JSON.stringify([...state.members.values()]),
  member_seqs: JSON.stringify([...state.memberSeqs]),
});

/** The database is an edge too: the members are parsed back into their wire shape. */
const Members = Participant.array();
const membersOf = (text: string): Participant[] => Members.parse(JSON.parse(text));
const MemberSeqsList = z.array(z.tuple([z.string(), z.object({ joined: z.number().int().positive(), left: z.number().int().positive().nullable() })]));
const memberSeqsOf = (text: string | undefined): Map<string, MemberSeqs> => new Map(text === undefined ? [] : MemberSeqsList.parse(JSON.parse(text)));

const fromDoc = (doc: TalkStateDoc): TalkState => ({
  talkId: doc._id,
  seq: doc.seq,
  talk: doc.talk,
  members: new Map(membersOf(doc.members).map((member) => [member.agent_id, member])),
  memberSeqs: memberSeqsOf(doc.member_seqs),
});

export function createTalkStates(db: Db): TalkStates {
  const snapshots: Collection<TalkStateDoc> = db.collection(COLLECTIONS.talkStates);
  const events: Collection<EventDoc> = db.collection(COLLECTIONS.events);

  async function catchUp(state: TalkState): Promise<TalkState> {
    // One round trip when the state is at the end or one behind (nearly always), a few more for
    // a state far behind, so a writer catching up on a busy talk gets ahead of its writers.
    const after = await readOnwards(state.seq + 1, (seq) => events.findOne({ talk_id: state.talkId, seq }));
    return after.reduce((current, doc) => foldEvent(current, toEvent(doc)), state);
  }

  async function snapshot(talkId: string): Promise<TalkState> {
    const doc = await snapshots.findOne({ _id: talkId });
    return doc === null ? emptyTalkState(talkId) : fromDoc(doc);
  }

  return {
    catchUp,
    snapshot,
    current: async (talkId) => catchUp(await snapshot(talkId)),
    async save(state) {
      if (state.seq === 0) return;
      try {
        await snapshots.replaceOne({ _id: state.talkId, seq: { $lt: state.seq } }, toDoc(state), { upsert: true });
      } catch (error) {
        // The snapshot is at or past this seq already: the upsert's insert met it.
        if (!isDuplicateKey(error)) throw error;
      }
    },
  };
}

/**
 * Where each talk's change stream ends, kept as a hint so that recording an event does not have
 * to search the log. On FerretDB v1 "the newest event of a talk" (a sort on seq with a limit) is
 * answered by reading every event of the talk (no sort pushdown): 6 ms at 200 events, 130 ms at
 * 1,500 (docs/storage.md). A lookup by `_id` and an exact (talk_id, seq) match stay ~2 ms.
 *
 * The hint is never trusted for correctness: it is only ever set to a seq that was recorded, so
 * it can lag (a lost or late update) but never run ahead, and a writer that starts from a lagging
 * hint meets the recorded seqs as unique-index conflicts and moves past them.
 */
import type { Collection, Db } from 'mongodb';
import { COLLECTIONS, type EventDoc, type TalkHeadDoc } from './documents';
import { isDuplicateKey } from './mongo-errors';

export interface TalkHeads {
  /** A seq the talk's log has reached (0 for none); the true end may be a little further. */
  hint(talkId: string): Promise<number>;
  /** Notes that `seq` was recorded. Best effort: a hint that stays behind only costs a retry. */
  advance(talkId: string, seq: number): Promise<void>;
  /** The exact newest seq: the hint, then forward while the next seq exists. */
  exact(talkId: string): Promise<number>;
}

export function createTalkHeads(db: Db): TalkHeads {
  const heads: Collection<TalkHeadDoc> = db.collection(COLLECTIONS.talkHeads);
  const events: Collection<EventDoc> = db.collection(COLLECTIONS.events);

  /** Without a head (a log written before heads existed), the one slow search, once. */
  async function search(talkId: string): Promise<number> {
    const newest = await events.find({ talk_id: talkId }).sort({ seq: -1 }).limit(1).next();
    return newest?.seq ?? 0;
  }

  async function advance(talkId: string, seq: number): Promise<void> {
    try {
      await heads.updateOne({ _id: talkId, seq: { $lt: seq } }, { $set: { seq } }, { upsert: true });
    } catch (error) {
      // The head is already at or past `seq`: the upsert's insert met the existing document.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async function hint(talkId: string): Promise<number> {
    const head = await heads.findOne({ _id: talkId });
    if (head !== null) return head.seq;
    const found = await search(talkId);
    if (found > 0) await advance(talkId, found);
    return found;
  }

  return {
    hint,
    advance,
    async exact(talkId) {
      const start = await hint(talkId);
      let seq = start;
      while ((await events.findOne({ talk_id: talkId, seq: seq + 1 }, { projection: { _id: 1 } })) !== null) seq += 1;
      if (seq > start) await advance(talkId, seq);
      return seq;
    },
  };
}

/**
 * Each reader's marks: the log of its marker's moves (documents.ts `ReadMarkDoc`). A mark is
 * recorded at the position after the newest one read, and only with a higher seq, so the log only
 * goes up; when two devices mark at once, one insert wins the position and the other reads it
 * and decides again.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS, type ReadMarkDoc } from '../documents';
import { isDuplicateKey } from '../mongo-errors';
import { readOnwards } from '../point-reads';

/** A mark: its position in the reader's log (0: none yet) and its seq. */
export interface ReadMark {
  readonly n: number;
  readonly seq: number;
}

export const NO_MARK: ReadMark = { n: 0, seq: 0 };

export interface ReadMarks {
  /** The reader's newest mark, read on from `known` (a mark it had, or NO_MARK). */
  newest(talkId: string, agentId: string, known: ReadMark): Promise<ReadMark>;
  /** Records the mark at its position; false when that position is taken (read the newest and decide again). */
  record(talkId: string, agentId: string, mark: ReadMark, at: Date): Promise<boolean>;
}

const markId = (talkId: string, agentId: string, n: number): string => `${talkId}:${agentId}#${n}`;

export function createReadMarks(db: Db): ReadMarks {
  const marks = db.collection<ReadMarkDoc>(COLLECTIONS.readMarks);
  return {
    async newest(talkId, agentId, known) {
      const after = await readOnwards(known.n + 1, (n) => marks.findOne({ _id: markId(talkId, agentId, n) }));
      const last = after.at(-1);
      return last === undefined ? known : { n: last.n, seq: last.seq };
    },
    async record(talkId, agentId, { n, seq }, at) {
      try {
        await marks.insertOne({ _id: markId(talkId, agentId, n), talk_id: talkId, agent_id: agentId, n, seq, tm_create: at });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
  };
}

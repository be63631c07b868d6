/**
 * Reactions as rows of their own, one per (message, agent, emoji) under a derived `_id`: the full
 * record of who reacted, however many did (the wire shape lists only the first agents of each
 * reaction, @talk/decisions/reactors). Rows are a projection of the reaction events, versioned
 * by seq (versioned-upsert.ts), so that the row of a reaction always reflects its newest event
 * applied, whatever order the events were applied in.
 */
import type { Db } from 'mongodb';
import { idFromKey } from '@talk/shared/ids';
import { COLLECTIONS, type ReactionDoc } from './documents';
import { oneOrAnyOf } from './query-shapes';
import { notNewerThan, upsertNotNewer } from './versioned-upsert';

export interface ReactionKey {
  readonly messageId: string;
  readonly agentId: string;
  readonly emoji: string;
}

/** A reaction event, as its row takes it. */
export interface ReactionChange {
  readonly key: ReactionKey;
  readonly talkId: string;
  readonly seq: number;
  readonly at: Date;
  /** True for `reaction_removed`. */
  readonly removed: boolean;
}

export interface ReactionStore {
  /** Applies a reaction event to its row; over a newer event's it changes nothing. */
  apply(change: ReactionChange): Promise<void>;
  /** The standing reactions to these messages of one talk, in the order they were made. */
  listForMessages(talkId: string, messageIds: readonly string[]): Promise<ReactionDoc[]>;
  /** Every row of one message, taken back or not: what a decision reads its reactions from (reactions-as-of.ts). */
  rowsOf(talkId: string, messageId: string): Promise<ReactionDoc[]>;
}

const reactionId = (key: ReactionKey): string => idFromKey('reaction', key.messageId, key.agentId, key.emoji);

export function createReactionStore(db: Db): ReactionStore {
  const reactions = db.collection<ReactionDoc>(COLLECTIONS.reactions);
  return {
    async apply({ key, talkId, seq, at, removed }) {
      await upsertNotNewer(
        reactions,
        { _id: reactionId(key), ...notNewerThan(seq) },
        {
          $set: {
            message_id: key.messageId,
            talk_id: talkId,
            agent_id: key.agentId,
            emoji: key.emoji,
            removed,
            reacted_seq: seq,
            version_seq: seq,
            tm_create: at,
          },
        },
      );
    },
    listForMessages: (talkId, messageIds) =>
      messageIds.length === 0
        ? Promise.resolve([])
        : reactions.find({ talk_id: talkId, message_id: oneOrAnyOf(messageIds), removed: { $ne: true } }).sort({ reacted_seq: 1, agent_id: 1 }).toArray(),
    rowsOf: (talkId, messageId) => reactions.find({ talk_id: talkId, message_id: messageId }).toArray(),
  };
}

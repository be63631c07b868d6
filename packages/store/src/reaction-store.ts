/** Reactions as rows of their own, unique per (message, agent, emoji) by their derived `_id`. */
import type { Db } from 'mongodb';
import { idFromKey } from '@talk/shared/ids';
import { COLLECTIONS, type ReactionDoc } from './documents';
import { isDuplicateKey } from './mongo-errors';
import { oneOrAnyOf } from './query-shapes';

export interface ReactionKey {
  readonly messageId: string;
  readonly agentId: string;
  readonly emoji: string;
}

export interface ReactionStore {
  /** True when the reaction is new; false when the agent already had it. */
  add(key: ReactionKey, talkId: string, at: Date): Promise<boolean>;
  /** True when the reaction existed and is now gone. */
  remove(key: ReactionKey): Promise<boolean>;
  /** Every reaction to these messages of one talk, oldest first. */
  listForMessages(talkId: string, messageIds: readonly string[]): Promise<ReactionDoc[]>;
}

const reactionId = (key: ReactionKey): string => idFromKey('reaction', key.messageId, key.agentId, key.emoji);

export function createReactionStore(db: Db): ReactionStore {
  const reactions = db.collection<ReactionDoc>(COLLECTIONS.reactions);
  return {
    async add(key, talkId, at) {
      try {
        await reactions.insertOne({ _id: reactionId(key), message_id: key.messageId, talk_id: talkId, agent_id: key.agentId, emoji: key.emoji, tm_create: at });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async remove(key) {
      const result = await reactions.deleteOne({ _id: reactionId(key) });
      return result.deletedCount === 1;
    },
    listForMessages: (talkId, messageIds) =>
      messageIds.length === 0
        ? Promise.resolve([])
        : reactions.find({ talk_id: talkId, message_id: oneOrAnyOf(messageIds) }).sort({ tm_create: 1, _id: 1 }).toArray(),
  };
}

/** The message projection of the event log: what message lists and threads read. */
import type { Db } from 'mongodb';
import type { Message } from '@talk/shared/schemas';
import { COLLECTIONS, type MessageDoc } from './documents';
import { isDuplicateKey } from './mongo-errors';
import { messageDocFrom } from './wire';

export interface TopLevelQuery {
  readonly talkId: string;
  readonly limit: number;
  /** Newest first, below this seq (the page cursor). */
  readonly beforeSeq?: number;
  /** Oldest first, above this seq (catching up). */
  readonly afterSeq?: number;
  /** A participant who left sees nothing recorded after it left. */
  readonly visibleUpToSeq?: number;
}

/** Where the previous page of mentions ended: its last message's time and id. */
export interface MentionCursor {
  readonly tmCreate: Date;
  readonly id: string;
}

export interface MessageStore {
  /** Applies a `message_created` event; applying the same message twice changes nothing. */
  insertMessage(message: Message): Promise<void>;
  findMessage(messageId: string): Promise<MessageDoc | null>;
  listTopLevel(query: TopLevelQuery): Promise<MessageDoc[]>;
  /** Replies under a thread root, oldest first, after the cursor seq. */
  listReplies(rootId: string, options: { afterSeq?: number; visibleUpToSeq?: number; limit: number }): Promise<MessageDoc[]>;
  /** Messages not deleted that mention the agent, in every talk, newest first, after the cursor. */
  listMentioning(agentId: string, options: { after?: MentionCursor; limit: number }): Promise<MessageDoc[]>;
}

export function createMessageStore(db: Db): MessageStore {
  const messages = db.collection<MessageDoc>(COLLECTIONS.messages);
  return {
    async insertMessage(message) {
      try {
        await messages.insertOne(messageDocFrom(message));
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },
    findMessage: (messageId) => messages.findOne({ _id: messageId }),
    listReplies(rootId, { afterSeq, visibleUpToSeq, limit }) {
      const seq = {
        ...(afterSeq === undefined ? {} : { $gt: afterSeq }),
        ...(visibleUpToSeq === undefined ? {} : { $lte: visibleUpToSeq }),
      };
      return messages
        .find({ parent_id: rootId, ...(Object.keys(seq).length === 0 ? {} : { seq }) })
        .sort({ seq: 1 })
        .limit(limit)
        .toArray();
    },
    listMentioning(agentId, { after, limit }) {
      const older =
        after === undefined ? {} : { $or: [{ tm_create: { $lt: after.tmCreate } }, { tm_create: after.tmCreate, _id: { $lt: after.id } }] };
      return messages
        .find({ mention_ids: agentId, deleted: false, ...older })
        .sort({ tm_create: -1, _id: -1 })
        .limit(limit)
        .toArray();
    },
    listTopLevel({ talkId, limit, beforeSeq, afterSeq, visibleUpToSeq }) {
      const seq = {
        ...(beforeSeq === undefined ? {} : { $lt: beforeSeq }),
        ...(afterSeq === undefined ? {} : { $gt: afterSeq }),
        ...(visibleUpToSeq === undefined ? {} : { $lte: visibleUpToSeq }),
      };
      const filter = { talk_id: talkId, parent_id: null, ...(Object.keys(seq).length === 0 ? {} : { seq }) };
      return messages
        .find(filter)
        .sort({ seq: afterSeq === undefined ? -1 : 1 })
        .limit(limit)
        .toArray();
    },
  };
}

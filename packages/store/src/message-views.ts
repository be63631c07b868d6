/**
 * Messages as clients see them: the stored message plus what is derived on read, its reactions
 * grouped by emoji (at most the first agents of each listed, @talk/decisions/reactors) and, for a thread root, its reply count and last reply time. Derived, not
 * counted with `$inc`, so that no count can drift (FerretDB v1 loses concurrent increments).
 */
import type { Db } from 'mongodb';
import type { Message, Reaction } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import { COLLECTIONS, type MessageDoc, type ReactionDoc } from './documents';
import type { ReactionStore } from './reaction-store';
import { oneOrAnyOf } from './query-shapes';
import { reactionsOnWire } from '@talk/decisions/reactors';
import { reactorOfRow } from './write-pipeline/reactions-as-of';
import { toMessage, type MessageExtras } from './wire';

export interface MessageViews {
  render(docs: readonly MessageDoc[]): Promise<Message[]>;
  renderOne(doc: MessageDoc): Promise<Message>;
  /**
   * The message with its thread's reply count and newest reply as the projections show them now:
   * a message's own events carry the rest of it, but replies are other messages' events.
   */
  withThread(message: Message): Promise<Message>;
}

/** A message's reactions on the wire, from its standing rows: exact counts, the first agents of each. */
export const reactionsOfRows = (rows: readonly ReactionDoc[]): Reaction[] => reactionsOnWire(rows.map(reactorOfRow));

export function createMessageViews(db: Db, reactions: ReactionStore): MessageViews {
  const messages = db.collection<MessageDoc>(COLLECTIONS.messages);

  async function threadStats(talkId: string, rootIds: readonly string[]): Promise<Map<string, { count: number; last: Date | null }>> {
    const stats = new Map<string, { count: number; last: Date | null }>();
    if (rootIds.length === 0) return stats;
    const counts = await messages
      .aggregate<{ _id: string; n: number }>([
        { $match: { talk_id: talkId, parent_id: oneOrAnyOf(rootIds), deleted: false } },
        { $group: { _id: '$parent_id', n: { $sum: 1 } } },
      ])
      .toArray();
    // FerretDB v1 has no $max or $last accumulator: the newest reply is one indexed query per thread.
    await Promise.all(
      counts.map(async ({ _id: rootId, n }) => {
        const newest = await messages.find({ parent_id: rootId, deleted: false }).sort({ seq: -1 }).limit(1).next();
        stats.set(rootId, { count: n, last: newest?.tm_create ?? null });
      }),
    );
    return stats;
  }

  /** What is derived on read for messages of one talk. */
  async function extrasOfTalk(talkId: string, docs: readonly MessageDoc[]): Promise<Map<string, MessageExtras>> {
    const ids = docs.map((doc) => doc._id);
    const roots = docs.filter((doc) => doc.parent_id === null).map((doc) => doc._id);
    const [rows, stats] = await Promise.all([reactions.listForMessages(talkId, ids), threadStats(talkId, roots)]);
    const rowsByMessage = new Map<string, ReactionDoc[]>();
    for (const row of rows) rowsByMessage.set(row.message_id, [...(rowsByMessage.get(row.message_id) ?? []), row]);
    return new Map(
      ids.map((id) => {
        const thread = stats.get(id);
        const extras: MessageExtras = {
          reactions: reactionsOfRows(rowsByMessage.get(id) ?? []),
          replyCount: thread?.count ?? 0,
          lastReplyAt: thread?.last ?? null,
        };
        return [id, extras];
      }),
    );
  }

  async function render(docs: readonly MessageDoc[]): Promise<Message[]> {
    // Every query below is bounded by a talk: a page is of one talk, and so is almost any list.
    const talkIds = [...new Set(docs.map((doc) => doc.talk_id))];
    const perTalk = await Promise.all(talkIds.map((talkId) => extrasOfTalk(talkId, docs.filter((doc) => doc.talk_id === talkId))));
    const extras = new Map(perTalk.flatMap((map) => [...map]));
    return docs.map((doc) => {
      const found = extras.get(doc._id);
      if (found === undefined) throw new Error(`message ${doc._id} has no derived fields`);
      return toMessage(doc, found);
    });
  }

  return {
    render,
    async withThread(message) {
      if (message.parent_id !== null) return message;
      const thread = (await threadStats(message.talk_id, [message.id])).get(message.id);
      const last = thread?.last ?? null;
      return { ...message, reply_count: thread?.count ?? 0, last_reply_at: last === null ? null : toTimestamp(last) };
    },
    async renderOne(doc) {
      const [message] = await render([doc]);
      if (message === undefined) throw new Error(`message ${doc._id} did not render`);
      return message;
    },
  };
}

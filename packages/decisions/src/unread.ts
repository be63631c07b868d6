/**
 * What a reader has not read (CONTRACT section 8): after its marker, the `normal` top-level
 * messages of others that are not deleted (`unread`), and the messages, replies too, not deleted,
 * that mention it (`mentions`). Pure: the counts follow a talk's log, each change of a message
 * taking off what its old version counted and adding what its new one counts, so that they are
 * kept up to date by reading what the log recorded since they were last counted, never by
 * counting the talk's messages again.
 */
import type { Message } from '@talk/shared/schemas';

export interface UnreadCounts {
  readonly unread: number;
  readonly mentions: number;
}

export const NOTHING_UNREAD: UnreadCounts = { unread: 0, mentions: 0 };

/** A message as one event of the log changed it: `before` is null for its creation. */
export interface MessageChange {
  readonly before: Message | null;
  readonly after: Message;
}

/** What one message, as it is, counts for `readerId`, whatever the marker. */
export function countOf(message: Message, readerId: string): UnreadCounts {
  if (message.deleted) return NOTHING_UNREAD;
  const unread = message.type === 'normal' && message.parent_id === null && message.agent_id !== readerId ? 1 : 0;
  const mentions = message.mention_ids.includes(readerId) ? 1 : 0;
  return { unread, mentions };
}

/**
 * The counts after `changes`, in log order, for a reader whose marker is `lastReadSeq`: a message
 * at or before the marker is read, whatever becomes of it.
 */
export function countChanges(counts: UnreadCounts, readerId: string, lastReadSeq: number, changes: readonly MessageChange[]): UnreadCounts {
  let { unread, mentions } = counts;
  for (const { before, after } of changes) {
    if (after.seq <= lastReadSeq) continue;
    const added = countOf(after, readerId);
    const taken = before === null ? NOTHING_UNREAD : countOf(before, readerId);
    unread += added.unread - taken.unread;
    mentions += added.mentions - taken.mentions;
  }
  if (unread < 0 || mentions < 0) throw new Error(`unread counts went below zero (${unread}, ${mentions}): a change was counted without its creation`);
  return { unread, mentions };
}

/**
 * Where a marker goes when its reader asks for `requested`: never back, never past what the
 * reader may read. Null when it stays where it is.
 */
export function nextMarker(current: number, requested: number, newestReadable: number): number | null {
  const target = Math.min(requested, newestReadable);
  return target > current ? target : null;
}

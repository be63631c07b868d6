/**
 * Read receipts: each other participant is shown under the newest of the agent's own messages it
 * has read (its `last_read_seq` at or past the message's seq), so a reader appears once.
 */
import type { Message, Participant } from '@talk/shared/schemas';

/** Message id → the agent ids shown as having seen it. */
export function seenBy(messages: readonly Message[], participants: readonly Participant[], selfId: string): ReadonlyMap<string, readonly string[]> {
  const own = messages.filter((m) => m.agent_id === selfId && m.type !== 'system' && !m.deleted);
  const seen = new Map<string, string[]>();
  for (const participant of participants) {
    const marker = participant.last_read_seq;
    if (participant.agent_id === selfId || marker === null) continue;
    const newestRead = own.findLast((m) => m.seq <= marker);
    if (newestRead === undefined) continue;
    seen.set(newestRead.id, [...(seen.get(newestRead.id) ?? []), participant.agent_id]);
  }
  return seen;
}

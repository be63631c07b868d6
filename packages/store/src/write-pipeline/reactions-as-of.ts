/**
 * A message's reactions as of a decision's state (a seq of its talk's log), in full. The reaction
 * rows (reaction-store.ts) are the record of who reacted, but they are a projection: an event is
 * applied to them right after it is recorded, or later by the outbox relay. Every event stays
 * `pending` until it is applied (and published), so the rows together with the message's pending
 * reaction events say exactly what the log says: for each reaction, whichever of its row and its
 * pending events is newest. A row or an event newer than the state means the log moved on after
 * it, and the decision is made again on a newer state.
 *
 * The pending events must be read before the rows: an event that is no longer pending was applied
 * before its mark went, so whatever leaves the first read is in the second.
 */
import { inOrder, type Reactor, type Reactors } from '@talk/decisions/reactors';
import type { ReactionDoc } from '../documents';

/** A reaction event of the log, as much of it as the fold needs. */
export interface LoggedReactionChange {
  readonly seq: number;
  readonly removed: boolean;
  readonly emoji: string;
  readonly agentId: string;
}

/** The reactor a standing row stands for; rows written before `reacted_seq` existed come first. */
export const reactorOfRow = (row: ReactionDoc): Reactor => ({ emoji: row.emoji, agentId: row.agent_id, seq: row.reacted_seq ?? 0 });

interface Known {
  readonly reactor: Reactor;
  readonly removed: boolean;
  readonly versionSeq: number;
}

/**
 * The standing reactions as of `seq`, oldest first; null when a row or a pending event is newer
 * than `seq` (the state is behind the log).
 */
export function reactorsAsOf(seq: number, rows: readonly ReactionDoc[], pending: readonly LoggedReactionChange[]): Reactors | null {
  const known = new Map<string, Known>();
  const keyOf = (emoji: string, agentId: string): string => JSON.stringify([emoji, agentId]);
  for (const row of rows) {
    const versionSeq = row.version_seq ?? 0;
    if (versionSeq > seq) return null;
    known.set(keyOf(row.emoji, row.agent_id), { reactor: reactorOfRow(row), removed: row.removed === true, versionSeq });
  }
  for (const change of [...pending].sort((a, b) => a.seq - b.seq)) {
    if (change.seq > seq) return null;
    const key = keyOf(change.emoji, change.agentId);
    const before = known.get(key);
    if (before !== undefined && before.versionSeq >= change.seq) continue; // the row shows it already
    known.set(key, { reactor: { emoji: change.emoji, agentId: change.agentId, seq: change.seq }, removed: change.removed, versionSeq: change.seq });
  }
  return inOrder([...known.values()].filter((entry) => !entry.removed).map((entry) => entry.reactor));
}

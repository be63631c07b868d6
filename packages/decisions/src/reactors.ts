/**
 * A message's reactions in full: every agent whose reaction stands, with the seq of the event that
 * made it, in the order they were made. A reaction is decided on this (DecisionReads.reactions
 * reads it as of the decision's state), and the wire shape is made from it: one entry per emoji in
 * order of its oldest standing reaction, with an exact count but only the first agents listed
 * (LIMITS.reactionAgentIdsMax), so that a message, and every event carrying it, stays bounded
 * however many agents react. Pure.
 */
import { LIMITS, type Reaction } from '@talk/shared/schemas';

export interface Reactor {
  readonly emoji: string;
  readonly agentId: string;
  /** Seq of the `reaction_added` that made this reaction: its place in the order. */
  readonly seq: number;
}

/** Standing reactions, oldest first. */
export type Reactors = readonly Reactor[];

export const hasReacted = (reactors: Reactors, emoji: string, agentId: string): boolean =>
  reactors.some((reactor) => reactor.emoji === emoji && reactor.agentId === agentId);

/** The distinct emoji, in order of their oldest standing reaction. */
export const emojiOf = (reactors: Reactors): string[] => [...new Set(reactors.map((reactor) => reactor.emoji))];

/** True when `emoji` would be one distinct emoji more than a message takes. */
export function isEmojiPastLimit(reactors: Reactors, emoji: string): boolean {
  const used = emojiOf(reactors);
  return !used.includes(emoji) && used.length >= LIMITS.reactionsMax;
}

/** The reactions with the agent's, made by the event at `seq` (the newest), unless it stands already. */
export function withReaction(reactors: Reactors, emoji: string, agentId: string, seq: number): Reactors {
  if (hasReacted(reactors, emoji, agentId)) return reactors;
  return [...reactors, { emoji, agentId, seq }];
}

export function withoutReaction(reactors: Reactors, emoji: string, agentId: string): Reactors {
  return hasReacted(reactors, emoji, agentId) ? reactors.filter((reactor) => reactor.emoji !== emoji || reactor.agentId !== agentId) : reactors;
}

/** Sorted by seq (then agent, for rows written without one): the order reactions were made in. */
export function inOrder(reactors: Reactors): Reactors {
  return [...reactors].sort((a, b) => a.seq - b.seq || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}

/** The wire shape: per emoji, the exact count and the first `LIMITS.reactionAgentIdsMax` agents. */
export function reactionsOnWire(reactors: Reactors): Reaction[] {
  const byEmoji = new Map<string, string[]>();
  for (const { emoji, agentId } of inOrder(reactors)) {
    const agents = byEmoji.get(emoji) ?? [];
    agents.push(agentId);
    byEmoji.set(emoji, agents);
  }
  return [...byEmoji].map(([emoji, agentIds]) => ({ emoji, count: agentIds.length, agent_ids: agentIds.slice(0, LIMITS.reactionAgentIdsMax) }));
}

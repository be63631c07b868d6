/**
 * A message's reactions as its events carry them: one entry per emoji in order of first use, the
 * agents in the order they reacted. Pure, so that a reaction is decided on the message as the
 * talk's log has it (reactions.ts).
 */
import type { Message } from '@talk/shared/schemas';

type Reactions = Message['reactions'];

export const hasReacted = (reactions: Reactions, emoji: string, agentId: string): boolean =>
  reactions.some((reaction) => reaction.emoji === emoji && reaction.agent_ids.includes(agentId));

export function withReaction(reactions: Reactions, emoji: string, agentId: string): Reactions {
  if (hasReacted(reactions, emoji, agentId)) return reactions;
  const existing = reactions.find((reaction) => reaction.emoji === emoji);
  if (existing === undefined) return [...reactions, { emoji, count: 1, agent_ids: [agentId] }];
  return reactions.map((reaction) =>
    reaction === existing ? { emoji, count: reaction.count + 1, agent_ids: [...reaction.agent_ids, agentId] } : reaction,
  );
}

export function withoutReaction(reactions: Reactions, emoji: string, agentId: string): Reactions {
  return reactions.flatMap((reaction) => {
    if (reaction.emoji !== emoji || !reaction.agent_ids.includes(agentId)) return [reaction];
    const agentIds = reaction.agent_ids.filter((id) => id !== agentId);
    return agentIds.length === 0 ? [] : [{ emoji, count: reaction.count - 1, agent_ids: agentIds }];
  });
}

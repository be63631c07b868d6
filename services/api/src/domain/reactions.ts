/**
 * Reactions (the REST contract (the OpenAPI document at /docs)). Each is decided on the message as its talk's log has it at the
 * moment of recording (event-log.ts `decide`), so reactions that meet are recorded one after the
 * other, never lost, never doubled, and never on a message deleted before them; an event is
 * recorded only on a change.
 */
import { AppError, notFound } from '@talk/shared/errors';
import type { Message } from '@talk/shared/schemas';
import { reactionDraft } from '@talk/decisions/drafts';
import type { Decision } from '@talk/decisions/decision';
import type { RequestContext, TalkDeps } from './context';
import { hasReacted, withoutReaction, withReaction } from './reaction-sets';
import { writerIn } from './talk-rules';

export type ReactionOutcome = { readonly message: Message; readonly changed: boolean };

export function createReactions(deps: TalkDeps) {
  const { messages, recorder, clock } = deps;

  async function change(ctx: RequestContext, messageId: string, emoji: string, adding: boolean): Promise<ReactionOutcome> {
    const doc = await messages.findMessage(messageId);
    if (doc === null) throw notFound(`message ${messageId}`);
    const agentId = ctx.caller.agentId;
    const { answer } = await recorder.decide(
      doc.talk_id,
      async (state, reads): Promise<Decision<ReactionOutcome>> => {
        writerIn(state, ctx.caller, `message ${messageId}`);
        const current = await reads.message(messageId);
        if (current === null) throw notFound(`message ${messageId}`);
        if (current.deleted) throw new AppError('CONFLICT', `message ${messageId} was deleted; it takes no reactions`);
        if (hasReacted(current.reactions, emoji, agentId) === adding) return { drafts: [], answer: () => ({ message: current, changed: false }) };
        const reactions = adding ? withReaction(current.reactions, emoji, agentId) : withoutReaction(current.reactions, emoji, agentId);
        const message = await messages.withThread({ ...current, reactions });
        const data = { message_id: messageId, emoji, agent_id: agentId, message };
        return { drafts: [reactionDraft(adding ? 'reaction_added' : 'reaction_removed', data, clock())], answer: () => ({ message, changed: true }) };
      },
      ctx.log,
      ctx.requestId,
    );
    if (answer.changed) ctx.log.info({ messageId, emoji, adding }, 'reaction changed');
    return answer;
  }

  return {
    add: (ctx: RequestContext, messageId: string, emoji: string) => change(ctx, messageId, emoji, true),
    remove: (ctx: RequestContext, messageId: string, emoji: string) => change(ctx, messageId, emoji, false),
  };
}

export type Reactions = ReturnType<typeof createReactions>;

/**
 * Reactions (the REST contract). Each is decided on the message's reactions as its talk's log
 * has them at the moment of recording (event-log.ts `decide`, DecisionReads.reactions): in full,
 * every agent however many, although the message shows only the first of each reaction. So
 * reactions that meet are recorded one after the other, never lost, never doubled, never on a
 * message deleted before them, and never past the contract's limit of distinct emoji, however
 * many race for the last place; an event is recorded only on a change.
 */
import { AppError, notFound } from '@talk/shared/errors';
import { LIMITS, type Message } from '@talk/shared/schemas';
import { reactionDraft } from '@talk/decisions/drafts';
import type { Decision } from '@talk/decisions/decision';
import { hasReacted, isEmojiPastLimit, reactionsOnWire, withoutReaction, withReaction } from '@talk/decisions/reactors';
import type { RequestContext, TalkDeps } from './context';
import { writerIn } from './talk-rules';

export type ReactionOutcome = { readonly message: Message; readonly changed: boolean };

const tooManyEmoji = (messageId: string): AppError =>
  new AppError(
    'CONFLICT',
    `message ${messageId} already has reactions with ${LIMITS.reactionsMax} different emoji, the most a message takes; ` +
      'nothing was added: react with one of the emoji it has',
  );

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
        const reactors = await reads.reactions(messageId);
        if (hasReacted(reactors, emoji, agentId) === adding) return { drafts: [], answer: () => ({ message: current, changed: false }) };
        if (adding && isEmojiPastLimit(reactors, emoji)) throw tooManyEmoji(messageId);
        // The event is recorded right after the state it is decided on: its seq is the next one.
        const next = adding ? withReaction(reactors, emoji, agentId, state.seq + 1) : withoutReaction(reactors, emoji, agentId);
        const message = await messages.withThread({ ...current, reactions: reactionsOnWire(next) });
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

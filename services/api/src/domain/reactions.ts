/**
 * Reactions (CONTRACT.md section 4). The database refuses a second identical reaction, so
 * concurrent reactions are never lost and never doubled; an event is recorded only on a change.
 */
import { AppError, notFound } from '@talk/shared/errors';
import type { Message } from '@talk/shared/schemas';
import type { MessageDoc } from '@talk/store/documents';
import { reactionDraft } from '@talk/store/drafts';
import { notFoundAs, requireWritableTalk } from './access';
import type { RequestContext, TalkDeps } from './context';

export type ReactionOutcome = { readonly message: Message; readonly changed: boolean };

export function createReactions(deps: TalkDeps) {
  const { store, recorder, clock } = deps;

  /** A message the caller may react to: in an active talk it takes part in, not deleted. */
  async function reactable(ctx: RequestContext, messageId: string): Promise<MessageDoc> {
    const doc = await store.messages.findMessage(messageId);
    if (doc === null) throw notFound(`message ${messageId}`);
    await requireWritableTalk(deps, ctx.caller, doc.talk_id).catch(notFoundAs(`message ${messageId}`));
    if (doc.deleted) throw new AppError('CONFLICT', `message ${messageId} was deleted; it takes no reactions`);
    return doc;
  }

  async function change(ctx: RequestContext, messageId: string, emoji: string, adding: boolean): Promise<ReactionOutcome> {
    const doc = await reactable(ctx, messageId);
    const key = { messageId, agentId: ctx.caller.agentId, emoji };
    const now = clock();
    const changed = adding ? await store.reactions.add(key, doc.talk_id, now) : await store.reactions.remove(key);
    const message = await store.messageViews.renderOne(doc);
    if (changed) {
      const data = { message_id: messageId, emoji, agent_id: ctx.caller.agentId, message };
      await recorder.record(reactionDraft(adding ? 'reaction_added' : 'reaction_removed', data, now), ctx.log, ctx.requestId);
      ctx.log.info({ messageId, emoji, adding }, 'reaction changed');
    }
    return { message, changed };
  }

  return {
    add: (ctx: RequestContext, messageId: string, emoji: string) => change(ctx, messageId, emoji, true),
    remove: (ctx: RequestContext, messageId: string, emoji: string) => change(ctx, messageId, emoji, false),
  };
}

export type Reactions = ReturnType<typeof createReactions>;

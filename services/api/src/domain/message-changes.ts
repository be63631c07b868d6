/** Editing and deleting messages: the author only (CONTRACT.md section 4). */
import { AppError, notFound } from '@talk/shared/errors';
import type { Message } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import type { MessageDoc } from '@talk/store/documents';
import { messageChangeDraft } from '@talk/store/drafts';
import { notFoundAs, requireMember } from './access';
import type { RequestContext, TalkDeps } from './context';

export function createMessageChanges(deps: TalkDeps) {
  const { store, recorder, clock } = deps;

  /** The caller's own message in a talk it is an active participant of. */
  async function requireOwnMessage(ctx: RequestContext, messageId: string): Promise<MessageDoc> {
    const message = await store.messages.findMessage(messageId);
    if (message === null) throw notFound(`message ${messageId}`);
    const { talk } = await requireMember(deps, ctx.caller, message.talk_id).catch(notFoundAs(`message ${messageId}`));
    if (message.agent_id !== ctx.caller.agentId) {
      throw new AppError('PERMISSION_DENIED', 'only the author of a message may change it');
    }
    if (talk.status !== 'active') throw new AppError('TALK_CLOSED', `talk ${talk._id} is closed; reopen it before changing its messages`);
    return message;
  }

  async function record(ctx: RequestContext, type: 'message_updated' | 'message_deleted', message: Message): Promise<void> {
    await recorder.record(messageChangeDraft(type, message), ctx.log, ctx.requestId);
  }

  return {
    async edit(ctx: RequestContext, messageId: string, text: string): Promise<Message> {
      const doc = await requireOwnMessage(ctx, messageId);
      if (doc.deleted) throw new AppError('CONFLICT', `message ${messageId} was deleted; a deleted message cannot be edited`);
      if (text.trim() === '' && doc.medias.length === 0) {
        throw new AppError('INVALID_ARGUMENT', 'a message needs text or at least one media', {
          fields: [{ field: 'text', problem: 'must not be empty for a message without medias' }],
        });
      }
      const current = await store.messageViews.renderOne(doc);
      if (doc.text === text) return current;
      const edited: Message = { ...current, text, edited: true, tm_update: toTimestamp(clock()) };
      await record(ctx, 'message_updated', edited);
      ctx.log.info({ messageId, talkId: doc.talk_id }, 'message edited');
      return edited;
    },

    /** Leaves a tombstone in the message's place; deleting it again changes nothing. */
    async remove(ctx: RequestContext, messageId: string): Promise<Message> {
      const doc = await requireOwnMessage(ctx, messageId);
      const current = await store.messageViews.renderOne(doc);
      if (doc.deleted) return current;
      const tombstone: Message = { ...current, text: '', medias: [], reactions: [], deleted: true, tm_update: toTimestamp(clock()) };
      await record(ctx, 'message_deleted', tombstone);
      ctx.log.info({ messageId, talkId: doc.talk_id }, 'message deleted');
      return tombstone;
    },
  };
}

export type MessageChanges = ReturnType<typeof createMessageChanges>;

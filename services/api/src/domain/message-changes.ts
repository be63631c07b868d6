/**
 * Editing and deleting messages: the author only (the REST contract (the OpenAPI document at /docs)). Each is decided on the
 * message as its talk's log has it at the moment of recording (event-log.ts `decide`): an edit and
 * a delete that meet are recorded one after the other, and whichever comes second sees the first.
 * So a deleted message stays a tombstone, and an edit of one is refused.
 */
import { AppError, notFound } from '@talk/shared/errors';
import type { Message } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import { messageChangeDraft } from '@talk/decisions/drafts';
import type { DecisionReads } from '@talk/decisions/decision';
import type { TalkState } from '@talk/decisions/talk-state';
import type { RequestContext, TalkDeps } from './context';
import { memberIn, requireMentionable } from './talk-rules';

const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

export function createMessageChanges(deps: TalkDeps) {
  const { messages, recorder, clock } = deps;

  /** The caller's own message, as of `state`, in a talk it is an active participant of. */
  async function ownMessage(ctx: RequestContext, state: TalkState, reads: DecisionReads, messageId: string): Promise<Message> {
    const { talk } = memberIn(state, ctx.caller, `message ${messageId}`);
    const message = await reads.message(messageId);
    if (message === null) throw notFound(`message ${messageId}`);
    if (message.agent_id !== ctx.caller.agentId) throw new AppError('PERMISSION_DENIED', 'only the author of a message may change it');
    if (talk.status !== 'active') throw new AppError('TALK_CLOSED', `talk ${talk.id} is closed; reopen it before changing its messages`);
    return message;
  }

  /** The talk a message is in: it never changes, so the projection may say. */
  async function talkOf(messageId: string): Promise<string> {
    const doc = await messages.findMessage(messageId);
    if (doc === null) throw notFound(`message ${messageId}`);
    return doc.talk_id;
  }

  return {
    /** Replaces the text, and the mentions when `mentionIds` is given. */
    async edit(ctx: RequestContext, messageId: string, text: string, mentionIds?: readonly string[]): Promise<Message> {
      const talkId = await talkOf(messageId);
      const { answer, recorded } = await recorder.decide(
        talkId,
        async (state, reads) => {
          const current = await ownMessage(ctx, state, reads, messageId);
          if (current.deleted) throw new AppError('CONFLICT', `message ${messageId} was deleted; a deleted message cannot be edited`);
          if (text.trim() === '' && current.medias.length === 0) {
            throw new AppError('INVALID_ARGUMENT', 'a message needs text or at least one media', {
              fields: [{ field: 'text', problem: 'must not be empty for a message without medias' }],
            });
          }
          if (mentionIds !== undefined) requireMentionable(state, mentionIds);
          const mentions = mentionIds === undefined ? current.mention_ids : [...mentionIds];
          if (current.text === text && sameIds(current.mention_ids, mentions)) return { drafts: [], answer: () => current };
          const edited = await messages.withThread({ ...current, text, mention_ids: mentions, edited: true, tm_update: toTimestamp(clock()) });
          return { drafts: [messageChangeDraft('message_updated', edited)], answer: () => edited };
        },
        ctx.log,
        ctx.requestId,
      );
      if (recorded.length > 0) ctx.log.info({ messageId, talkId }, 'message edited');
      return answer;
    },

    /** Leaves a tombstone in the message's place; deleting it again changes nothing. */
    async remove(ctx: RequestContext, messageId: string): Promise<Message> {
      const talkId = await talkOf(messageId);
      const { answer, recorded } = await recorder.decide(
        talkId,
        async (state, reads) => {
          const current = await ownMessage(ctx, state, reads, messageId);
          if (current.deleted) return { drafts: [], answer: () => current };
          const tombstone = await messages.withThread({
            ...current,
            text: '',
            medias: [],
            reactions: [],
            mention_ids: [],
            deleted: true,
            tm_update: toTimestamp(clock()),
          });
          return { drafts: [messageChangeDraft('message_deleted', tombstone)], answer: () => tombstone };
        },
        ctx.log,
        ctx.requestId,
      );
      if (recorded.length > 0) ctx.log.info({ messageId, talkId }, 'message deleted');
      return answer;
    },
  };
}

export type MessageChanges = ReturnType<typeof createMessageChanges>;

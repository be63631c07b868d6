/** Sending and listing messages (the REST contract (the OpenAPI document at /docs)). */
import { z } from 'zod';
import { AppError, notFound } from '@talk/shared/errors';
import { idFromKey, newId } from '@talk/shared/ids';
import type { TalkChangeEvent } from '@talk/shared/events';
import type { CreateMessageBody, Message, MessageListQuery, Page, PageQuery } from '@talk/shared/schemas';
import { messageCreatedDraft, newMessage } from '@talk/decisions/drafts';
import type { Decision } from '@talk/decisions/decision';
import { notFoundAs, requireReader } from './access';
import type { RequestContext, TalkDeps } from './context';
import type { Membership, StoredMessage } from './ports';
import { cutPage, decodePageToken, encodePageToken } from './page-token';
import { requireMentionable, writerIn } from './talk-rules';

export type PostedMessage = { readonly message: Message; readonly created: boolean };

function messageOf(events: readonly TalkChangeEvent[], eventId: string): Message {
  const event = events.find((candidate) => candidate.id === eventId);
  if (event?.type !== 'message_created') throw new Error(`event ${eventId} is not a recorded message_created event`);
  return event.data;
}

const MessageCursor = z.object({ seq: z.number().int().positive() });

const MentionCursor = z.object({ t: z.iso.datetime(), id: z.string() });


export function createMessages(deps: TalkDeps) {
  const { messages, events, recorder, clock } = deps;

  /** The thread a reply joins: the root of `parentId`'s thread, which must be in the same talk. */
  async function threadRoot(talkId: string, parentId: string): Promise<string> {
    const parent = await messages.findMessage(parentId);
    if (parent === null || parent.talk_id !== talkId) {
      throw new AppError('INVALID_ARGUMENT', `parent_id ${parentId} is not a message of this talk`, {
        fields: [{ field: 'parent_id', problem: 'not a message of this talk' }],
      });
    }
    return parent.parent_id ?? parent.id;
  }

  /** A message of a talk the caller takes or took part in, up to when it left. */
  async function readableMessage(ctx: RequestContext, messageId: string): Promise<{ message: StoredMessage; visibleUpToSeq?: number }> {
    const message = await messages.findMessage(messageId);
    if (message === null) throw notFound(`message ${messageId}`);
    const { membership } = await requireReader(deps, ctx.caller, message.talk_id).catch(notFoundAs(`message ${messageId}`));
    const visibleUpToSeq = membership.leftAtSeq ?? undefined;
    if (visibleUpToSeq !== undefined && message.seq > visibleUpToSeq) throw notFound(`message ${messageId}`);
    return visibleUpToSeq === undefined ? { message } : { message, visibleUpToSeq };
  }

  return {
    async post(ctx: RequestContext, talkId: string, body: CreateMessageBody): Promise<PostedMessage> {
      const { caller } = ctx;
      const clientMessageId = body.client_message_id ?? null;
      // A retried send derives the same ids, so the event log records it once.
      const [messageId, eventId] =
        clientMessageId === null
          ? [newId(), newId()]
          : [
              idFromKey('message', talkId, caller.agentId, clientMessageId),
              idFromKey('message_created', talkId, caller.agentId, clientMessageId),
            ];
      const at = clock();
      try {
        const { answer, recorded } = await recorder.decide(
          talkId,
          async (state): Promise<Decision<Message>> => {
            writerIn(state, caller);
            requireMentionable(state, body.mention_ids);
            const parentId = body.parent_id === undefined ? null : await threadRoot(talkId, body.parent_id);
            const message = newMessage({ id: messageId, talkId, type: 'normal', agentId: caller.agentId, clientMessageId, text: body.text, parentId, medias: body.medias, mentionIds: body.mention_ids, at });
            return { drafts: [messageCreatedDraft(message, eventId)], answer: ({ events }) => messageOf(events, eventId) };
          },
          ctx.log,
          ctx.requestId,
        );
        return { message: answer, created: recorded.length > 0 };
      } catch (error) {
        // A retry of a send that was recorded, refused now (the talk closed since): the original.
        if (!(error instanceof AppError) || clientMessageId === null) throw error;
        const original = await events.find(talkId, eventId);
        if (original === null) throw error;
        return { message: messageOf([original], eventId), created: false };
      }
    },

    async list(ctx: RequestContext, talkId: string, query: MessageListQuery): Promise<Page<Message>> {
      const { membership } = await requireReader(deps, ctx.caller, talkId);
      const cursor = decodePageToken(query.page_token, MessageCursor);
      const catchingUp = query.after_seq !== undefined;
      const bound = cursor?.seq;
      const stored = await messages.listTopLevel({
        talkId,
        limit: query.page_size + 1,
        ...(catchingUp ? { afterSeq: Math.max(query.after_seq ?? 0, bound ?? 0) } : {}),
        ...(!catchingUp && bound !== undefined ? { beforeSeq: bound } : {}),
        ...(membership.leftAtSeq === null ? {} : { visibleUpToSeq: membership.leftAtSeq }),
      });
      const { page, next } = cutPage(stored, query.page_size, (last) => encodePageToken({ seq: last.seq }));
      return { result: await messages.render(page), next_page_token: next };
    },

    /** The thread under a root message, oldest first. */
    async replies(ctx: RequestContext, messageId: string, query: PageQuery): Promise<Page<Message>> {
      const root = await readableMessage(ctx, messageId);
      const cursor = decodePageToken(query.page_token, MessageCursor);
      const stored = await messages.listReplies(root.message.id, {
        limit: query.page_size + 1,
        ...(cursor === undefined ? {} : { afterSeq: cursor.seq }),
        ...(root.visibleUpToSeq === undefined ? {} : { visibleUpToSeq: root.visibleUpToSeq }),
      });
      const { page, next } = cutPage(stored, query.page_size, (last) => encodePageToken({ seq: last.seq }));
      return { result: await messages.render(page), next_page_token: next };
    },

    /** Messages of the caller's talks that mention it, newest first, only those it may read. */
    async mentions(ctx: RequestContext, query: PageQuery): Promise<Page<Message>> {
      const cursor = decodePageToken(query.page_token, MentionCursor);
      const memberships = new Map<string, Promise<Membership | null>>();
      const membershipIn = (talkId: string): Promise<Membership | null> => {
        let found = memberships.get(talkId);
        if (found === undefined) {
          found = deps.talks.findMembership(talkId, ctx.caller.agentId);
          memberships.set(talkId, found);
        }
        return found;
      };
      const readable = async (message: StoredMessage): Promise<boolean> => {
        const membership = await membershipIn(message.talk_id);
        return membership !== null && (membership.leftAtSeq === null || message.seq <= membership.leftAtSeq);
      };
      // A message mentions only active participants, so nearly every one is readable; those of
      // talks the caller left are after its leave only if edited in since, and are left out.
      const wanted = query.page_size + 1;
      const found: StoredMessage[] = [];
      let after = cursor === undefined ? undefined : { tmCreate: new Date(cursor.t), id: cursor.id };
      for (;;) {
        const batch = await messages.listMentioning(ctx.caller.agentId, { ...(after === undefined ? {} : { after }), limit: wanted });
        const kept = await Promise.all(batch.map(readable));
        found.push(...batch.filter((_, i) => kept[i] === true));
        const last = batch.at(-1);
        if (found.length >= wanted || last === undefined || batch.length < wanted) break;
        after = { tmCreate: new Date(last.tm_create), id: last.id };
      }
      const { page, next } = cutPage(found.slice(0, wanted), query.page_size, (last) => encodePageToken({ t: last.tm_create, id: last.id }));
      return { result: await messages.render(page), next_page_token: next };
    },

    async get(ctx: RequestContext, messageId: string): Promise<Message> {
      return messages.renderOne((await readableMessage(ctx, messageId)).message);
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;

/**
 * An agent's REST calls (the REST contract (the OpenAPI document at /docs)), answers parsed with the contract's schemas.
 * A message send always carries a `client_message_id` (one is made when the caller gives none),
 * so that a send whose answer was lost is retried without a second message.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { TalkChangeEvent } from '@talk/shared/events';
import {
  Agent,
  Message,
  Participant,
  ReadState,
  Presence,
  Talk,
  UnreadSummary,
  type CreateMessageBody,
  type CreateTalkBody,
  type Page,
  type ParticipantStatus,
  type TalkStatus,
  type UpdateMessageBody,
} from '@talk/shared/schemas';
import { createHttp, type Call, type HttpOptions, type Query } from './http';
import { allPages, knownEvents, listOf, pageOf, RawEventsPage, type EventsPage, type PageRequest } from './pages';

export interface TalkApiOptions extends HttpOptions {
  /** The agent's token, or a function that returns the current one (for callers that refresh it). */
  readonly token: string | (() => string);
}

export interface TalkApi {
  /** The agents of the caller's own customer (to find whom to talk to), ordered by id, deactivated ones included. */
  listAgents(page?: PageRequest): Promise<Page<Agent>>;
  /** Every agent of `listAgents`, page by page. */
  allAgents(pageSize?: number): AsyncGenerator<Agent, void, undefined>;
  /** A direct talk answers with the pair's existing active talk when there is one. */
  createTalk(talk: z.input<typeof CreateTalkBody>): Promise<Talk>;
  /** Each talk with the caller's `last_read_seq`, `unread_count` and `unread_mention_count`; `unread: true` keeps those with either count above 0. */
  listTalks(query?: TalkQuery): Promise<Page<Talk>>;
  /** Every talk of `listTalks`, page by page. */
  allTalks(query?: Omit<TalkQuery, 'pageToken'>): AsyncGenerator<Talk, void, undefined>;
  getTalk(talkId: string): Promise<Talk>;
  renameTalk(talkId: string, name: string): Promise<Talk>;
  closeTalk(talkId: string): Promise<Talk>;
  reopenTalk(talkId: string): Promise<Talk>;
  listParticipants(talkId: string, status?: ParticipantStatus): Promise<readonly Participant[]>;
  addParticipant(talkId: string, agentId: string): Promise<Participant>;
  /** Removing one's own participant is leaving. */
  removeParticipant(talkId: string, participantId: string): Promise<Participant>;
  /** `mention_ids`: active participants of the talk, each once. */
  sendMessage(talkId: string, message: z.input<typeof CreateMessageBody>): Promise<Message>;
  /** Top-level messages, newest first; with `afterSeq`, everything after it, oldest first. */
  listMessages(talkId: string, query?: PageRequest & { readonly afterSeq?: number }): Promise<Page<Message>>;
  getMessage(messageId: string): Promise<Message>;
  listReplies(messageId: string, page?: PageRequest): Promise<Page<Message>>;
  /** `mention_ids`, when given, replaces the message's mentions; left out, they stay. */
  editMessage(messageId: string, edit: z.input<typeof UpdateMessageBody>): Promise<Message>;
  deleteMessage(messageId: string): Promise<Message>;
  /**
   * The message with the caller's reaction. A message takes at most `LIMITS.reactionsMax` distinct
   * emoji (a new one past them rejects with CONFLICT), and each reaction lists only its first
   * `LIMITS.reactionAgentIdsMax` agents: whether the caller reacted is `count` and this answer, not
   * always `agent_ids`. The Message schema the answers are parsed with holds the same caps.
   */
  addReaction(messageId: string, emoji: string): Promise<Message>;
  removeReaction(messageId: string, emoji: string): Promise<Message>;
  /**
   * Moves the caller's read marker to `seq` (default: the talk's newest seq). A marker never moves
   * back: a lower seq answers the state as it stands.
   */
  markRead(talkId: string, seq?: number): Promise<ReadState>;
  /** Over the caller's active talks: how many have news, and the sums of their counts. */
  unreadSummary(): Promise<UnreadSummary>;
  /** Messages that mention the caller, newest first. */
  listMentions(page?: PageRequest): Promise<Page<Message>>;
  /** Every message of `listMentions`, page by page. */
  mentions(pageSize?: number): AsyncGenerator<Message, void, undefined>;
  /** One page of the talk's change stream, oldest first; events of types this client does not know are skipped. */
  listEvents(talkId: string, query?: { readonly afterSeq?: number; readonly limit?: number }): Promise<EventsPage>;
  /** Every event after `afterSeq`, page by page, up to the talk's newest seq when the call started. */
  eventsAfter(talkId: string, afterSeq?: number, pageSize?: number): AsyncGenerator<TalkChangeEvent, void, undefined>;
  /** Sets the caller away (or online again) while it stays connected; answers its presence after the change. */
  setPresence(status: 'online' | 'away'): Promise<Presence>;
  /** The presence of up to `PRESENCE_LIMITS.agentIdsPerRequest` agents; those of another customer are left out. */
  presence(agentIds: readonly string[]): Promise<readonly Presence[]>;
}

export interface TalkQuery extends PageRequest {
  readonly status?: TalkStatus;
  readonly unread?: boolean;
}

/** The most events one page of `GET /talks/{id}/events` holds. */
const EVENTS_PAGE_MAX = 1_000;

export function createTalkApi(options: TalkApiOptions): TalkApi {
  const http = createHttp(options);
  const tokenOf = typeof options.token === 'string' ? ((token: string) => () => token)(options.token) : options.token;
  const call = <T>(request: Call, schema: z.ZodType<T>): Promise<T> =>
    http({ ...request, headers: { ...request.headers, authorization: `Bearer ${tokenOf()}` } }, schema);
  const talkPath = (talkId: string): string => `/v1.0/talks/${encodeURIComponent(talkId)}`;
  const messagePath = (messageId: string): string => `/v1.0/messages/${encodeURIComponent(messageId)}`;
  const pageQuery = (page: PageRequest = {}): Query => ({ page_size: page.pageSize, page_token: page.pageToken });

  const api: TalkApi = {
    listAgents: (page) => call({ method: 'GET', path: '/v1.0/agents', query: pageQuery(page), idempotent: true }, pageOf(Agent)),
    allAgents: (pageSize) => allPages((page) => api.listAgents(page), pageSize),
    createTalk: (talk) => call({ method: 'POST', path: '/v1.0/talks', body: talk, idempotent: talk.type === 'direct' }, Talk),
    listTalks: (query = {}) =>
      call(
        {
          method: 'GET',
          path: '/v1.0/talks',
          query: { ...pageQuery(query), status: query.status, unread: query.unread === undefined ? undefined : String(query.unread) },
          idempotent: true,
        },
        pageOf(Talk),
      ),
    allTalks: ({ pageSize, ...filter } = {}) => allPages((page) => api.listTalks({ ...filter, ...page }), pageSize),
    getTalk: (talkId) => call({ method: 'GET', path: talkPath(talkId), idempotent: true }, Talk),
    renameTalk: (talkId, name) => call({ method: 'PUT', path: talkPath(talkId), body: { name }, idempotent: true }, Talk),
    closeTalk: (talkId) => call({ method: 'POST', path: `${talkPath(talkId)}/close`, idempotent: true }, Talk),
    reopenTalk: (talkId) => call({ method: 'POST', path: `${talkPath(talkId)}/reopen`, idempotent: false }, Talk),
    listParticipants: async (talkId, status) =>
      (await call({ method: 'GET', path: `${talkPath(talkId)}/participants`, query: { status }, idempotent: true }, listOf(Participant))).result,
    addParticipant: (talkId, agentId) =>
      call({ method: 'POST', path: `${talkPath(talkId)}/participants`, body: { agent_id: agentId }, idempotent: true }, Participant),
    removeParticipant: (talkId, participantId) =>
      call({ method: 'DELETE', path: `${talkPath(talkId)}/participants/${encodeURIComponent(participantId)}`, idempotent: true }, Participant),
    sendMessage: (talkId, message) =>
      call(
        { method: 'POST', path: `${talkPath(talkId)}/messages`, body: { client_message_id: randomUUID(), ...message }, idempotent: true },
        Message,
      ),
    listMessages: (talkId, query = {}) =>
      call(
        { method: 'GET', path: `${talkPath(talkId)}/messages`, query: { ...pageQuery(query), after_seq: query.afterSeq }, idempotent: true },
        pageOf(Message),
      ),
    getMessage: (messageId) => call({ method: 'GET', path: messagePath(messageId), idempotent: true }, Message),
    listReplies: (messageId, page) =>
      call({ method: 'GET', path: `${messagePath(messageId)}/replies`, query: pageQuery(page), idempotent: true }, pageOf(Message)),
    editMessage: (messageId, edit) => call({ method: 'PUT', path: messagePath(messageId), body: edit, idempotent: true }, Message),
    deleteMessage: (messageId) => call({ method: 'DELETE', path: messagePath(messageId), idempotent: true }, Message),
    addReaction: (messageId, emoji) =>
      call({ method: 'POST', path: `${messagePath(messageId)}/reactions`, body: { emoji }, idempotent: true }, Message),
    removeReaction: (messageId, emoji) =>
      call({ method: 'DELETE', path: `${messagePath(messageId)}/reactions/${encodeURIComponent(emoji)}`, idempotent: true }, Message),
    markRead: (talkId, seq) =>
      call({ method: 'POST', path: `${talkPath(talkId)}/read`, body: seq === undefined ? {} : { seq }, idempotent: true }, ReadState),
    unreadSummary: () => call({ method: 'GET', path: '/v1.0/me/unread', idempotent: true }, UnreadSummary),
    listMentions: (page) => call({ method: 'GET', path: '/v1.0/me/mentions', query: pageQuery(page), idempotent: true }, pageOf(Message)),
    mentions: (pageSize) => allPages((page) => api.listMentions(page), pageSize),
    listEvents: async (talkId, query = {}) =>
      knownEvents(
        await call(
          { method: 'GET', path: `${talkPath(talkId)}/events`, query: { after_seq: query.afterSeq, limit: query.limit }, idempotent: true },
          RawEventsPage,
        ),
      ),
    setPresence: (status) => call({ method: 'PUT', path: '/v1.0/me/presence', body: { status }, idempotent: true }, Presence),
    presence: async (agentIds) =>
      (await call({ method: 'GET', path: '/v1.0/presence', query: { agent_ids: agentIds.join(',') }, idempotent: true }, listOf(Presence))).result,
    async *eventsAfter(talkId, afterSeq = 0, pageSize = EVENTS_PAGE_MAX) {
      let cursor = afterSeq;
      let newest: number | undefined;
      for (;;) {
        const page = await api.listEvents(talkId, { afterSeq: cursor, limit: pageSize });
        newest ??= page.last_seq;
        for (const event of page.result) {
          if (event.seq > newest) return;
          yield event;
        }
        if (page.through_seq === undefined || page.through_seq >= newest) return;
        cursor = page.through_seq;
      }
    },
  };
  return api;
}

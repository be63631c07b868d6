/**
 * Every route of the API, described once. Routes are registered only from here (`on` in
 * register.ts), and the OpenAPI document is generated from here, so neither can miss a route.
 * Choices the contract leaves open are written into the summaries.
 */
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import {
  AddParticipantBody,
  AddReactionBody,
  Agent,
  CreateAgentBody,
  CreateCustomerBody,
  CreatedCustomer,
  CreateMessageBody,
  CreateTalkBody,
  EventListQuery,
  LIMITS,
  LoginBody,
  LoginResponse,
  MarkReadBody,
  Message,
  MessageListQuery,
  PageQuery,
  Participant,
  Presence,
  PresenceQuery,
  PRESENCE_LIMITS,
  SetPresenceBody,
  ParticipantListQuery,
  ReadState,
  Talk,
  TalkListQuery,
  UpdateMessageBody,
  UnreadSummary,
  UpdateTalkBody,
} from '@talk/shared/schemas';

/** What a route needs: an agent token, the customer's accesskey, either of those two, the admin key, or nothing. */
export type Auth = 'agent' | 'accesskey' | 'accesskey-or-agent' | 'admin' | 'none';

export interface RouteSpec {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style, with the `/v1.0` prefix: `/v1.0/talks/{talk_id}`. */
  readonly path: string;
  readonly summary: string;
  readonly auth: Auth;
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject<Record<string, z.ZodType>>;
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType }>>;
  /**
   * Checks a password or the admin key: limited per client address (and per account), locked
   * after failures in a row, and refused with 429 when the process's password hashes are taken.
   */
  readonly credentialCheck?: true;
  /** When the route answers an error status, beyond what its code says: written into that error response. */
  readonly errors?: Readonly<Record<number, string>>;
}

const TOO_LARGE_EVENT = `or the change would make the message's event larger than ${LIMITS.eventMaxBytes / 1024} KiB (JSON in UTF-8), the most an event may be`;

const pageOf = (item: z.ZodType) => z.object({ result: z.array(item), next_page_token: z.string().nullable() });
const AgentListQuery = z.object({
  accesskey: z.string().optional(),
  page_size: PageQuery.shape.page_size,
  page_token: z.string().optional(),
});
const AccesskeyQuery = z.object({ accesskey: z.string() });
const EventPage = z.object({ result: z.array(TalkChangeEvent), last_seq: z.number().int() });

const SPECS = {
  openApi: {
    method: 'get', path: '/v1.0/openapi.json', auth: 'none',
    summary: 'This document. A human-readable page of it is served at /docs.',
    responses: { 200: { description: 'the OpenAPI 3.1 document' } },
  },
  createCustomer: {
    method: 'post', path: '/v1.0/customers', auth: 'admin', body: CreateCustomerBody,
    summary: 'Create a customer (tenant). Needs the X-Admin-Key header. The accesskey is shown only in this response; only its hash is stored. Wrong admin keys from one address in a row lock it out for longer each time (429).',
    credentialCheck: true,
    responses: { 201: { description: 'the customer and its accesskey', schema: CreatedCustomer } },
  },
  createAgent: {
    method: 'post', path: '/v1.0/agents', auth: 'accesskey', query: AccesskeyQuery, body: CreateAgentBody,
    summary: `Create an agent of the accesskey's customer. Usernames are unique per customer (409 CONFLICT); passwords need ${LIMITS.passwordMinChars}+ characters; name defaults to the username. Rate-limited per client address (429).`,
    credentialCheck: true,
    responses: { 201: { description: 'the agent', schema: Agent } },
  },
  listAgents: {
    method: 'get', path: '/v1.0/agents', auth: 'accesskey-or-agent', query: AgentListQuery,
    summary:
      "The customer's agents, ordered by id, deactivated ones included: with the customer's accesskey, or with an agent's token (the agents of its own customer, so that an agent can find whom to talk to; rate-limited like the agent's other calls).",
    responses: { 200: { description: 'a page of agents', schema: pageOf(Agent) } },
  },
  deactivateAgent: {
    method: 'delete', path: '/v1.0/agents/{agent_id}', auth: 'accesskey', query: AccesskeyQuery,
    summary: 'Deactivate an agent: its tokens stop working at once (open WebSockets close with 4001), each participation ends with participant_left (reason "removed"), and talks it was the last one in close. Idempotent.',
    responses: { 200: { description: 'the deactivated agent', schema: Agent } },
  },
  login: {
    method: 'post', path: '/v1.0/auth/login', auth: 'none', body: LoginBody,
    summary:
      'Log an agent in. The token is a JWT (HS256) for `?token=` or `Authorization: Bearer`; it lives TOKEN_TTL_SECONDS (default 24 h). ' +
      'Rate-limited per client address and per (customer, username); after 5 failures in a row each further one locks the username for twice as long (1 s up to 15 min) until a success (429 with Retry-After).',
    credentialCheck: true,
    responses: { 200: { description: 'the token and the agent', schema: LoginResponse } },
  },
  createTalk: {
    method: 'post', path: '/v1.0/talks', auth: 'agent', body: CreateTalkBody,
    summary: 'Create a talk; the creator joins. A group talk without a name is named after its participants. A direct talk needs exactly one other agent and returns the active direct talk of the pair (200) if there is one, also under concurrent creates.',
    responses: { 201: { description: 'the new talk', schema: Talk }, 200: { description: 'the existing direct talk of the pair', schema: Talk } },
  },
  listTalks: {
    method: 'get', path: '/v1.0/talks', auth: 'agent', query: TalkListQuery,
    summary: "The caller's talks (also those it left), most recent activity first, each with the caller's last_read_seq, unread_count and unread_mention_count. With unread=true, only talks where either count is above 0.",
    responses: { 200: { description: 'a page of talks', schema: pageOf(Talk) } },
  },
  getTalk: {
    method: 'get', path: '/v1.0/talks/{talk_id}', auth: 'agent',
    summary: 'A talk the caller takes or took part in.',
    responses: { 200: { description: 'the talk', schema: Talk } },
  },
  renameTalk: {
    method: 'put', path: '/v1.0/talks/{talk_id}', auth: 'agent', body: UpdateTalkBody,
    summary: 'Rename an active talk (any active participant). Emits talk_updated only when the name changes.',
    responses: { 200: { description: 'the talk', schema: Talk } },
  },
  closeTalk: {
    method: 'post', path: '/v1.0/talks/{talk_id}/close', auth: 'agent',
    summary: 'Close a talk (any active participant); idempotent, emits talk_closed once. A closed talk stays readable; a closed direct talk frees its pair for a new direct talk.',
    responses: { 200: { description: 'the closed talk', schema: Talk } },
  },
  reopenTalk: {
    method: 'post', path: '/v1.0/talks/{talk_id}/reopen', auth: 'agent',
    summary: 'Reopen a talk (any agent who ever took part; one who had left joins again). Emits talk_reopened once. 409 CONFLICT for a direct talk whose pair has another active direct talk.',
    responses: { 200: { description: 'the talk', schema: Talk } },
  },
  listParticipants: {
    method: 'get', path: '/v1.0/talks/{talk_id}/participants', auth: 'agent', query: ParticipantListQuery,
    summary: "The talk's participants, in order of joining, each with its read marker last_read_seq (read receipts: a message is seen by the participants whose marker is at or past its seq).",
    responses: { 200: { description: 'the participants', schema: z.object({ result: z.array(Participant) }) } },
  },
  addParticipant: {
    method: 'post', path: '/v1.0/talks/{talk_id}/participants', auth: 'agent', body: AddParticipantBody,
    summary: `Add an active agent of the caller's customer to an active group talk (at most ${LIMITS.participantsMax} active participants). An agent who had left is re-activated with its same participant id.`,
    responses: { 201: { description: 'the added participant', schema: Participant }, 200: { description: 'already an active participant; nothing changed', schema: Participant } },
  },
  removeParticipant: {
    method: 'delete', path: '/v1.0/talks/{talk_id}/participants/{participant_id}', auth: 'agent',
    summary: 'Remove a participant (any active participant may; removing oneself is leaving). When the last active participant leaves, the talk closes. Removing a participant who already left changes nothing.',
    responses: { 200: { description: 'the participant, status "left"', schema: Participant } },
  },
  markRead: {
    method: 'post', path: '/v1.0/talks/{talk_id}/read', auth: 'agent', body: MarkReadBody,
    summary:
      "Move the caller's read marker to seq (default: the talk's newest seq; one past it is taken as the newest). A marker never moves back: a lower seq leaves it where it is and answers the state as it stands, also when two devices mark at once. " +
      'Active participants only (404 otherwise). Records no event and leaves the talk\'s seq as it is; the gateways send a read frame to the talk\'s subscribers and to all of the caller\'s connections.',
    responses: { 200: { description: "the caller's read state", schema: ReadState } },
  },
  unreadSummary: {
    method: 'get', path: '/v1.0/me/unread', auth: 'agent',
    summary: "How many of the caller's active talks have an unread message or mention, and the sums of both counts over them.",
    responses: { 200: { description: 'the summary', schema: UnreadSummary } },
  },
  listMentions: {
    method: 'get', path: '/v1.0/me/mentions', auth: 'agent', query: PageQuery,
    summary: 'Messages of the caller\'s talks that mention it (mention_ids), newest first; deleted ones and those past a leave are left out.',
    responses: { 200: { description: 'a page of messages', schema: pageOf(Message) } },
  },
  listEvents: {
    method: 'get', path: '/v1.0/talks/{talk_id}/events', auth: 'agent', query: EventListQuery,
    summary: "The talk's change stream after after_seq, oldest first (limit default 100, at most 1,000). A participant who left sees it up to its leaving.",
    responses: { 200: { description: 'events and the newest seq', schema: EventPage } },
  },
  postMessage: {
    method: 'post', path: '/v1.0/talks/{talk_id}/messages', auth: 'agent', body: CreateMessageBody,
    summary: `Send a message into an active talk. parent_id makes it a reply; a reply to a reply joins the root's thread. client_message_id makes the send idempotent per sender and talk: a retry returns the original (200) and emits nothing. mention_ids (at most ${LIMITS.mentionsMax}, no duplicates) must each be an active participant (400 INVALID_ARGUMENT naming the id).`,
    responses: { 201: { description: 'the message', schema: Message }, 200: { description: 'the original message of a retried send', schema: Message } },
  },
  listMessages: {
    method: 'get', path: '/v1.0/talks/{talk_id}/messages', auth: 'agent', query: MessageListQuery,
    summary: 'Top-level messages, newest first; with after_seq, everything after that seq, oldest first.',
    responses: { 200: { description: 'a page of messages', schema: pageOf(Message) } },
  },
  getMessage: {
    method: 'get', path: '/v1.0/messages/{message_id}', auth: 'agent',
    summary: 'A message, with its reactions grouped by emoji and, for a thread root, reply_count and last_reply_at.',
    responses: { 200: { description: 'the message', schema: Message } },
  },
  listReplies: {
    method: 'get', path: '/v1.0/messages/{message_id}/replies', auth: 'agent', query: PageQuery,
    summary: 'The thread under a root message, oldest first.',
    responses: { 200: { description: 'a page of replies', schema: pageOf(Message) } },
  },
  editMessage: {
    method: 'put', path: '/v1.0/messages/{message_id}', auth: 'agent', body: UpdateMessageBody,
    summary: 'Edit a message (its author only; 403 for other participants). mention_ids, when given, replaces its mentions (each an active participant, 400 otherwise). Emits message_updated when the text or the mentions change. A deleted message cannot be edited (409).',
    responses: { 200: { description: 'the message, edited: true', schema: Message } },
    errors: { 409: `the message was deleted, ${TOO_LARGE_EVENT}` },
  },
  deleteMessage: {
    method: 'delete', path: '/v1.0/messages/{message_id}', auth: 'agent',
    summary: 'Delete a message (its author only). It stays as a tombstone (deleted: true, no text, medias, reactions or mentions); a thread root keeps its replies. Idempotent.',
    responses: { 200: { description: 'the tombstone', schema: Message } },
  },
  addReaction: {
    method: 'post', path: '/v1.0/messages/{message_id}/reactions', auth: 'agent', body: AddReactionBody,
    summary: `React to a message in an active talk. A short name (thumbsup) and an emoji character (👍) are different reactions. At most ${LIMITS.reactionsMax} distinct emoji per message; a reaction lists the first ${LIMITS.reactionAgentIdsMax} agents who reacted with it, its count is exact. Emits reaction_added only when new.`,
    responses: { 201: { description: 'the message with the new reaction', schema: Message }, 200: { description: 'the caller already had that reaction', schema: Message } },
    errors: { 409: `the message was deleted, or it has reactions with ${LIMITS.reactionsMax} different emoji and this one is new (react with one of those), ${TOO_LARGE_EVENT}` },
  },
  removeReaction: {
    method: 'delete', path: '/v1.0/messages/{message_id}/reactions/{emoji}', auth: 'agent',
    summary: 'Remove the caller\'s reaction (the emoji URL-encoded in the path). Emits reaction_removed only when it existed.',
    responses: { 200: { description: 'the message', schema: Message } },
    errors: { 409: `the message was deleted, ${TOO_LARGE_EVENT}` },
  },
  setPresence: {
    method: 'put', path: '/v1.0/me/presence', auth: 'agent', body: SetPresenceBody,
    summary: 'Set the caller away (or online again). It is kept while the agent stays connected to any gateway; its next first connection starts online. An agent without a connection stays offline. Every follower sees the change within 2 s (docs/websocket.md, Presence).',
    responses: { 200: { description: "the caller's presence after the change", schema: Presence } },
  },
  listPresence: {
    method: 'get', path: '/v1.0/presence', auth: 'agent', query: PresenceQuery,
    summary: `The presence of up to ${PRESENCE_LIMITS.agentIdsPerRequest} agents (agent_ids, comma-separated; repeats count once), in the order asked. Agents of another customer, or none, are left out of the result. Online while connected to any gateway; offline within 30 s of the last connection closing or its gateway dying.`,
    responses: { 200: { description: 'the presence of each agent of the caller\'s customer asked for', schema: z.object({ result: z.array(Presence) }) } },
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof SPECS;
export const ROUTES: Readonly<Record<RouteName, RouteSpec>> = SPECS;

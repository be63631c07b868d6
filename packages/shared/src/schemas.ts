/**
 * Wire shapes of the public contract (the REST contract (the OpenAPI document at /docs)): one zod schema per shape, and the
 * type of the same name. Responses are built by the services from these types; requests are parsed
 * with them at the edge.
 */
import { z } from 'zod';

export const LIMITS = {
  textMaxChars: 16_000,
  mediasMax: 10,
  mediaUrlMaxChars: 2_048,
  nameMaxChars: 255,
  clientMessageIdMaxChars: 64,
  participantsMax: 1_000,
  pageSizeDefault: 50,
  pageSizeMax: 100,
  bodyMaxBytes: 64 * 1024,
  usernameMaxChars: 64,
  passwordMinChars: 8,
  passwordMaxChars: 256,
  /** Distinct emoji on one message: a new one past them is refused (409 CONFLICT). */
  reactionsMax: 50,
  /** Agents a reaction lists (the first who reacted); its `count` is exact however many there are. */
  reactionAgentIdsMax: 100,
  /** The largest event, as JSON in UTF-8: a change that would record a larger one is refused (409 CONFLICT). */
  eventMaxBytes: 256 * 1024,
  /** Agents one message may mention. */
  mentionsMax: 50,
} as const;

export const Id = z.uuid({ message: 'must be a UUID' });
export type Id = z.infer<typeof Id>;

const Timestamp = z.iso.datetime({ offset: false, precision: 3 });

const name = z.string().trim().min(1).max(LIMITS.nameMaxChars);

export const Customer = z.object({
  id: Id,
  name: z.string(),
  tm_create: Timestamp,
});
export type Customer = z.infer<typeof Customer>;

/** Only the response of `POST /v1.0/customers` carries the accesskey; it is never shown again. */
export const CreatedCustomer = Customer.extend({ accesskey: z.string() });
export type CreatedCustomer = z.infer<typeof CreatedCustomer>;

export const AgentStatus = z.enum(['active', 'deactivated']);
export type AgentStatus = z.infer<typeof AgentStatus>;

export const Agent = z.object({
  id: Id,
  customer_id: Id,
  username: z.string(),
  name: z.string(),
  status: AgentStatus,
  tm_create: Timestamp,
});
export type Agent = z.infer<typeof Agent>;

export const TalkType = z.enum(['direct', 'group']);
export type TalkType = z.infer<typeof TalkType>;

export const TalkStatus = z.enum(['active', 'closed']);
export type TalkStatus = z.infer<typeof TalkStatus>;

const Count = z.number().int().nonnegative();

/** A field of one reader's read state on a shared shape: filled in REST answers, null in events. */
const readStateField = (description: string) => Count.nullable().default(null).describe(description);

export const Talk = z.object({
  id: Id,
  customer_id: Id,
  type: TalkType,
  name: z.string(),
  status: TalkStatus,
  creator_id: Id,
  participant_count: z.number().int().nonnegative(),
  last_message_at: Timestamp.nullable(),
  tm_create: Timestamp,
  tm_update: Timestamp,
  last_read_seq: readStateField("the caller's read marker (the seq up to which it has read); null in events, which every participant shares"),
  unread_count: readStateField("the caller's unread messages: normal, top-level, not deleted, not its own, after its marker; null in events"),
  unread_mention_count: readStateField("messages after the caller's marker (replies too), not deleted, that mention it; null in events"),
});
export type Talk = z.infer<typeof Talk>;

/** A talk as every participant shares it: without the caller's read state (events carry this). */
export type SharedTalk = Omit<Talk, 'last_read_seq' | 'unread_count' | 'unread_mention_count'>;

/** The caller's read state of a talk: `POST /v1.0/talks/{id}/read`, and the fields it adds to a Talk. */
export const ReadState = z.object({
  talk_id: Id,
  agent_id: Id,
  last_read_seq: Count,
  unread_count: Count,
  unread_mention_count: Count,
});
export type ReadState = z.infer<typeof ReadState>;

/** `GET /v1.0/me/unread`: over the caller's active talks. */
export const UnreadSummary = z.object({
  talks: Count.describe('active talks with an unread message or an unread mention'),
  messages: Count.describe('the sum of their unread_count'),
  mentions: Count.describe('the sum of their unread_mention_count'),
});
export type UnreadSummary = z.infer<typeof UnreadSummary>;

export const ParticipantStatus = z.enum(['active', 'left']);
export type ParticipantStatus = z.infer<typeof ParticipantStatus>;

export const Participant = z.object({
  id: Id,
  talk_id: Id,
  agent_id: Id,
  status: ParticipantStatus,
  tm_joined: Timestamp,
  tm_left: Timestamp.nullable(),
  last_read_seq: readStateField('the participant\'s read marker (read receipts: "seen by"); null in events'),
});
export type Participant = z.infer<typeof Participant>;

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export const Media = z.object({
  type: z.string().regex(MIME_TYPE, 'must be a MIME type like "application/pdf"'),
  url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .max(LIMITS.mediaUrlMaxChars),
  name: z.string().min(1).max(LIMITS.nameMaxChars),
});
export type Media = z.infer<typeof Media>;

/**
 * A media as a client sends it. Its URL is stored as the WHATWG URL standard serialises it (what a
 * browser's `new URL(url).href` gives): scheme and host lower-case, default port and dot segments
 * dropped, and characters such as `"`, `'`, `<`, `>` and spaces percent-encoded, so none reaches
 * another client raw. The length limit holds for the stored form.
 */
export const MediaInput = Media.extend({
  url: Media.shape.url.transform((url) => new URL(url).href).pipe(
    z.string().max(LIMITS.mediaUrlMaxChars, `must be at most ${LIMITS.mediaUrlMaxChars} characters once normalised (percent-encoded)`),
  ),
});

export const Reaction = z.object({
  emoji: z.string(),
  count: z.number().int().positive().describe('how many agents reacted with this emoji: exact, however many agent_ids lists'),
  agent_ids: z
    .array(Id)
    .max(LIMITS.reactionAgentIdsMax)
    .describe(`the first ${LIMITS.reactionAgentIdsMax} agents who reacted with this emoji (among those whose reaction stands), in the order they reacted`),
});
export type Reaction = z.infer<typeof Reaction>;

export const MessageType = z.enum(['normal', 'system']);
export type MessageType = z.infer<typeof MessageType>;

export const Message = z.object({
  id: Id,
  talk_id: Id,
  seq: z.number().int().positive(),
  type: MessageType,
  agent_id: Id.nullable(),
  client_message_id: z.string().nullable(),
  text: z.string(),
  parent_id: Id.nullable(),
  medias: z.array(Media).max(LIMITS.mediasMax),
  reactions: z
    .array(Reaction)
    .max(LIMITS.reactionsMax)
    .describe(`one entry per emoji, in order of use; at most ${LIMITS.reactionsMax} distinct emoji per message (a new one past them is refused with 409 CONFLICT)`),
  reply_count: z.number().int().nonnegative(),
  last_reply_at: Timestamp.nullable(),
  edited: z.boolean(),
  deleted: z.boolean(),
  mention_ids: z
    .array(Id)
    .max(LIMITS.mentionsMax)
    .default([])
    .describe('the agents the message mentions (active participants when it was sent or edited); empty once deleted'),
  tm_create: Timestamp,
  tm_update: Timestamp,
});
export type Message = z.infer<typeof Message>;

export interface Page<T> {
  readonly result: readonly T[];
  readonly next_page_token: string | null;
}

// ---- request bodies and queries ----

export const CreateCustomerBody = z.object({ name });
export type CreateCustomerBody = z.infer<typeof CreateCustomerBody>;

export const CreateAgentBody = z.object({
  username: z
    .string()
    .min(1)
    .max(LIMITS.usernameMaxChars)
    .regex(/^[A-Za-z0-9._@-]+$/, 'may contain letters, digits and . _ @ - only'),
  password: z.string().min(LIMITS.passwordMinChars).max(LIMITS.passwordMaxChars),
  name: name.optional(),
});
export type CreateAgentBody = z.infer<typeof CreateAgentBody>;

export const LoginBody = z.object({
  customer_id: Id,
  username: z.string().min(1).max(LIMITS.usernameMaxChars),
  password: z.string().min(1).max(LIMITS.passwordMaxChars),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResponse = z.object({
  token: z.string(),
  expires_at: Timestamp,
  agent: Agent,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const CreateTalkBody = z.object({
  name: name.optional(),
  type: TalkType.default('group'),
  participant_ids: z.array(Id).max(LIMITS.participantsMax - 1).default([]),
});
export type CreateTalkBody = z.infer<typeof CreateTalkBody>;

export const UpdateTalkBody = z.object({ name });
export type UpdateTalkBody = z.infer<typeof UpdateTalkBody>;

/** At most 50 agents, each once; that each is an active participant of the talk is checked against it. */
export const MentionIds = z
  .array(Id)
  .max(LIMITS.mentionsMax)
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index], message: `mentions agent ${id} twice` });
      seen.add(id);
    });
  });

export const UpdateMessageBody = z.object({
  text: z.string().max(LIMITS.textMaxChars),
  mention_ids: MentionIds.optional().describe("replaces the message's mentions; left out, they stay as they are"),
});
export type UpdateMessageBody = z.infer<typeof UpdateMessageBody>;

const SHORTCODE = /^[a-z0-9_+-]{1,64}$/;
// Built at run time: the `v` flag is newer than the compile target.
const ONE_EMOJI = new RegExp('^(\\p{RGI_Emoji}|\\p{Extended_Pictographic}\\uFE0F?)$', 'v');

/**
 * A short name like `thumbsup`, or one emoji character sequence of at most 32 bytes like `👍`.
 * Bytes are counted with TextEncoder, not Buffer, so that the contracts also run in a browser.
 */
export const Emoji = z
  .string()
  .refine(
    (value) => SHORTCODE.test(value) || (ONE_EMOJI.test(value) && new TextEncoder().encode(value).length <= 32),
    'must be a short name like "thumbsup" ([a-z0-9_+-], 1–64) or one emoji like "👍"',
  );
export type Emoji = z.infer<typeof Emoji>;

export const AddReactionBody = z.object({ emoji: Emoji });
export type AddReactionBody = z.infer<typeof AddReactionBody>;

export const AddParticipantBody = z.object({ agent_id: Id });
export type AddParticipantBody = z.infer<typeof AddParticipantBody>;

export const CreateMessageBody = z
  .object({
    text: z.string().max(LIMITS.textMaxChars).default(''),
    parent_id: Id.optional(),
    medias: z.array(MediaInput).max(LIMITS.mediasMax).default([]),
    client_message_id: z.string().min(1).max(LIMITS.clientMessageIdMaxChars).optional(),
    mention_ids: MentionIds.default([]),
  })
  .refine((body) => body.text.trim().length > 0 || body.medias.length > 0, {
    message: 'a message needs text or at least one media',
    path: ['text'],
  });
export type CreateMessageBody = z.infer<typeof CreateMessageBody>;

export const PageQuery = z.object({
  page_size: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.pageSizeDefault),
  page_token: z.string().min(1).max(512).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

const QueryFlag = z.enum(['true', 'false']).transform((flag) => flag === 'true');

export const TalkListQuery = PageQuery.extend({
  status: TalkStatus.optional(),
  unread: QueryFlag.optional().describe('true: only talks with an unread message or an unread mention'),
});
export type TalkListQuery = z.infer<typeof TalkListQuery>;

export const ParticipantListQuery = z.object({ status: ParticipantStatus.optional() });
export type ParticipantListQuery = z.infer<typeof ParticipantListQuery>;

export const MarkReadBody = z.object({
  seq: z.number().int().nonnegative().optional().describe("read up to this seq; the talk's newest seq by default, and at most"),
});
export type MarkReadBody = z.infer<typeof MarkReadBody>;

export const EventListQuery = z.object({
  after_seq: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
export type EventListQuery = z.infer<typeof EventListQuery>;

export const MessageListQuery = PageQuery.extend({
  after_seq: z.coerce.number().int().nonnegative().optional(),
});
export type MessageListQuery = z.infer<typeof MessageListQuery>;

// ---- presence (docs/websocket.md, Presence) ----

export const PRESENCE_LIMITS = {
  /** Agents one `GET /v1.0/presence` may name. */
  agentIdsPerRequest: 100,
  /** Agents one WebSocket connection may follow the presence of, in all. */
  subscribedPerConnection: 500,
} as const;

export const PresenceStatus = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

export const Presence = z.object({
  agent_id: Id,
  status: PresenceStatus,
  tm_change: Timestamp.describe('when the status last changed (an agent never seen online: when it was created)'),
});
export type Presence = z.infer<typeof Presence>;

export const SetPresenceBody = z.object({ status: z.enum(['online', 'away']) });
export type SetPresenceBody = z.infer<typeof SetPresenceBody>;

/** `agent_ids=<id>,<id>…`: comma-separated, at most `PRESENCE_LIMITS.agentIdsPerRequest`, repeats counted once. */
export const PresenceQuery = z.object({
  agent_ids: z
    .string()
    .transform((value) => [...new Set(value.split(',').map((id) => id.trim()))])
    .pipe(z.array(Id).min(1).max(PRESENCE_LIMITS.agentIdsPerRequest, `at most ${PRESENCE_LIMITS.agentIdsPerRequest} agent ids`)),
});
export type PresenceQuery = z.infer<typeof PresenceQuery>;

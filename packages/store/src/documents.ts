/**
 * How Talk's resources are stored. The one place that knows collection names and document shapes.
 * Ids are UUID strings used as `_id`. Times are `Date`s; the wire format is made on the way out.
 *
 * FerretDB v1 (our MongoDB-compatible test server) applies updates as read-modify-write without
 * isolation: concurrent `$inc` lose increments and conditional updates can all "win" (measured in
 * docs/storage.md). Only inserts guarded by a unique index are race-free on both servers, so every
 * rule that must hold under concurrency is enforced by a unique index, never by an update.
 */
import type { AgentStatus, Media, MessageType, ParticipantStatus, TalkStatus, TalkType } from '@talk/shared/schemas';
import type { EventType } from '@talk/shared/events';

export const COLLECTIONS = {
  customers: 'customers',
  agents: 'agents',
  talks: 'talks',
  participants: 'participants',
  messages: 'messages',
  events: 'events',
  reactions: 'reactions',
  relayLeases: 'relay_leases',
  talkStates: 'talk_states',
  pairClaims: 'pair_claims',
  readMarks: 'read_marks',
  readStates: 'read_states',
} as const;

export interface CustomerDoc {
  _id: string;
  name: string;
  /** SHA-256 of the accesskey: the key itself is high-entropy and shown only once. */
  accesskey_hash: string;
  tm_create: Date;
}

export interface AgentDoc {
  _id: string;
  customer_id: string;
  username: string;
  name: string;
  password_hash: string;
  status: AgentStatus;
  tm_create: Date;
}

export interface TalkDoc {
  _id: string;
  customer_id: string;
  type: TalkType;
  name: string;
  status: TalkStatus;
  creator_id: string;
  last_message_at: Date | null;
  tm_create: Date;
  tm_update: Date;
  /** Seq of the newest event applied to this document: an older event never overwrites a newer. */
  version_seq?: number;
}

export interface ParticipantDoc {
  _id: string;
  talk_id: string;
  agent_id: string;
  status: ParticipantStatus;
  tm_joined: Date;
  tm_left: Date | null;
  /** Seq of the event that recorded the leave: a left participant reads history up to it. */
  left_at_seq: number | null;
  /**
   * Seq of the participant's newest `participant_joined`: its read marker starts there (history
   * from before joining is not unread). Absent on participants projected before read state
   * existed, which count from the talk's start until the projections are rebuilt.
   */
  joined_seq?: number;
  /** Seq of the newest event applied to this document: an older event never overwrites a newer. */
  version_seq?: number;
}

/** A message as stored; its reactions and thread counts are derived on read (see message-views.ts). */
export interface MessageDoc {
  _id: string;
  talk_id: string;
  seq: number;
  type: MessageType;
  agent_id: string | null;
  client_message_id: string | null;
  text: string;
  parent_id: string | null;
  medias: Media[];
  edited: boolean;
  deleted: boolean;
  /** The agents it mentions; absent on messages stored before mentions existed. */
  mention_ids?: string[];
  tm_create: Date;
  tm_update: Date;
  /** Seq of the newest event applied to this document: an older event never overwrites a newer. */
  version_seq?: number;
}

/**
 * One agent's reaction with one emoji to one message: a projection of the reaction events, and the
 * full record of who reacted (a message's wire shape lists only the first agents of a reaction).
 * The `_id` is derived from (message, agent, emoji), so there is one row however many requests
 * race. A removal keeps the row, marked `removed`, so that the row always says which event it
 * reflects (`version_seq`): an event applied late, or twice, never undoes a newer one.
 */
export interface ReactionDoc {
  _id: string;
  message_id: string;
  talk_id: string;
  agent_id: string;
  emoji: string;
  /** True once the reaction was taken back; rows written before this field stand. */
  removed?: boolean;
  /** Seq of the event that made or took back the reaction: the order of a message's reactions. */
  reacted_seq?: number;
  /** Seq of the newest event applied to this row. */
  version_seq?: number;
  tm_create: Date;
}

/** One entry of a talk's change stream. `data` is the wire shape of the event (already JSON-safe). */
export interface EventDoc {
  _id: string;
  talk_id: string;
  seq: number;
  type: EventType;
  tm_create: string;
  data: unknown;
  /**
   * The message a message event is about: its newest such event is the message as of then (each
   * carries the whole message), which an edit, a delete or a reaction decides on. Reaction events
   * recorded before `reaction_of` existed carry it too (they carry the whole message as well).
   */
  message_id?: string;
  /**
   * The message a reaction event is about: while the event is `pending` its reaction row may not
   * show it yet, so a decision reads the rows and these (write-pipeline/reactions-as-of.ts).
   */
  reaction_of?: string;
  /** False until the projections show it; the outbox relay applies what stays false. */
  applied: boolean;
  /** False until the event bus acknowledged it; the outbox relay publishes what stays false. */
  published: boolean;
  /**
   * Present until the event is both applied and published: the outbox relay's work list. It is
   * removed, not set to false, so that its index holds only unfinished events and the relay's
   * scan costs what is pending, never what the log holds.
   */
  pending?: true;
  /** Set, with `pending` removed, when the bus refused the event for what it is (outbox-relay.ts). */
  parked?: { readonly reason: string; readonly at: Date };
}

/** One window of an outbox relay's lease (relay-lease.ts); `_id` is `<name>:<window>`. */
export interface RelayLeaseDoc {
  _id: string;
  name: string;
  /** Start of the window in milliseconds since the epoch, divided by the window length. */
  window: number;
  holder: string;
  tm_create: Date;
}

/**
 * One move of a reader's marker (read-state/read-marks.ts): the reader's marks are a log of their
 * own, `<talk_id>:<agent_id>#<n>` under the unique `_id`, each at a higher seq than the one
 * before. Recording mark n+1 only after reading mark n is the compare-and-set that keeps a marker
 * from moving back when two devices mark at once, on FerretDB v1 too (an insert under a unique
 * index is the one it keeps isolated).
 */
export interface ReadMarkDoc {
  _id: string;
  talk_id: string;
  agent_id: string;
  n: number;
  seq: number;
  tm_create: Date;
}

/**
 * A reader's counts as last worked out (read-state/read-states.ts), `_id` `<talk_id>:<agent_id>`: a
 * cache, exact for the marker of mark `mark_n` (`last_read_seq`) as of the talk's seq
 * `counted_to`. Replaced whole by whoever counts further; a stale one only costs reads.
 */
export interface ReadStateDoc {
  _id: string;
  talk_id: string;
  agent_id: string;
  mark_n: number;
  mark_seq: number;
  /** The marker: `mark_seq`, or the seq the reader joined at if that is higher. */
  last_read_seq: number;
  counted_to: number;
  unread_count: number;
  unread_mention_count: number;
}

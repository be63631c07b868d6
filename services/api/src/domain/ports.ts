/**
 * What the API's use cases need of the world outside the process, in contract shapes
 * (`@talk/shared`) and decision shapes (`@talk/decisions`). The data layer implements them
 * (packages/store/src/contract-adapters/), so that documents (`_id`, `Date`, flags) stay inside it,
 * and a unit test passes hand-written fakes.
 */
import type { Decide, Decided } from '@talk/decisions/decision';
import type { PairClaim } from '@talk/decisions/pair-opening';
import type { TalkState } from '@talk/decisions/talk-state';
import type { TalkChangeEvent } from '@talk/shared/events';
import type { Logger } from '@talk/shared/logger';
import type { Agent, Message, Participant, ParticipantStatus, ReadState, SharedTalk, TalkStatus } from '@talk/shared/schemas';

/** A talk as its projection holds it: the talk every participant shares, without its participant count, which is counted on read. */
export type StoredTalk = Omit<SharedTalk, 'participant_count'>;

/** An agent's participation in a talk: the last seq it may read once it left (null while it is active), and the seq it joined at. */
export interface Membership {
  readonly participant: Participant;
  readonly leftAtSeq: number | null;
  /** Seq of its newest `participant_joined`: its read marker starts there. */
  readonly joinedSeq: number;
}

/** A talk of an agent's, with the agent's participation in it. */
export interface MemberTalk {
  readonly talk: StoredTalk;
  readonly membership: Membership;
}

/** A page of an agent's talks, most recent activity first, after the previous page's last talk. */
export interface TalkPageOptions {
  readonly status?: TalkStatus;
  readonly after?: { readonly tmUpdate: Date; readonly id: string };
  readonly limit: number;
}

/** Talks and their participants as projected from their events: what reads and access checks use. */
export interface TalkDirectory {
  findTalk(customerId: string, talkId: string): Promise<StoredTalk | null>;
  /** Talks the agent takes or took part in, with its participation, most recent activity first. */
  listTalksOfAgent(agentId: string, options: TalkPageOptions): Promise<MemberTalk[]>;
  /** Active participants per talk. */
  countActiveParticipants(talkIds: readonly string[]): Promise<Map<string, number>>;
  findMembership(talkId: string, agentId: string): Promise<Membership | null>;
  findParticipantById(talkId: string, participantId: string): Promise<Participant | null>;
  listParticipants(talkId: string, status?: ParticipantStatus): Promise<Membership[]>;
  /** The agent's active participations in every talk. */
  listActiveParticipationsOf(agentId: string): Promise<Membership[]>;
}

/** Whose read state, and which part of its talk's log it may read. */
export interface Reader {
  readonly talkId: string;
  readonly agentId: string;
  readonly joinedSeq: number;
  /** Seq of its leave, after which it reads nothing; null while it takes part. */
  readonly leftAtSeq: number | null;
}

/** Readers' markers and unread counts, kept from the talks' logs (packages/store/src/read-state/). */
export interface ReadStateDirectory {
  /** The reader's marker and counts as of the end of the talk's log (or its leave). */
  stateOf(reader: Reader): Promise<ReadState>;
  /** The reader's marker alone (read receipts). */
  markerOf(reader: Reader): Promise<number>;
  /** Moves the marker up to `seq` (which the reader may read) unless it is there or past it already; never back. */
  markRead(reader: Reader, seq: number, at: Date): Promise<{ readonly state: ReadState; readonly moved: boolean }>;
}

/** Tells every gateway that a marker moved, for the `read` frames. Ephemeral: no seq, no replay. */
export interface ReadNotices {
  /** Throws when the bus cannot take it: the marker moved all the same. */
  publish(state: ReadState): void;
}

/** An agent and the hash its password is checked against. */
export interface Credentials {
  readonly agent: Agent;
  readonly passwordHash: string;
}

export interface AgentDirectory {
  /** Throws `CONFLICT` when the username is taken in that customer. */
  insertAgent(agent: Agent, passwordHash: string): Promise<void>;
  findAgent(customerId: string, agentId: string): Promise<Agent | null>;
  findAgents(customerId: string, agentIds: readonly string[]): Promise<Agent[]>;
  findCredentials(customerId: string, username: string): Promise<Credentials | null>;
  /** Agents of a customer ordered by id, after `afterId`. */
  listAgents(customerId: string, afterId: string | undefined, limit: number): Promise<Agent[]>;
  deactivateAgent(agentId: string): Promise<void>;
}

export interface NewCustomer {
  readonly id: string;
  readonly name: string;
  readonly accesskeyHash: string;
  readonly createdAt: Date;
}

export interface CustomerDirectory {
  insertCustomer(customer: NewCustomer): Promise<void>;
  /** The id of the customer with that accesskey hash; null if none. */
  findCustomerIdByAccesskeyHash(hash: string): Promise<string | null>;
}

/** A message as its projection holds it: the contract's message without what is derived on read (reactions, thread). */
export type StoredMessage = Omit<Message, 'reactions' | 'reply_count' | 'last_reply_at'>;

export interface TopLevelQuery {
  readonly talkId: string;
  readonly limit: number;
  /** Newest first, below this seq (a page of history). */
  readonly beforeSeq?: number;
  /** Oldest first, above this seq (catching up). */
  readonly afterSeq?: number;
  /** A left participant sees no message past its leave. */
  readonly visibleUpToSeq?: number;
}

export interface MessageDirectory {
  findMessage(messageId: string): Promise<StoredMessage | null>;
  listTopLevel(query: TopLevelQuery): Promise<StoredMessage[]>;
  /** A thread's replies, oldest first. */
  listReplies(rootId: string, options: { afterSeq?: number; visibleUpToSeq?: number; limit: number }): Promise<StoredMessage[]>;
  /** The messages with what is derived on read: their reactions and threads. */
  render(messages: readonly StoredMessage[]): Promise<Message[]>;
  renderOne(message: StoredMessage): Promise<Message>;
  /** The message with its thread as the projection has it now (a change event carries the message whole). */
  withThread(message: Message): Promise<Message>;
  /** Messages not deleted that mention the agent, in every talk, newest first, after the cursor. */
  listMentioning(agentId: string, options: { after?: { readonly tmCreate: Date; readonly id: string }; limit: number }): Promise<StoredMessage[]>;
}

/** What use cases read of a talk's event log. */
export interface TalkLog {
  lastSeq(talkId: string): Promise<number>;
  state(talkId: string): Promise<TalkState>;
  find(talkId: string, eventId: string): Promise<TalkChangeEvent | null>;
  listAfter(talkId: string, afterSeq: number, limit: number): Promise<TalkChangeEvent[]>;
}

/** The log of claims on each direct pair (direct-pairs.ts decides on it). */
export interface PairClaimLog {
  /** The pair's newest claim; null when the pair was never claimed. */
  newest(pairKey: string): Promise<PairClaim | null>;
  /** Records the claim at its position; false when that position is taken (decide again on the newest). */
  record(claim: PairClaim): Promise<boolean>;
}

/** Decides a change on the talk's state at the end of its log, records, projects and publishes its events. */
export interface TalkRecorder {
  decide<R>(talkId: string, decide: Decide<R>, log: Logger, requestId?: string): Promise<Decided<R>>;
}

/** Presence as the bucket that gateways write holds it (`@talk/runtime/nats-presence`). */
export interface PresenceReader {
  /** `since`: when the status began, in milliseconds; null for an agent never seen online (or long ago). */
  presenceOf(agentId: string): { readonly status: 'online' | 'away' | 'offline'; readonly since: number | null };
  /** Stores the status the agent set; resolves once `presenceOf` shows it. */
  setStatus(agentId: string, status: 'online' | 'away'): Promise<void>;
}

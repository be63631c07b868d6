/** Stored documents to the contract's wire shapes. */
import type { Agent, Message, Participant, SharedTalk, Talk } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import type { AgentDoc, MessageDoc, ParticipantDoc, TalkDoc } from './documents';

const optionalTime = (date: Date | null): string | null => (date === null ? null : toTimestamp(date));

export function toAgent(doc: AgentDoc): Agent {
  return {
    id: doc._id,
    customer_id: doc.customer_id,
    username: doc.username,
    name: doc.name,
    status: doc.status,
    tm_create: toTimestamp(doc.tm_create),
  };
}

/** The talk as every participant shares it (the caller's read state is not the projection's). */
export function toTalk(doc: TalkDoc, participantCount: number): Talk {
  return { ...toStoredTalk(doc), participant_count: participantCount, last_read_seq: null, unread_count: null, unread_mention_count: null };
}

/** A talk as its projection holds it: everything shared but the participant count, which is counted on read. */
export function toStoredTalk(doc: TalkDoc): Omit<SharedTalk, 'participant_count'> {
  return {
    id: doc._id,
    customer_id: doc.customer_id,
    type: doc.type,
    name: doc.name,
    status: doc.status,
    creator_id: doc.creator_id,
    last_message_at: optionalTime(doc.last_message_at),
    tm_create: toTimestamp(doc.tm_create),
    tm_update: toTimestamp(doc.tm_update),
  };
}

export function toParticipant(doc: ParticipantDoc): Participant {
  return {
    id: doc._id,
    talk_id: doc.talk_id,
    agent_id: doc.agent_id,
    status: doc.status,
    tm_joined: toTimestamp(doc.tm_joined),
    tm_left: optionalTime(doc.tm_left),
    last_read_seq: null,
  };
}

/** What is derived on read: the reactions and the thread under a root message. */
export interface MessageExtras {
  readonly reactions: Message['reactions'];
  readonly replyCount: number;
  readonly lastReplyAt: Date | null;
}

export const NO_EXTRAS: MessageExtras = { reactions: [], replyCount: 0, lastReplyAt: null };

export function toMessage(doc: MessageDoc, extras: MessageExtras = NO_EXTRAS): Message {
  return {
    ...toStoredMessage(doc),
    reactions: doc.deleted ? [] : extras.reactions,
    reply_count: extras.replyCount,
    last_reply_at: optionalTime(extras.lastReplyAt),
  };
}

/** A message as its projection holds it: everything but what is derived on read. */
export type StoredMessage = Omit<Message, 'reactions' | 'reply_count' | 'last_reply_at'>;

export function toStoredMessage(doc: MessageDoc): StoredMessage {
  return {
    id: doc._id,
    talk_id: doc.talk_id,
    seq: doc.seq,
    type: doc.type,
    agent_id: doc.agent_id,
    client_message_id: doc.client_message_id,
    text: doc.text,
    parent_id: doc.parent_id,
    medias: doc.medias,
    edited: doc.edited,
    deleted: doc.deleted,
    mention_ids: doc.mention_ids ?? [],
    tm_create: toTimestamp(doc.tm_create),
    tm_update: toTimestamp(doc.tm_update),
  };
}

export function messageDocFrom(message: StoredMessage): MessageDoc {
  return {
    _id: message.id,
    talk_id: message.talk_id,
    seq: message.seq,
    type: message.type,
    agent_id: message.agent_id,
    client_message_id: message.client_message_id,
    text: message.text,
    parent_id: message.parent_id,
    medias: message.medias,
    edited: message.edited,
    deleted: message.deleted,
    mention_ids: [...message.mention_ids],
    tm_create: new Date(message.tm_create),
    tm_update: new Date(message.tm_update),
  };
}

/** Event drafts for each kind of change; the event log fills in the seq. */
import type { ParticipantChangeReason, ReactionEventData } from '@talk/shared/events';
import { newId } from '@talk/shared/ids';
import type { Message, Participant, Talk } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import type { EventDraft } from './event-draft';

export type UnsequencedMessage = Omit<Message, 'seq'>;

export interface NewMessage {
  readonly id: string;
  readonly talkId: string;
  readonly type: 'normal' | 'system';
  readonly agentId: string | null;
  readonly clientMessageId: string | null;
  readonly text: string;
  readonly parentId: string | null;
  readonly medias: Message['medias'];
  readonly mentionIds: readonly string[];
  readonly at: Date;
}

/** A message as it is first recorded: no reactions, no replies, not edited, not deleted. */
export function newMessage(message: NewMessage): UnsequencedMessage {
  const at = toTimestamp(message.at);
  return {
    id: message.id,
    talk_id: message.talkId,
    type: message.type,
    agent_id: message.agentId,
    client_message_id: message.clientMessageId,
    text: message.text,
    parent_id: message.parentId,
    medias: message.medias,
    reactions: [],
    reply_count: 0,
    last_reply_at: null,
    edited: false,
    deleted: false,
    mention_ids: [...message.mentionIds],
    tm_create: at,
    tm_update: at,
  };
}

/** `message_created`; the message's own `seq` is its event's seq. */
export function messageCreatedDraft(message: UnsequencedMessage, eventId: string = newId()): EventDraft {
  const { id, talk_id, ...rest } = message;
  return {
    id: eventId,
    talkId: message.talk_id,
    build: (seq) => ({
      id: eventId,
      type: 'message_created',
      talk_id: message.talk_id,
      seq,
      tm_create: message.tm_create,
      data: { id, talk_id, seq, ...rest },
    }),
  };
}

export function participantDraft(
  type: 'participant_joined' | 'participant_left',
  participant: Participant,
  reason: ParticipantChangeReason,
  at: Date,
  id: string = newId(),
): EventDraft {
  return {
    id,
    talkId: participant.talk_id,
    build: (seq) => ({ id, type, talk_id: participant.talk_id, seq, tm_create: toTimestamp(at), data: { ...participant, reason } }),
  };
}

export function talkDraft(
  type: 'talk_created' | 'talk_updated' | 'talk_closed' | 'talk_reopened',
  talk: Talk,
  at: Date,
  id: string = newId(),
): EventDraft {
  return { id, talkId: talk.id, build: (seq) => ({ id, type, talk_id: talk.id, seq, tm_create: toTimestamp(at), data: talk }) };
}

export function reactionDraft(type: 'reaction_added' | 'reaction_removed', data: ReactionEventData, at: Date): EventDraft {
  const id = newId();
  const talkId = data.message.talk_id;
  return { id, talkId, build: (seq) => ({ id, type, talk_id: talkId, seq, tm_create: toTimestamp(at), data }) };
}

export function messageChangeDraft(type: 'message_updated' | 'message_deleted', message: Message): EventDraft {
  const id = newId();
  return { id, talkId: message.talk_id, build: (seq) => ({ id, type, talk_id: message.talk_id, seq, tm_create: message.tm_update, data: message }) };
}

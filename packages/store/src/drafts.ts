/** Event drafts for each kind of change; the event log fills in the seq. */
import type { ParticipantChangeReason } from '@talk/shared/events';
import { newId } from '@talk/shared/ids';
import type { Message, Participant, Talk } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import type { EventDraft } from './event-log';

export type UnsequencedMessage = Omit<Message, 'seq'>;

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
): EventDraft {
  const id = newId();
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
): EventDraft {
  const id = newId();
  return { id, talkId: talk.id, build: (seq) => ({ id, type, talk_id: talk.id, seq, tm_create: toTimestamp(at), data: talk }) };
}

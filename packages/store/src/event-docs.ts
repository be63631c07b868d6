/** Events as the log stores them, and back: the database is an edge too, so a stored event is parsed. */
import { TalkChangeEvent } from '@talk/shared/events';
import type { EventDoc } from './documents';

/** The message an event is about, if it is a message's or a reaction's. */
function messageIdOf(event: TalkChangeEvent): string | undefined {
  switch (event.type) {
    case 'message_created':
    case 'message_updated':
    case 'message_deleted':
      return event.data.id;
    case 'reaction_added':
    case 'reaction_removed':
      return event.data.message_id;
    case 'participant_joined':
    case 'participant_left':
    case 'talk_created':
    case 'talk_updated':
    case 'talk_closed':
    case 'talk_reopened':
      return undefined;
  }
}

/** A new event's document: pending until applied and published (event-log.ts). */
export function eventDocOf(event: TalkChangeEvent): EventDoc {
  const messageId = messageIdOf(event);
  return {
    _id: event.id,
    talk_id: event.talk_id,
    seq: event.seq,
    type: event.type,
    tm_create: event.tm_create,
    data: event.data,
    ...(messageId === undefined ? {} : { message_id: messageId }),
    applied: false,
    published: false,
    pending: true,
  };
}

export function toEvent(doc: EventDoc): TalkChangeEvent {
  return TalkChangeEvent.parse({
    id: doc._id,
    type: doc.type,
    talk_id: doc.talk_id,
    seq: doc.seq,
    tm_create: doc.tm_create,
    data: doc.data,
  });
}

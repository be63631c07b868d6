/** Events as the log stores them, and back: the database is an edge too, so a stored event is parsed. */
import { TalkChangeEvent } from '@talk/shared/events';
import type { Message } from '@talk/shared/schemas';
import type { EventDoc } from '../documents';

/** The whole message a message or reaction event carries: the message's state as of that event. */
export function messageCarriedBy(event: TalkChangeEvent): Message | undefined {
  switch (event.type) {
    case 'message_created':
    case 'message_updated':
    case 'message_deleted':
      return event.data;
    case 'reaction_added':
    case 'reaction_removed':
      return event.data.message;
    case 'participant_joined':
    case 'participant_left':
    case 'talk_created':
    case 'talk_updated':
    case 'talk_closed':
    case 'talk_reopened':
      return undefined;
  }
}

/** The message a message event is about (a reaction event is about one too: `reaction_of`). */
function messageFieldsOf(event: TalkChangeEvent): Pick<EventDoc, 'message_id' | 'reaction_of'> {
  switch (event.type) {
    case 'message_created':
    case 'message_updated':
    case 'message_deleted':
      return { message_id: event.data.id };
    case 'reaction_added':
    case 'reaction_removed':
      return { reaction_of: event.data.message_id };
    case 'participant_joined':
    case 'participant_left':
    case 'talk_created':
    case 'talk_updated':
    case 'talk_closed':
    case 'talk_reopened':
      return {};
  }
}

/** A new event's document: pending until applied and published (event-log.ts). */
export function eventDocOf(event: TalkChangeEvent): EventDoc {
  return {
    _id: event.id,
    talk_id: event.talk_id,
    seq: event.seq,
    type: event.type,
    tm_create: event.tm_create,
    data: event.data,
    ...messageFieldsOf(event),
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

/**
 * No event is larger than 256 KiB (the contract's Limits; `LIMITS.eventMaxBytes`), measured as
 * what is published and served: the event as JSON (`JSON.stringify`, as bus.ts sends it) in UTF-8.
 * The event log checks every event before it records any of a decision's (event-log.ts).
 *
 * Only message and reaction events grow with what clients send, and for them this is a refusal a
 * client can meet with valid requests, not a bug: each part of a message has its own cap, but the
 * caps add up to more than 256 KiB (text and medias up to about 64 KiB each, bounded by the
 * request body; 50 reactions listing 100 agents each, about 200 KiB: docs/security.md, "Bounded
 * events"). So a change that would make a message's event larger is refused with 409 CONFLICT
 * and records nothing. A talk or participant event is a few hundred bytes whatever a client sends,
 * so one over the limit can only come from a bug: an internal error (500), never recorded either.
 */
import { AppError } from '@talk/shared/errors';
import type { TalkChangeEvent } from '@talk/shared/events';
import { LIMITS } from '@talk/shared/schemas';
import { messageCarriedBy } from './event-docs';

/** The size of the event as it is published and served. */
export const eventBytes = (event: TalkChangeEvent): number => Buffer.byteLength(JSON.stringify(event), 'utf8');

/** Throws unless the event is at most `LIMITS.eventMaxBytes`; see above for which error. */
export function refuseOversizedEvent(event: TalkChangeEvent): void {
  const bytes = eventBytes(event);
  if (bytes <= LIMITS.eventMaxBytes) return;
  const message = messageCarriedBy(event);
  if (message === undefined) {
    throw new Error(`event ${event.id} (${event.type}) of talk ${event.talk_id} is ${bytes} bytes, more than the ${LIMITS.eventMaxBytes} an event may have`);
  }
  throw new AppError(
    'CONFLICT',
    `this change would make message ${message.id} ${bytes.toLocaleString('en-US')} bytes as an event (${event.type}), ` +
      `more than the ${LIMITS.eventMaxBytes.toLocaleString('en-US')} bytes (256 KiB) an event may have; nothing was changed. ` +
      'Make the message smaller first (a shorter text, or fewer reactions), or send a new message',
  );
}

import { AppError } from '@talk/shared/errors';
import type { TalkChangeEvent } from '@talk/shared/events';
import { newId } from '@talk/shared/ids';
import { LIMITS, type Message, type Talk } from '@talk/shared/schemas';
import { eventBytes, refuseOversizedEvent } from './event-size';

const at = '2025-01-01T00:00:00.000Z';
const talkId = newId();

function messageEvent(text: string): TalkChangeEvent {
  const message: Message = {
    id: newId(), talk_id: talkId, seq: 7, type: 'normal', agent_id: newId(), client_message_id: null, text, parent_id: null,
    medias: [], reactions: [], reply_count: 0, last_reply_at: null, edited: true, deleted: false, mention_ids: [], tm_create: at, tm_update: at,
  };
  return { id: newId(), type: 'message_updated', talk_id: talkId, seq: 9, tm_create: at, data: message };
}

/** A message event of exactly `bytes` bytes, padded with ASCII text. */
function messageEventOf(bytes: number): TalkChangeEvent {
  return messageEvent('x'.repeat(bytes - eventBytes(messageEvent(''))));
}

describe('the event size check', () => {
  it('measures the event as JSON in UTF-8: an escaped control character is 6 bytes, "€" 3, "😀" 4', () => {
    const base = eventBytes(messageEvent(''));
    expect(eventBytes(messageEvent('\u0001'))).toBe(base + 6);
    expect(eventBytes(messageEvent('"'))).toBe(base + 2);
    expect(eventBytes(messageEvent('€'))).toBe(base + 3);
    expect(eventBytes(messageEvent('😀'))).toBe(base + 4);
  });

  it(`lets an event of exactly ${LIMITS.eventMaxBytes} bytes through`, () => {
    const event = messageEventOf(LIMITS.eventMaxBytes);
    expect(eventBytes(event)).toBe(LIMITS.eventMaxBytes);
    expect(() => refuseOversizedEvent(event)).not.toThrow();
  });

  it('refuses a message event one byte larger as 409 CONFLICT, saying what to do', () => {
    const event = messageEventOf(LIMITS.eventMaxBytes + 1);
    let refusal: unknown;
    try {
      refuseOversizedEvent(event);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'CONFLICT' });
    expect((refusal as Error).message).toMatch(/262,145 bytes.*more than the 262,144 bytes \(256 KiB\).*nothing was changed.*smaller/);
  });

  it('throws an internal error, not a refusal, for a talk event that large: only a bug makes one', () => {
    const talk: Talk = {
      id: talkId, customer_id: newId(), type: 'group', name: 'n'.repeat(LIMITS.eventMaxBytes), status: 'active', creator_id: newId(),
      participant_count: 1, last_message_at: null, tm_create: at, tm_update: at, last_read_seq: null, unread_count: null, unread_mention_count: null,
    };
    const event: TalkChangeEvent = { id: newId(), type: 'talk_updated', talk_id: talkId, seq: 2, tm_create: at, data: talk };
    expect(() => refuseOversizedEvent(event)).toThrow(/more than the 262144 an event may have/);
    expect(() => refuseOversizedEvent(event)).not.toThrow(AppError);
  });
});

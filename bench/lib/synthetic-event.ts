/**
 * The event the fan-out benchmark sends: a valid `message_created` of a chat-sized message, as
 * JSON, with the time it was sent (process.hrtime, the machine's monotonic clock, the same in
 * every process) in its text so that a receiver can tell the latency.
 */
import type { TalkChangeEvent } from '@talk/shared/events';

const FILLER = 'Customer asks about the refund for order 4711; I have checked the payment and will reply within the hour.';
const AT = '2026-11-25T10:00:00.000Z';

export function syntheticEvent(talkId: string, authorId: string, seq: number, sentAtNs: bigint): string {
  const messageId = `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`;
  const event: TalkChangeEvent = {
    id: `00000000-0000-4000-9000-${seq.toString(16).padStart(12, '0')}`,
    type: 'message_created',
    talk_id: talkId,
    seq,
    tm_create: AT,
    data: {
      id: messageId,
      talk_id: talkId,
      seq,
      type: 'normal',
      agent_id: authorId,
      client_message_id: null,
      text: `${sentAtNs} ${FILLER}`,
      parent_id: null,
      medias: [],
      reactions: [],
      reply_count: 0,
      last_reply_at: null,
      edited: false,
      deleted: false,
      mention_ids: [],
      tm_create: AT,
      tm_update: AT,
    },
  };
  return JSON.stringify(event);
}

/** The send time a synthetic event carries, in nanoseconds; undefined for other texts. */
export function sentAtOf(text: string): bigint | undefined {
  const head = text.slice(0, text.indexOf(' '));
  return /^\d+$/.test(head) ? BigInt(head) : undefined;
}

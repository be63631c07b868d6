/**
 * The change stream of a talk (docs/websocket.md, Events). Every change is an event with a per-talk,
 * gap-free, strictly increasing `seq`. Events change additively: a consumer skips (and logs) a type
 * it does not know, so `parseEvent` reports unknown types instead of failing them.
 */
import { z } from 'zod';
import { Id, Message, Participant, Talk } from './schemas';

export const MessageEventType = z.enum(['message_created', 'message_updated', 'message_deleted']);
export const ReactionEventType = z.enum(['reaction_added', 'reaction_removed']);
export const ParticipantEventType = z.enum(['participant_joined', 'participant_left']);
export const TalkEventType = z.enum(['talk_created', 'talk_updated', 'talk_closed', 'talk_reopened']);

export const EVENT_TYPES = [
  ...MessageEventType.options,
  ...ReactionEventType.options,
  ...ParticipantEventType.options,
  ...TalkEventType.options,
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;
export type ParticipantEventType = z.infer<typeof ParticipantEventType>;

export const ParticipantChangeReason = z.enum(['added', 'joined', 'left', 'removed']);
export type ParticipantChangeReason = z.infer<typeof ParticipantChangeReason>;

export const ParticipantEventData = Participant.extend({ reason: ParticipantChangeReason });
export type ParticipantEventData = z.infer<typeof ParticipantEventData>;

export const ReactionEventData = z.object({
  message_id: Id,
  emoji: z.string(),
  agent_id: Id,
  message: Message,
});
export type ReactionEventData = z.infer<typeof ReactionEventData>;

const envelope = {
  id: Id,
  talk_id: Id,
  seq: z.number().int().positive(),
  tm_create: z.iso.datetime({ offset: false, precision: 3 }),
};

export const MessageEvent = z.object({ ...envelope, type: MessageEventType, data: Message });
export const ReactionEvent = z.object({ ...envelope, type: ReactionEventType, data: ReactionEventData });
export const ParticipantEvent = z.object({
  ...envelope,
  type: ParticipantEventType,
  data: ParticipantEventData,
});
export const TalkEvent = z.object({ ...envelope, type: TalkEventType, data: Talk });

export const TalkChangeEvent = z.discriminatedUnion('type', [
  MessageEvent,
  ReactionEvent,
  ParticipantEvent,
  TalkEvent,
]);
export type TalkChangeEvent = z.infer<typeof TalkChangeEvent>;
export type MessageEvent = z.infer<typeof MessageEvent>;
export type ParticipantEvent = z.infer<typeof ParticipantEvent>;

/** An event as it is about to be recorded: everything but the `seq` the event log assigns. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type UnsequencedEvent = DistributiveOmit<TalkChangeEvent, 'seq'>;

export type ParsedEvent =
  | { readonly kind: 'event'; readonly event: TalkChangeEvent }
  | { readonly kind: 'unknown_type'; readonly type: string }
  | { readonly kind: 'invalid'; readonly problem: string };

export function parseEvent(raw: unknown): ParsedEvent {
  const parsed = TalkChangeEvent.safeParse(raw);
  if (parsed.success) return { kind: 'event', event: parsed.data };
  const type = z.object({ type: z.string() }).safeParse(raw);
  if (type.success && !EventType.safeParse(type.data.type).success) {
    return { kind: 'unknown_type', type: type.data.type };
  }
  return { kind: 'invalid', problem: z.prettifyError(parsed.error) };
}

/** Like `parseEvent`, for a message body: text that is not JSON is `invalid`. */
export function parseEventJson(text: string): ParsedEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', problem: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return parseEvent(raw);
}

export function isParticipantEvent(event: TalkChangeEvent): event is ParticipantEvent {
  return event.type === 'participant_joined' || event.type === 'participant_left';
}

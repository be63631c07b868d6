/** The gateway's WebSocket frames (docs/websocket.md), as the client sends and reads them. */
import { z } from 'zod';
import { Presence } from '@talk/shared/schemas';

export type ClientFrame =
  | { readonly type: 'subscribe'; readonly talk_id: string; readonly after_seq?: number }
  | { readonly type: 'unsubscribe'; readonly talk_id: string }
  | { readonly type: 'ping' }
  | { readonly type: 'typing'; readonly talk_id: string }
  | { readonly type: 'presence_subscribe'; readonly agent_ids: readonly string[] }
  | { readonly type: 'presence_unsubscribe'; readonly agent_ids: readonly string[] };

export const ServerFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribed'), talk_id: z.string(), last_seq: z.number().int().nonnegative() }),
  z.object({ type: z.literal('event'), event: z.unknown() }),
  z.object({
    type: z.literal('error'),
    code: z.string(),
    message: z.string(),
    ref: z.object({ type: z.string().optional(), talk_id: z.string().optional() }).optional(),
  }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('typing'), talk_id: z.string(), agent_id: z.string() }),
  z.object({
    type: z.literal('read'),
    talk_id: z.string(),
    agent_id: z.string(),
    last_read_seq: z.number().int().nonnegative(),
    // Only on the frames of the agent's own moves.
    unread_count: z.number().int().nonnegative().optional(),
    unread_mention_count: z.number().int().nonnegative().optional(),
  }),
  Presence.extend({ type: z.literal('presence') }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** A read marker moved; not an event: no seq, not replayed (read-markers.ts). */
export type ReadFrame = Extract<ServerFrame, { type: 'read' }>;

/** Frames outside any talk's order (typing, presence): the socket hands them out as they come. */
export type EphemeralFrame = Extract<ServerFrame, { type: 'typing' | 'presence' }>;
/** Frames of the session's bookkeeping: subscriptions, events in seq order, errors. */
export type SessionFrame = Exclude<ServerFrame, EphemeralFrame>;

export const isEphemeral = (frame: ServerFrame): frame is EphemeralFrame => frame.type === 'typing' || frame.type === 'presence';

/** Undefined for a frame this client does not understand (a newer server's addition is skipped). */
export function parseServerFrame(text: string): ServerFrame | undefined {
  try {
    const parsed = ServerFrame.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The gateway's close codes a client acts on. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  badToken: 4001,
  tooSlow: 4008,
} as const;

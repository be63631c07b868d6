/**
 * WebSocket frames (docs/websocket.md). Client frames are parsed with zod; a frame that does
 * not parse becomes an `error` frame that echoes what it could of the offending frame.
 */
import { z } from 'zod';
import { AppError, type ErrorCode } from '@talk/shared/errors';
import { Id, PRESENCE_LIMITS, type PresenceStatus } from '@talk/shared/schemas';
import { textWireFrame, type WireFrame } from './wire-frame';

export const MAX_FRAME_BYTES = 64 * 1024;

/** The text of a received frame; binary frames are read as UTF-8 and then fail to parse as JSON. */
export function textOf(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

const PresenceAgentIds = z.array(Id).min(1).max(PRESENCE_LIMITS.subscribedPerConnection);

export const ClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), talk_id: Id, after_seq: z.number().int().nonnegative().optional() }),
  z.object({ type: z.literal('unsubscribe'), talk_id: Id }),
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('typing'), talk_id: Id }),
  z.object({ type: z.literal('presence_subscribe'), agent_ids: PresenceAgentIds }),
  z.object({ type: z.literal('presence_unsubscribe'), agent_ids: PresenceAgentIds }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** What an error frame echoes of the frame it answers. */
export interface FrameRef {
  readonly type?: string;
  readonly talk_id?: string;
}

export type ParsedFrame =
  | { readonly ok: true; readonly frame: ClientFrame }
  | { readonly ok: false; readonly error: AppError; readonly ref: FrameRef };

const Echo = z.object({ type: z.string().max(64).optional(), talk_id: z.string().max(64).optional() });

/** The `type` and `talk_id` a frame names, as far as it is JSON that has them. */
export function refOfText(text: string): FrameRef {
  try {
    return refOf(JSON.parse(text));
  } catch {
    return {};
  }
}

function refOf(raw: unknown): FrameRef {
  const echo = Echo.safeParse(raw);
  if (!echo.success) return {};
  return {
    ...(echo.data.type === undefined ? {} : { type: echo.data.type }),
    ...(echo.data.talk_id === undefined ? {} : { talk_id: echo.data.talk_id }),
  };
}

export function parseClientFrame(text: string): ParsedFrame {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: new AppError('INVALID_ARGUMENT', 'the frame is not JSON'), ref: {} };
  }
  const parsed = ClientFrame.safeParse(raw);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'frame'}: ${issue.message}`);
  return {
    ok: false,
    error: new AppError('INVALID_ARGUMENT', `invalid frame: ${problems.join('; ')}; expected subscribe, unsubscribe, ping, typing, presence_subscribe or presence_unsubscribe`),
    ref: refOf(raw),
  };
}

export const pongFrame = (): string => '{"type":"pong"}';

export const subscribedFrame = (talkId: string, lastSeq: number): string =>
  JSON.stringify({ type: 'subscribed', talk_id: talkId, last_seq: lastSeq });

export function errorFrame(code: ErrorCode, message: string, ref: FrameRef): string {
  return JSON.stringify({ type: 'error', code, message, ...(Object.keys(ref).length === 0 ? {} : { ref }) });
}

/** A presence frame, serialised and framed once for every follower of the agent. */
export const presenceFrame = (agentId: string, status: PresenceStatus, tmChange: string): WireFrame =>
  textWireFrame(JSON.stringify({ type: 'presence', agent_id: agentId, status, tm_change: tmChange }));

/**
 * Wraps an event that is already JSON as a whole WebSocket frame: fan-out serialises, encodes and
 * frames each event once per gateway, not once per connection (wire-frame.ts).
 */
export const eventFrame = (eventJson: string): WireFrame => textWireFrame(`{"type":"event","event":${eventJson}}`);

export const CLOSE_CODES = {
  badToken: 4001,
  tooSlow: 4008,
  goingAway: 1001,
  /** The client went on sending past its frame rate. */
  policyViolation: 1008,
  /** The gateway, or the agent, is at its connection limit: try again later, preferably elsewhere. */
  tryAgainLater: 1013,
} as const;

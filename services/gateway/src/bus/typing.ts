/**
 * Typing, between gateways (docs/websocket.md, Typing). A gateway publishes its agent's typing on
 * the talk's typing subject, at most once per agent and talk per window (typing-throttle.ts);
 * every gateway with subscribers of the talk receives it on the talk feed's typing subscription
 * and hands it to them, throttled again. Core NATS: nothing is stored, a lost one is lost.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { Id } from '@talk/shared/schemas';
import type { Subjects } from '@talk/shared/subjects';
import { textWireFrame, type WireFrame } from '../ws/wire-frame';
import { createTypingThrottle } from './typing-throttle';

/**
 * What a typing message on NATS carries: who, where, and when the typist's gateway let it pass
 * its throttle. Receivers throttle on that time, not on when it arrives, so that network jitter
 * never drops the typing of an agent on one gateway (its frames are 2 s apart when sent).
 */
export const TypingMessage = z.object({ talk_id: Id, agent_id: Id, at: z.number().int().nonnegative() });

export interface TypingItem {
  readonly talkId: string;
  readonly agentId: string;
  /** The `typing` frame, serialised, encoded and framed once for every connection (wire-frame.ts). */
  readonly frame: WireFrame;
}

export const typingItem = (talkId: string, agentId: string): TypingItem => ({
  talkId,
  agentId,
  frame: textWireFrame(JSON.stringify({ type: 'typing', talk_id: talkId, agent_id: agentId })),
});

export interface TypingPublisher {
  /** Tells the other gateways that `agentId` types in `talkId`, unless it did within the window. */
  publish(talkId: string, agentId: string): void;
}

export function createTypingPublisher(nc: NatsConnection, subjects: Subjects, now: () => number = Date.now): TypingPublisher {
  const throttle = createTypingThrottle();
  return {
    publish(talkId, agentId) {
      const at = now();
      if (!throttle.pass(talkId, agentId, at)) return;
      nc.publish(subjects.typing(talkId), JSON.stringify({ talk_id: talkId, agent_id: agentId, at }));
    },
  };
}

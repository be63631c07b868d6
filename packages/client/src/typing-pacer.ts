/**
 * Typing, as the reference client sends and hands it out. An application calls `typing(talkId)`
 * on every keystroke; the pacer lets one frame per talk through every `TYPING_EVERY_MS`. The
 * gateway forwards one per agent and talk per 2 s and readers show "typing" for 5 s after the
 * last: every 3 s keeps it shown without ever meeting the gateway's window.
 */
export const TYPING_EVERY_MS = 3_000;

/** Someone other than this agent types in a talk the socket is subscribed to; show it for 5 s. */
export interface Typing {
  readonly talkId: string;
  readonly agentId: string;
}

export interface TypingPacer {
  /** Whether a typing frame for `talkId` goes out at `nowMs`. */
  pass(talkId: string, nowMs: number): boolean;
}

export function createTypingPacer(everyMs = TYPING_EVERY_MS): TypingPacer {
  /** When a frame last went out, per talk; forgotten once its period has passed. */
  const sentAt = new Map<string, number>();
  return {
    pass(talkId, nowMs) {
      for (const [talk, at] of sentAt) if (nowMs - at >= everyMs) sentAt.delete(talk);
      if (sentAt.has(talkId)) return false;
      sentAt.set(talkId, nowMs);
      return true;
    },
  };
}

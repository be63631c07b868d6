/** An event to record at the end of a talk's log; the event log fills in the seq. */
import type { TalkChangeEvent } from '@talk/shared/events';

export interface EventDraft {
  readonly id: string;
  readonly talkId: string;
  /** Builds the event once its seq is known (a message carries its own seq). */
  readonly build: (seq: number) => TalkChangeEvent;
}

/** One event recorded now, or found recorded before under its id (a retried change). */
export type AppendResult =
  | { readonly kind: 'recorded'; readonly event: TalkChangeEvent }
  | { readonly kind: 'already_recorded'; readonly event: TalkChangeEvent };

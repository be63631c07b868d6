/**
 * What a change of a talk is decided as (event-log.ts `decide` runs it): a function of the talk's
 * state at a seq that refuses, decides nothing, or drafts the events to record right after it.
 */
import type { TalkChangeEvent } from '@talk/shared/events';
import type { Message } from '@talk/shared/schemas';
import type { EventDraft } from './event-draft';
import type { Reactors } from './reactors';
import type { TalkState } from './talk-state';

/** What a decision records, in order, and what it answers once they are recorded. */
export interface Decision<R> {
  readonly drafts: readonly EventDraft[];
  readonly answer: (outcome: DecisionOutcome) => R;
}

export interface DecisionOutcome {
  /** The talk's state with the decision's events in it. */
  readonly state: TalkState;
  /** The decision's events: recorded now, or found recorded before under the same ids (a retry). */
  readonly events: readonly TalkChangeEvent[];
}

/** What a decision may read besides the talk's state, as of that state. */
export interface DecisionReads {
  /**
   * The message as of the state, its reactions in their wire shape (the first agents of each);
   * null if the talk has none of that id.
   */
  message(messageId: string): Promise<Message | null>;
  /** The message's standing reactions as of the state, in full: every agent, however many (reactors.ts). */
  reactions(messageId: string): Promise<Reactors>;
}

/**
 * Decides a change against the talk's state. Refuses by throwing an `AppError`; decides "nothing
 * to do" with no drafts. Called again, with a newer state, when another writer got there first, so
 * it must say what the talk should become, not what to add (and read nothing it does not re-read).
 */
export type Decide<R> = (state: TalkState, reads: DecisionReads) => Decision<R> | Promise<Decision<R>>;

export interface Decided<R> {
  readonly answer: R;
  /** The events this call recorded, oldest first: the ones to project and publish. */
  readonly recorded: readonly TalkChangeEvent[];
}


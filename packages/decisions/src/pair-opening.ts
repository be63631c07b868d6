/**
 * A claim in a direct pair's log (packages/store/src/write-pipeline/pair-claims.ts) and the opening
 * it stands for: contract shapes, so that the decision on a pair is made on them alone.
 */
import type { Participant, Talk } from '@talk/shared/schemas';

/** The events that make a claim's talk the pair's active talk, once recorded in its log. */
export type PairOpening =
  /** A new direct talk: its `talk_created` and its two `participant_joined`. */
  | { readonly kind: 'create'; readonly talk: Talk; readonly members: readonly Participant[]; readonly eventIds: readonly string[] }
  /** A closed direct talk reopened: its `talk_reopened`. */
  | { readonly kind: 'reopen'; readonly eventId: string; readonly at: string };

export interface PairClaim {
  readonly pairKey: string;
  /** Position in the pair's log, from 1. */
  readonly n: number;
  readonly talkId: string;
  readonly opening: PairOpening;
}


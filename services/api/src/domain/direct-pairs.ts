/**
 * A pair of agents has at most one active direct talk (the REST contract (the OpenAPI document at /docs)). Which talk that is
 * is decided in the pair's own log of claims (packages/store/src/write-pipeline/pair-claims.ts): the pair's newest
 * claim names its talk, and the pair is that talk's while the talk is active. Opening a direct
 * talk, new or closed, is first a claim at the pair's next position, which one writer wins under
 * the log's unique `_id`; then the claim's opening is recorded in the talk's own log. A claimant
 * that dies between the two leaves a claim whose opening the next reader of the pair finishes
 * (talk-openings.ts), so the pair is never held by a talk that does not exist. Closing needs
 * nothing here: a closed talk holds its pair no longer.
 */
import { AppError } from '@talk/shared/errors';
import { newId } from '@talk/shared/ids';
import type { Talk } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import type { PairClaim } from '@talk/decisions/pair-opening';
import type { RecordingContext, TalkDeps } from './context';
import { decideOpening, type TalkCreation, type TalkReopening } from './talk-openings';

const MAX_CLAIM_ATTEMPTS = 16;

/** Who the pair is: the talk it is held by, or the position its next claim goes to. */
type PairHolder = { readonly kind: 'held'; readonly talk: Talk } | { readonly kind: 'free'; readonly next: number };

export interface OpenedDirectTalk {
  readonly talk: Talk;
  /** False when the pair's active talk was another one, which is the answer then. */
  readonly created: boolean;
}

export function createDirectPairs(deps: TalkDeps) {
  const { pairClaims, recorder, clock } = deps;

  /** Records what the claim's opening still lacks in its talk's log; the talk as it then is. */
  async function finishOpening(claim: PairClaim, ctx: RecordingContext): Promise<Talk> {
    const { answer } = await recorder.decide(claim.talkId, decideOpening(claim.opening), ctx.log, ctx.requestId);
    return answer;
  }

  async function holderOf(pairKey: string, ctx: RecordingContext): Promise<PairHolder> {
    const claim = await pairClaims.newest(pairKey);
    if (claim === null) return { kind: 'free', next: 1 };
    const talk = await finishOpening(claim, ctx);
    return talk.status === 'active' ? { kind: 'held', talk } : { kind: 'free', next: claim.n + 1 };
  }

  /** Claims the pair for `talkId` with `opening` unless it is held: the holding talk, or the claim recorded. */
  async function claimUnlessHeld(pairKey: string, talkId: string, opening: PairClaim['opening'], ctx: RecordingContext): Promise<Talk | PairClaim> {
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt += 1) {
      const holder = await holderOf(pairKey, ctx);
      if (holder.kind === 'held') return holder.talk;
      const claim: PairClaim = { pairKey, n: holder.next, talkId, opening };
      if (await pairClaims.record(claim)) return claim;
      // Another writer claimed that position: its claim is the newest now, decide on it.
    }
    throw new AppError('UNAVAILABLE', 'the direct talk of these two agents is changing too often right now; try again');
  }

  return {
    /** The pair's active direct talk, created from `creation` when there is none. */
    async openNew(ctx: RecordingContext, pairKey: string, creation: TalkCreation): Promise<OpenedDirectTalk> {
      const claimed = await claimUnlessHeld(pairKey, creation.talk.id, { kind: 'create', ...creation }, ctx);
      if (!('opening' in claimed)) return { talk: claimed, created: false };
      return { talk: await finishOpening(claimed, ctx), created: true };
    },

    /**
     * Claims the pair for reopening the closed direct talk: the reopening to record, or null when
     * the talk is the pair's active talk already. CONFLICT while another direct talk holds the pair.
     */
    async claimForReopening(ctx: RecordingContext, pairKey: string, talkId: string): Promise<TalkReopening | null> {
      const at = toTimestamp(clock());
      const claimed = await claimUnlessHeld(pairKey, talkId, { kind: 'reopen', eventId: newId(), at }, ctx);
      if ('opening' in claimed) return claimed.opening.kind === 'reopen' ? claimed.opening : null;
      if (claimed.id === talkId) return null;
      throw new AppError('CONFLICT', 'another direct talk between these two agents is active; use that one');
    },
  };
}

export type DirectPairs = ReturnType<typeof createDirectPairs>;

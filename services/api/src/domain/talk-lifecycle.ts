/**
 * Renaming, closing and reopening talks (the REST contract (the OpenAPI document at /docs)). Each is decided on the talk's
 * state at the end of its log (event-log.ts `decide`), so a rename that meets a close carries the
 * status the close left, and never undoes it.
 */
import { AppError } from '@talk/shared/errors';
import { newId } from '@talk/shared/ids';
import type { Talk } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import { participantDraft, talkDraft } from '@talk/decisions/drafts';
import type { Decision } from '@talk/decisions/decision';
import type { EventDraft } from '@talk/decisions/event-draft';
import type { RequestContext, TalkDeps } from './context';
import { createDirectPairs } from './direct-pairs';
import { createReadState } from './read-state';
import { directPairKey } from './pair-key';
import { reopeningDrafts, talkAfter, type TalkReopening } from './talk-openings';
import { memberIn, readerIn, writerIn } from './talk-rules';

const MAX_REOPEN_ATTEMPTS = 4;

/** A direct talk that was active when its reopening was read was closed before it was decided. */
class ClosedMeanwhile extends Error {
  override readonly name = 'ClosedMeanwhile';
}

export function createTalkLifecycle(deps: TalkDeps) {
  const { events, recorder, clock } = deps;
  const directPairs = createDirectPairs(deps);
  const readState = createReadState(deps);

  /**
   * A closed direct talk may be reopened only while no other direct talk of its pair is active:
   * the pair is claimed first (direct-pairs.ts). Null for any other talk, or one that is active.
   */
  async function claimedReopening(ctx: RequestContext, talkId: string): Promise<TalkReopening | null> {
    const state = await events.state(talkId);
    const { talk } = readerIn(state, ctx.caller);
    if (talk.type !== 'direct' || talk.status !== 'closed') return null;
    const [a, b] = [...state.members.keys()];
    if (a === undefined || b === undefined) throw new Error(`direct talk ${talkId} has fewer than two members`);
    return directPairs.claimForReopening(ctx, directPairKey(talk.customer_id, a, b), talkId);
  }

  return {
    async rename(ctx: RequestContext, talkId: string, name: string): Promise<Talk> {
      const { answer, recorded } = await recorder.decide(
        talkId,
        (state): Decision<Talk> => {
          const { talk } = writerIn(state, ctx.caller);
          if (talk.name === name) return { drafts: [], answer: talkAfter };
          const now = clock();
          return { drafts: [talkDraft('talk_updated', { ...talk, name, tm_update: toTimestamp(now) }, now)], answer: talkAfter };
        },
        ctx.log,
        ctx.requestId,
      );
      if (recorded.length > 0) ctx.log.info({ talkId }, 'talk renamed');
      return readState.talkForCaller(ctx.caller, answer);
    },

    async close(ctx: RequestContext, talkId: string): Promise<Talk> {
      const { answer, recorded } = await recorder.decide(
        talkId,
        (state): Decision<Talk> => {
          const { talk } = memberIn(state, ctx.caller);
          if (talk.status === 'closed') return { drafts: [], answer: talkAfter };
          const now = clock();
          return { drafts: [talkDraft('talk_closed', { ...talk, status: 'closed', tm_update: toTimestamp(now) }, now)], answer: talkAfter };
        },
        ctx.log,
        ctx.requestId,
      );
      if (recorded.length > 0) ctx.log.info({ talkId }, 'talk closed');
      return readState.talkForCaller(ctx.caller, answer);
    },

    /** Any agent who ever took part may reopen; one who had left joins again. */
    async reopen(ctx: RequestContext, talkId: string): Promise<Talk> {
      for (let attempt = 1; ; attempt += 1) {
        const claimed = await claimedReopening(ctx, talkId);
        const reopening = claimed ?? { eventId: newId(), at: toTimestamp(clock()) };
        try {
          const { answer, recorded } = await recorder.decide(
            talkId,
            (state): Decision<Talk> => {
              const { talk, member } = readerIn(state, ctx.caller);
              // Closed since it was read as active: a direct talk reopens only under a claim.
              if (talk.type === 'direct' && talk.status === 'closed' && claimed === null) throw new ClosedMeanwhile();
              const now = clock();
              const drafts: EventDraft[] = reopeningDrafts(state, reopening);
              if (member.status === 'left') {
                const rejoined = { ...member, status: 'active' as const, tm_joined: toTimestamp(now), tm_left: null };
                drafts.push(participantDraft('participant_joined', rejoined, 'joined', now));
              }
              return { drafts, answer: talkAfter };
            },
            ctx.log,
            ctx.requestId,
          );
          if (recorded.some((event) => event.type === 'talk_reopened')) ctx.log.info({ talkId }, 'talk reopened');
          return await readState.talkForCaller(ctx.caller, answer);
        } catch (error) {
          if (!(error instanceof ClosedMeanwhile)) throw error;
          if (attempt >= MAX_REOPEN_ATTEMPTS) throw new AppError('UNAVAILABLE', `talk ${talkId} is being closed and reopened too often right now; try again`);
        }
      }
    },
  };
}

export type TalkLifecycle = ReturnType<typeof createTalkLifecycle>;

/**
 * Renaming, closing and reopening talks (CONTRACT.md section 4). Each is decided on the talk's
 * state at the end of its log (event-log.ts `decide`), so a rename that meets a close carries the
 * status the close left, and never undoes it.
 */
import { AppError } from '@talk/shared/errors';
import type { Talk } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import { participantDraft, talkDraft } from '@talk/store/drafts';
import type { Decision } from '@talk/store/decision';
import type { EventDraft } from '@talk/store/event-log';
import type { TalkState } from '@talk/store/talk-state';
import type { RequestContext, TalkDeps } from './context';
import { directPairKey, ownPairKey } from './pair-key';
import { memberIn, readerIn, writerIn } from './talk-rules';

/** The talk as the state has it after the decision: what every lifecycle call answers. */
const talkAfter = ({ state }: { readonly state: TalkState }): Talk => {
  if (state.talk === null) throw new Error(`talk ${state.talkId} has no talk_created`);
  return state.talk;
};

export function createTalkLifecycle(deps: TalkDeps) {
  const { store, recorder, clock } = deps;

  /** A direct talk may be active only while no other direct talk of the same pair is. */
  async function claimDirectPair(talk: Talk, state: TalkState): Promise<void> {
    if (talk.type !== 'direct') return;
    const [a, b] = [...state.members.keys()];
    if (a === undefined || b === undefined) return;
    if (!(await store.talks.setPairKey(talk.id, directPairKey(talk.customer_id, a, b)))) {
      throw new AppError('CONFLICT', 'another direct talk between these two agents is active; use that one');
    }
  }

  /** Frees a closed direct talk's pair for a new direct talk. */
  async function releaseDirectPair(talk: Talk): Promise<void> {
    if (talk.type === 'direct') await store.talks.setPairKey(talk.id, ownPairKey({ _id: talk.id, status: 'closed' }));
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
      return answer;
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
      if (recorded.length > 0) {
        await releaseDirectPair(answer);
        ctx.log.info({ talkId }, 'talk closed');
      }
      return answer;
    },

    /** Any agent who ever took part may reopen; one who had left joins again. */
    async reopen(ctx: RequestContext, talkId: string): Promise<Talk> {
      const { answer, recorded } = await recorder.decide(
        talkId,
        async (state): Promise<Decision<Talk>> => {
          const { talk, member } = readerIn(state, ctx.caller);
          const now = clock();
          const drafts: EventDraft[] = [];
          if (talk.status === 'closed') {
            await claimDirectPair(talk, state);
            drafts.push(talkDraft('talk_reopened', { ...talk, status: 'active', tm_update: toTimestamp(now) }, now));
          }
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
      return answer;
    },
  };
}

export type TalkLifecycle = ReturnType<typeof createTalkLifecycle>;

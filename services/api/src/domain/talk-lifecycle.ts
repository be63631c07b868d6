/** Renaming, closing and reopening talks (CONTRACT.md section 4). */
import { AppError } from '@talk/shared/errors';
import type { Talk } from '@talk/shared/schemas';
import type { TalkDoc } from '@talk/store/documents';
import { participantDraft, talkDraft } from '@talk/store/drafts';
import { toParticipant, toTalk } from '@talk/store/wire';
import { requireMember, requireReader, requireWritableTalk } from './access';
import type { RecordingContext, RequestContext, TalkDeps } from './context';
import { directPairKey, ownPairKey } from './pair-key';

/** Records that a talk closed, and frees a direct talk's pair for a new direct talk. */
export async function recordTalkClosed(deps: TalkDeps, ctx: RecordingContext, talk: TalkDoc, wire: Talk, at: Date): Promise<void> {
  await deps.recorder.record(talkDraft('talk_closed', wire, at), ctx.log, ctx.requestId);
  if (talk.type === 'direct') await deps.store.talks.setPairKey(talk._id, ownPairKey({ _id: talk._id, status: 'closed' }));
}

export function createTalkLifecycle(deps: TalkDeps) {
  const { store, recorder, clock } = deps;

  async function render(talk: TalkDoc): Promise<Talk> {
    const counts = await store.talks.countActiveParticipants([talk._id]);
    return toTalk(talk, counts.get(talk._id) ?? 0);
  }

  /** A direct talk may be active only while no other direct talk of the same pair is. */
  async function claimDirectPair(talk: TalkDoc): Promise<void> {
    if (talk.type !== 'direct') return;
    const agents = (await store.talks.listParticipants(talk._id)).map((p) => p.agent_id);
    const [a, b] = agents;
    if (a === undefined || b === undefined) return;
    if (!(await store.talks.setPairKey(talk._id, directPairKey(talk.customer_id, a, b)))) {
      throw new AppError('CONFLICT', 'another direct talk between these two agents is active; use that one');
    }
  }

  return {
    async rename(ctx: RequestContext, talkId: string, name: string): Promise<Talk> {
      const { talk } = await requireWritableTalk(deps, ctx.caller, talkId);
      if (talk.name === name) return render(talk);
      const now = clock();
      const renamed = await render({ ...talk, name, tm_update: now });
      await recorder.record(talkDraft('talk_updated', renamed, now), ctx.log, ctx.requestId);
      ctx.log.info({ talkId }, 'talk renamed');
      return renamed;
    },

    async close(ctx: RequestContext, talkId: string): Promise<Talk> {
      const { talk } = await requireMember(deps, ctx.caller, talkId);
      if (talk.status === 'closed') return render(talk);
      const now = clock();
      const wire = await render({ ...talk, status: 'closed', tm_update: now });
      await recordTalkClosed(deps, ctx, talk, wire, now);
      ctx.log.info({ talkId }, 'talk closed');
      return wire;
    },

    /** Any agent who ever took part may reopen; one who had left joins again. */
    async reopen(ctx: RequestContext, talkId: string): Promise<Talk> {
      const { talk, participant } = await requireReader(deps, ctx.caller, talkId);
      const now = clock();
      let current = talk;
      if (talk.status === 'closed') {
        await claimDirectPair(talk);
        current = { ...talk, status: 'active', tm_update: now };
        await recorder.record(talkDraft('talk_reopened', await render(current), now), ctx.log, ctx.requestId);
        ctx.log.info({ talkId }, 'talk reopened');
      }
      if (participant.status === 'left') {
        const rejoined = { ...toParticipant(participant), status: 'active' as const, tm_joined: now.toISOString(), tm_left: null };
        await recorder.record(participantDraft('participant_joined', rejoined, 'joined', now), ctx.log, ctx.requestId);
      }
      return render(current);
    },
  };
}

export type TalkLifecycle = ReturnType<typeof createTalkLifecycle>;

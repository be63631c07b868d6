/** Listing, adding and removing participants (CONTRACT.md section 4). */
import { AppError, notFound } from '@talk/shared/errors';
import { newId } from '@talk/shared/ids';
import { LIMITS, type Participant, type ParticipantStatus } from '@talk/shared/schemas';
import type { ParticipantDoc, TalkDoc } from '@talk/store/documents';
import { participantDraft } from '@talk/store/drafts';
import { toParticipant, toTalk } from '@talk/store/wire';
import { requireMember, requireReader, requireWritableTalk } from './access';
import type { RecordingContext, RequestContext, TalkDeps } from './context';
import { recordTalkClosed } from './talk-lifecycle';

export type AddedParticipant = { readonly participant: Participant; readonly created: boolean };

/**
 * Records that a participant left or was removed; when it was the last active one, the talk
 * closes. Used by leaving, removing and deactivating an agent.
 */
export async function recordLeave(
  deps: TalkDeps,
  ctx: RecordingContext,
  talk: TalkDoc,
  participant: ParticipantDoc,
  reason: 'left' | 'removed',
): Promise<Participant> {
  const now = deps.clock();
  const left: Participant = { ...toParticipant(participant), status: 'left', tm_left: now.toISOString() };
  await deps.recorder.record(participantDraft('participant_left', left, reason, now), ctx.log, ctx.requestId);
  ctx.log.info({ talkId: talk._id, agentId: participant.agent_id, reason }, 'participant left');
  const remaining = (await deps.store.talks.countActiveParticipants([talk._id])).get(talk._id) ?? 0;
  if (remaining === 0 && talk.status === 'active') {
    await recordTalkClosed(deps, ctx, talk, toTalk({ ...talk, status: 'closed', tm_update: now }, 0), now);
    ctx.log.info({ talkId: talk._id }, 'talk closed: its last participant left');
  }
  return left;
}

export function createParticipants(deps: TalkDeps) {
  const { store, recorder, clock } = deps;

  async function activate(ctx: RequestContext, participant: ParticipantDoc): Promise<Participant> {
    const now = clock();
    const active: ParticipantDoc = { ...participant, status: 'active', tm_joined: now, tm_left: null, left_at_seq: null };
    await store.talks.saveParticipant(active);
    const wire = toParticipant(active);
    await recorder.record(participantDraft('participant_joined', wire, 'added', now), ctx.log, ctx.requestId);
    return wire;
  }

  return {
    async list(ctx: RequestContext, talkId: string, status: ParticipantStatus | undefined): Promise<Participant[]> {
      await requireReader(deps, ctx.caller, talkId);
      return (await store.talks.listParticipants(talkId, status)).map(toParticipant);
    },

    async add(ctx: RequestContext, talkId: string, agentId: string): Promise<AddedParticipant> {
      const { talk } = await requireWritableTalk(deps, ctx.caller, talkId);
      if (talk.type !== 'group') {
        throw new AppError('CONFLICT', 'a direct talk has exactly two participants; create a group talk to add more agents');
      }
      const agent = await store.identity.findAgent(ctx.caller.customerId, agentId);
      if (agent === null || agent.status !== 'active') throw notFound(`agent ${agentId}`);

      const existing = await store.talks.findParticipant(talkId, agentId);
      if (existing?.status === 'active') return { participant: toParticipant(existing), created: false };
      const counts = await store.talks.countActiveParticipants([talkId]);
      if ((counts.get(talkId) ?? 0) >= LIMITS.participantsMax) {
        throw new AppError('INVALID_ARGUMENT', `a talk has at most ${LIMITS.participantsMax} active participants`);
      }
      if (existing !== null) return { participant: await activate(ctx, existing), created: true };

      const now = clock();
      const participant: ParticipantDoc = {
        _id: newId(),
        talk_id: talkId,
        agent_id: agentId,
        customer_id: ctx.caller.customerId,
        status: 'active',
        tm_joined: now,
        tm_left: null,
        left_at_seq: null,
      };
      if (!(await store.talks.insertParticipant(participant))) {
        // Added concurrently by another request: that one recorded the join.
        const winner = await store.talks.findParticipant(talkId, agentId);
        if (winner === null) throw new AppError('CONFLICT', 'the participant changed while it was being added; try again');
        return { participant: toParticipant(winner), created: false };
      }
      const wire = toParticipant(participant);
      await recorder.record(participantDraft('participant_joined', wire, 'added', now), ctx.log, ctx.requestId);
      ctx.log.info({ talkId, agentId }, 'participant added');
      return { participant: wire, created: true };
    },

    async remove(ctx: RequestContext, talkId: string, participantId: string): Promise<Participant> {
      const { talk } = await requireMember(deps, ctx.caller, talkId);
      const target = await store.talks.findParticipantById(talkId, participantId);
      if (target === null) throw notFound(`participant ${participantId}`);
      if (target.status === 'left') return toParticipant(target);

      const reason = target.agent_id === ctx.caller.agentId ? 'left' : 'removed';
      return recordLeave(deps, ctx, talk, target, reason);
    },
  };
}

export type Participants = ReturnType<typeof createParticipants>;

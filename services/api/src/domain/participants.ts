/**
 * Listing, adding and removing participants (the REST contract (the OpenAPI document at /docs)). Every change is decided on the
 * talk's state at the end of its log (event-log.ts `decide`): an add that meets a close, two adds
 * at the participant limit, the last two participants leaving together are each recorded as some
 * serial order would have them.
 */
import { AppError, notFound } from '@talk/shared/errors';
import { newId } from '@talk/shared/ids';
import { LIMITS, type Participant, type ParticipantStatus } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import { participantDraft, talkDraft } from '@talk/decisions/drafts';
import type { Decision } from '@talk/decisions/decision';
import type { EventDraft } from '@talk/decisions/event-draft';
import { activeMembers, type TalkState } from '@talk/decisions/talk-state';
import { requireReader } from './access';
import type { RecordingContext, RequestContext, TalkDeps } from './context';
import { createReadState } from './read-state';
import { memberIn, writerIn } from './talk-rules';

export type AddedParticipant = { readonly participant: Participant; readonly created: boolean };

/**
 * What a talk should record so that `agentId` has left it: its `participant_left` unless it left
 * already, then the talk's `talk_closed` when nobody active remains. Said as the end state, so
 * that a decision made again after a lost race records only what is still missing.
 */
function leaveDrafts(state: TalkState, agentId: string, reason: 'left' | 'removed', at: Date): { drafts: EventDraft[]; left: Participant } {
  const member = state.members.get(agentId);
  const { talk } = state;
  if (member === undefined || talk === null) throw new Error(`agent ${agentId} never took part in talk ${state.talkId}`);
  const drafts: EventDraft[] = [];
  const left: Participant = member.status === 'left' ? member : { ...member, status: 'left', tm_left: toTimestamp(at) };
  if (member.status === 'active') drafts.push(participantDraft('participant_left', left, reason, at));
  const othersActive = activeMembers(state).some((other) => other.agent_id !== agentId);
  if (!othersActive && talk.status === 'active') {
    drafts.push(talkDraft('talk_closed', { ...talk, status: 'closed', participant_count: 0, tm_update: toTimestamp(at) }, at));
  }
  return { drafts, left };
}

/**
 * Records that a participant left or was removed; when it was the last active one, the talk
 * closes. Used by leaving, removing and deactivating an agent.
 */
export async function recordLeave(
  deps: TalkDeps,
  ctx: RecordingContext,
  talkId: string,
  agentId: string,
  reason: 'left' | 'removed',
  decideFirst: (state: TalkState) => void = () => undefined,
): Promise<Participant> {
  const { answer, recorded } = await deps.recorder.decide(
    talkId,
    (state): Decision<Participant> => {
      decideFirst(state);
      const { drafts, left } = leaveDrafts(state, agentId, reason, deps.clock());
      return { drafts, answer: () => left };
    },
    ctx.log,
    ctx.requestId,
  );
  for (const event of recorded) {
    if (event.type === 'participant_left') ctx.log.info({ talkId, agentId, reason }, 'participant left');
    if (event.type === 'talk_closed') ctx.log.info({ talkId }, 'talk closed: its last participant left');
  }
  return answer;
}

export function createParticipants(deps: TalkDeps) {
  const { talks, agents, recorder, clock } = deps;
  const readState = createReadState(deps);

  /** The participant as recorded, with its read marker as it stands. */
  async function withMarker(talkId: string, participant: Participant): Promise<Participant> {
    const membership = await talks.findMembership(talkId, participant.agent_id);
    if (membership === null) return participant;
    const [marked] = await readState.withMarkers(talkId, [{ ...membership, participant }]);
    return marked ?? participant;
  }

  return {
    /** With each one's read marker: read receipts. */
    async list(ctx: RequestContext, talkId: string, status: ParticipantStatus | undefined): Promise<Participant[]> {
      await requireReader(deps, ctx.caller, talkId);
      return readState.withMarkers(talkId, await talks.listParticipants(talkId, status));
    },

    async add(ctx: RequestContext, talkId: string, agentId: string): Promise<AddedParticipant> {
      const agent = await agents.findAgent(ctx.caller.customerId, agentId);
      const { answer, recorded } = await recorder.decide(
        talkId,
        (state): Decision<AddedParticipant> => {
          const { talk } = writerIn(state, ctx.caller);
          if (talk.type !== 'group') {
            throw new AppError('CONFLICT', 'a direct talk has exactly two participants; create a group talk to add more agents');
          }
          if (agent === null || agent.status !== 'active') throw notFound(`agent ${agentId}`);
          const existing = state.members.get(agentId);
          if (existing?.status === 'active') return { drafts: [], answer: () => ({ participant: existing, created: false }) };
          if (activeMembers(state).length >= LIMITS.participantsMax) {
            throw new AppError('INVALID_ARGUMENT', `a talk has at most ${LIMITS.participantsMax} active participants`);
          }
          const now = clock();
          // A left participant comes back with its same id.
          const participant: Participant = {
            id: existing?.id ?? newId(),
            talk_id: talkId,
            agent_id: agentId,
            status: 'active',
            tm_joined: toTimestamp(now),
            tm_left: null,
            last_read_seq: null,
          };
          return { drafts: [participantDraft('participant_joined', participant, 'added', now)], answer: () => ({ participant, created: true }) };
        },
        ctx.log,
        ctx.requestId,
      );
      if (recorded.length > 0) ctx.log.info({ talkId, agentId }, 'participant added');
      return { participant: await withMarker(talkId, answer.participant), created: answer.created };
    },

    async remove(ctx: RequestContext, talkId: string, participantId: string): Promise<Participant> {
      const target = await talks.findParticipantById(talkId, participantId);
      if (target === null) throw notFound(`participant ${participantId}`);
      const reason = target.agent_id === ctx.caller.agentId ? 'left' : 'removed';
      const left = await recordLeave(deps, ctx, talkId, target.agent_id, reason, (state) => {
        memberIn(state, ctx.caller);
      });
      return withMarker(talkId, left);
    },
  };
}

export type Participants = ReturnType<typeof createParticipants>;

/**
 * Who may do what in a talk, decided on the talk's state at a position of its log (talk-state.ts),
 * never on a projection that may be behind it. Anything a caller may not see is NOT_FOUND, exactly
 * like an id that does not exist, so ids of other customers' talks leak nothing.
 */
import { AppError, notFound } from '@talk/shared/errors';
import type { Participant, Talk } from '@talk/shared/schemas';
import type { TalkState } from '@talk/decisions/talk-state';
import type { Caller } from './caller';

export interface Participation {
  readonly talk: Talk;
  readonly member: Participant;
}

/** The caller is, or was, a participant: it may read (a left participant up to when it left). */
export function readerIn(state: TalkState, caller: Caller, hidden: string = `talk ${state.talkId}`): Participation {
  const { talk } = state;
  const member = state.members.get(caller.agentId);
  if (talk === null || talk.customer_id !== caller.customerId || member === undefined) throw notFound(hidden);
  return { talk, member };
}

/** The caller is an active participant of the talk. */
export function memberIn(state: TalkState, caller: Caller, hidden?: string): Participation {
  const participation = readerIn(state, caller, hidden);
  if (participation.member.status !== 'active') throw notFound(hidden ?? `talk ${state.talkId}`);
  return participation;
}

/** The caller is an active participant of an active talk: it may write into it. */
export function writerIn(state: TalkState, caller: Caller, hidden?: string): Participation {
  const participation = memberIn(state, caller, hidden);
  if (participation.talk.status !== 'active') {
    throw new AppError('TALK_CLOSED', `talk ${state.talkId} is closed; reopen it before writing into it`);
  }
  return participation;
}

/** Every agent a message mentions must be an active participant of its talk as of `state`. */
export function requireMentionable(state: TalkState, mentionIds: readonly string[]): void {
  const outsiders = mentionIds.filter((agentId) => state.members.get(agentId)?.status !== 'active');
  if (outsiders.length === 0) return;
  throw new AppError('INVALID_ARGUMENT', `mention_ids names agent(s) who are not active participants of this talk: ${outsiders.join(', ')}`, {
    fields: outsiders.map((agentId) => ({ field: 'mention_ids', problem: `agent ${agentId} is not an active participant of this talk` })),
  });
}

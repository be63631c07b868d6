/**
 * The events that open a talk: its creation (`talk_created`, then one `participant_joined` per
 * participant) and a direct talk's reopening (`talk_reopened`). Each is decided as what the talk's
 * log still lacks of it, under event ids fixed before the first attempt, so that any writer may
 * finish an opening another began (direct-pairs.ts) and none is recorded twice: a second insert
 * of an id meets the log's unique `_id`.
 */
import { newId } from '@talk/shared/ids';
import type { Participant, Talk } from '@talk/shared/schemas';
import type { Decide } from '@talk/decisions/decision';
import { participantDraft, talkDraft } from '@talk/decisions/drafts';
import type { EventDraft } from '@talk/decisions/event-draft';
import type { PairOpening } from '@talk/decisions/pair-opening';
import type { TalkState } from '@talk/decisions/talk-state';

export type TalkCreation = Omit<Extract<PairOpening, { kind: 'create' }>, 'kind'>;
export type TalkReopening = Omit<Extract<PairOpening, { kind: 'reopen' }>, 'kind'>;

/** The talk as the state has it after a decision: what every opening answers. */
export const talkAfter = ({ state }: { readonly state: TalkState }): Talk => {
  if (state.talk === null) throw new Error(`talk ${state.talkId} has no talk_created`);
  return state.talk;
};

/** A creation of `talk` with `members` (the creator first), its event ids chosen now. */
export function talkCreation(talk: Talk, members: readonly Participant[]): TalkCreation {
  return { talk, members, eventIds: [newId(), ...members.map(() => newId())] };
}

function eventIdAt(creation: TalkCreation, index: number): string {
  const id = creation.eventIds[index];
  if (id === undefined) throw new Error(`the creation of talk ${creation.talk.id} has no event id at ${index}`);
  return id;
}

/** What the talk's log lacks of its creation: nothing once the talk and all its first members are in it. */
export function creationDrafts(state: TalkState, creation: TalkCreation): EventDraft[] {
  const at = new Date(creation.talk.tm_create);
  const drafts: EventDraft[] = [];
  if (state.talk === null) drafts.push(talkDraft('talk_created', creation.talk, at, eventIdAt(creation, 0)));
  creation.members.forEach((member, index) => {
    if (state.members.has(member.agent_id)) return;
    const reason = member.agent_id === creation.talk.creator_id ? 'joined' : 'added';
    drafts.push(participantDraft('participant_joined', member, reason, at, eventIdAt(creation, index + 1)));
  });
  return drafts;
}

/** A closed talk's `talk_reopened` under the reopening's event id; nothing for an active talk. */
export function reopeningDrafts(state: TalkState, reopening: TalkReopening): EventDraft[] {
  const { talk } = state;
  if (talk === null) throw new Error(`talk ${state.talkId} is reopened before it was created`);
  if (talk.status === 'active') return [];
  return [talkDraft('talk_reopened', { ...talk, status: 'active', tm_update: reopening.at }, new Date(reopening.at), reopening.eventId)];
}

/** Decides what an opening still lacks; answers the talk as it then is. */
export const decideOpening =
  (opening: PairOpening): Decide<Talk> =>
  (state) => ({
    drafts: opening.kind === 'create' ? creationDrafts(state, opening) : reopeningDrafts(state, opening),
    answer: talkAfter,
  });

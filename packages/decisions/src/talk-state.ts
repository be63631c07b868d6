/**
 * What a decision about a talk needs to know, as of one position in its log: the talk, and every
 * agent that ever took part in it. Pure: it is folded from the log's events, which each carry the
 * absolute state of their subject (the talk, a participant), so the state after an event is the
 * state before it with that subject replaced.
 *
 * A decision made against the state at `seq` is recorded at exactly `seq + 1`, under the log's
 * unique (talk_id, seq) index: when another writer got there first, the decision is made again
 * against the state that includes the winner (talk-log.ts). That is what keeps one talk in one
 * order, across any number of processes, on MongoDB and on FerretDB v1 alike.
 */
import type { TalkChangeEvent } from '@talk/shared/events';
import type { Participant, Talk } from '@talk/shared/schemas';

export interface TalkState {
  readonly talkId: string;
  /** The newest seq this state includes; 0 for a talk whose log is empty (it does not exist). */
  readonly seq: number;
  /** Null until the talk's `talk_created` is recorded. */
  readonly talk: Talk | null;
  /** Everyone who ever took part, by agent id, as the newest participant event left them. */
  readonly members: ReadonlyMap<string, Participant>;
  /**
   * Where in the log each member's newest participation starts and ends, by agent id: the seqs of
   * its newest `participant_joined` and of the `participant_left` after it. Read state starts at
   * the join; one who left reads up to its leave. Members missing here joined before a snapshot
   * that did not keep these (the participant projection says the same).
   */
  readonly memberSeqs: ReadonlyMap<string, MemberSeqs>;
}

export interface MemberSeqs {
  readonly joined: number;
  readonly left: number | null;
}

export const emptyTalkState = (talkId: string): TalkState => ({ talkId, seq: 0, talk: null, members: new Map(), memberSeqs: new Map() });

export function activeMembers(state: TalkState): Participant[] {
  return [...state.members.values()].filter((member) => member.status === 'active');
}

/** The talk as the state knows it, its participant count derived from the members. */
function withCount(talk: Talk, members: ReadonlyMap<string, Participant>): Talk {
  let active = 0;
  for (const member of members.values()) if (member.status === 'active') active += 1;
  return { ...talk, participant_count: active };
}

/** The state after `event`, which must be the event right after the state. */
export function foldEvent(state: TalkState, event: TalkChangeEvent): TalkState {
  if (event.talk_id !== state.talkId || event.seq !== state.seq + 1) {
    throw new Error(`event ${event.talk_id}#${event.seq} does not follow ${state.talkId}#${state.seq}`);
  }
  const next = { ...state, seq: event.seq };
  switch (event.type) {
    case 'talk_created':
    case 'talk_updated':
    case 'talk_closed':
    case 'talk_reopened':
      return { ...next, talk: withCount(event.data, state.members) };
    case 'participant_joined':
    case 'participant_left': {
      const { reason: _reason, ...participant } = event.data;
      const members = new Map(state.members).set(participant.agent_id, participant);
      const talk = state.talk === null ? null : withCount({ ...state.talk, tm_update: event.tm_create }, members);
      const joined = event.type === 'participant_joined' ? event.seq : state.memberSeqs.get(participant.agent_id)?.joined;
      const memberSeqs =
        joined === undefined
          ? state.memberSeqs
          : new Map(state.memberSeqs).set(participant.agent_id, { joined, left: event.type === 'participant_left' ? event.seq : null });
      return { ...next, members, talk, memberSeqs };
    }
    case 'message_created': {
      // A top-level message moves the talk's activity; a reply does not (projector.ts agrees).
      if (state.talk === null || event.data.parent_id !== null) return next;
      return { ...next, talk: { ...state.talk, tm_update: event.tm_create, last_message_at: event.data.tm_create } };
    }
    case 'message_updated':
    case 'message_deleted':
    case 'reaction_added':
    case 'reaction_removed':
      return next;
  }
}

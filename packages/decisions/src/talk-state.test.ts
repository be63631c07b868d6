import type { TalkChangeEvent } from '@talk/shared/events';
import type { Participant, Talk } from '@talk/shared/schemas';
import { activeMembers, emptyTalkState, foldEvent } from './talk-state';

const TALK = '00000000-0000-4000-8000-000000000001';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const at = (second: number): string => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;

const talk = (status: Talk['status'], second: number): Talk => ({
  id: TALK,
  customer_id: '00000000-0000-4000-8000-0000000000c0',
  type: 'group',
  name: 'Q1',
  status,
  creator_id: A,
  participant_count: 99, // what the event says is not trusted: the state counts its members
  last_message_at: null,
  tm_create: at(0),
  tm_update: at(second),
  last_read_seq: null,
  unread_count: null,
  unread_mention_count: null,
});

const member = (agentId: string, status: Participant['status'], second: number): Participant => ({
  id: `${agentId.slice(0, -2)}ff`,
  talk_id: TALK,
  agent_id: agentId,
  status,
  tm_joined: at(second),
  tm_left: status === 'left' ? at(second) : null,
  last_read_seq: null,
});

let seq = 0;
const event = (make: (seq: number) => TalkChangeEvent): TalkChangeEvent => make((seq += 1));
const talkEvent = (type: 'talk_created' | 'talk_closed', data: Talk) =>
  event((s) => ({ id: `e${s}`, type, talk_id: TALK, seq: s, tm_create: data.tm_update, data }));
const participantEvent = (type: 'participant_joined' | 'participant_left', data: Participant) =>
  event((s) => ({ id: `e${s}`, type, talk_id: TALK, seq: s, tm_create: data.tm_joined, data: { ...data, reason: type === 'participant_joined' ? 'added' : 'left' } }));

describe('foldEvent', () => {
  beforeEach(() => {
    seq = 0;
  });

  it('follows a talk through its events: its status, its members, and their count', () => {
    const events = [
      talkEvent('talk_created', talk('active', 1)),
      participantEvent('participant_joined', member(A, 'active', 1)),
      participantEvent('participant_joined', member(B, 'active', 2)),
      participantEvent('participant_left', member(B, 'left', 3)),
      talkEvent('talk_closed', talk('closed', 4)),
    ];
    const state = events.reduce(foldEvent, emptyTalkState(TALK));
    expect(state.seq).toBe(5);
    expect(state.talk).toMatchObject({ status: 'closed', participant_count: 1 });
    expect(activeMembers(state).map((m) => m.agent_id)).toEqual([A]);
    expect(state.members.get(B)).toMatchObject({ status: 'left', tm_left: at(3) });
  });

  it("keeps where each member's newest participation starts and ends: a rejoin starts a new one", () => {
    const events = [
      talkEvent('talk_created', talk('active', 1)),
      participantEvent('participant_joined', member(A, 'active', 1)),
      participantEvent('participant_joined', member(B, 'active', 2)),
      participantEvent('participant_left', member(B, 'left', 3)),
    ];
    const left = events.reduce(foldEvent, emptyTalkState(TALK));
    expect(left.memberSeqs.get(A)).toEqual({ joined: 2, left: null });
    expect(left.memberSeqs.get(B)).toEqual({ joined: 3, left: 4 });
    const back = foldEvent(left, participantEvent('participant_joined', member(B, 'active', 5)));
    expect(back.memberSeqs.get(B)).toEqual({ joined: 5, left: null });
  });

  it('refuses an event that does not come right after the state', () => {
    const created = talkEvent('talk_created', talk('active', 1));
    const state = foldEvent(emptyTalkState(TALK), created);
    expect(() => foldEvent(state, created)).toThrow(/does not follow/);
    seq = 5;
    expect(() => foldEvent(state, talkEvent('talk_closed', talk('closed', 2)))).toThrow(/does not follow/);
  });

  it('does not change the state it was given', () => {
    const empty = emptyTalkState(TALK);
    foldEvent(empty, talkEvent('talk_created', talk('active', 1)));
    expect(empty).toEqual(emptyTalkState(TALK));
  });
});

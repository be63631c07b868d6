import type { ParticipantChangeReason, TalkChangeEvent } from '@talk/shared/events';
import { createSession } from './session';

const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const TALK = '33333333-3333-4333-8333-333333333333';
const ELSEWHERE = '44444444-4444-4444-8444-444444444444';
const TIME = '2026-11-25T10:00:00.000Z';

const idFor = (seq: number): string => `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;

function renamed(seq: number, talkId = TALK): TalkChangeEvent {
  return {
    id: idFor(seq),
    type: 'talk_updated',
    talk_id: talkId,
    seq,
    tm_create: TIME,
    data: {
      id: talkId,
      customer_id: OTHER,
      type: 'group',
      name: `name ${seq}`,
      status: 'active',
      creator_id: OTHER,
      participant_count: 2,
      last_message_at: null,
      tm_create: TIME,
      tm_update: TIME,
      last_read_seq: null,
      unread_count: null,
      unread_mention_count: null,
    },
  };
}

function membership(seq: number, agentId: string, change: 'participant_joined' | 'participant_left', reason: ParticipantChangeReason): TalkChangeEvent {
  return {
    id: idFor(seq),
    type: change,
    talk_id: TALK,
    seq,
    tm_create: TIME,
    data: {
      id: idFor(1000 + seq),
      talk_id: TALK,
      agent_id: agentId,
      status: change === 'participant_joined' ? 'active' : 'left',
      tm_joined: TIME,
      tm_left: change === 'participant_joined' ? null : TIME,
      last_read_seq: null,
      reason,
    },
  };
}

const frameOf = (event: TalkChangeEvent) => ({ type: 'event' as const, event });
const seqs = (events: readonly TalkChangeEvent[]): number[] => events.map((event) => event.seq);

describe('createSession', () => {
  it('subscribes when connected and resubscribes after what it delivered on every reconnect', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    expect(session.subscribe(TALK, 0)).toEqual([]);
    expect(session.connected()).toEqual([{ type: 'subscribe', talk_id: TALK, after_seq: 0 }]);
    session.handle({ type: 'subscribed', talk_id: TALK, last_seq: 2 });
    expect(session.settled()).toBe(true);
    expect(seqs(session.handle(frameOf(renamed(1))).events)).toEqual([1]);
    expect(seqs(session.handle(frameOf(renamed(2))).events)).toEqual([2]);

    session.disconnected();
    expect(session.settled()).toBe(false);
    expect(session.connected()).toEqual([{ type: 'subscribe', talk_id: TALK, after_seq: 2 }]);
    expect(session.settled()).toBe(false);
  });

  it('drops events it has delivered already and counts them', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.subscribe(TALK, 0);
    session.connected();
    session.handle(frameOf(renamed(1)));
    expect(session.handle(frameOf(renamed(1))).events).toEqual([]);
    expect(session.stats().duplicatesDropped).toBe(1);
  });

  it('starts from the last seq of a subscription made without after_seq', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.connected();
    expect(session.subscribe(TALK)).toEqual([{ type: 'subscribe', talk_id: TALK }]);
    session.handle({ type: 'subscribed', talk_id: TALK, last_seq: 7 });
    expect(session.lastSeq(TALK)).toBe(7);
    expect(seqs(session.handle(frameOf(renamed(8))).events)).toEqual([8]);
  });

  it('repairs a gap by resubscribing once after the last delivered seq', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.subscribe(TALK, 0);
    session.connected();
    session.handle(frameOf(renamed(1)));
    expect(session.handle(frameOf(renamed(3))).send).toEqual([
      { type: 'unsubscribe', talk_id: TALK },
      { type: 'subscribe', talk_id: TALK, after_seq: 1 },
    ]);
    expect(session.handle(frameOf(renamed(4))).send).toEqual([]);
    expect(seqs(session.handle(frameOf(renamed(2))).events)).toEqual([2, 3, 4]);
    expect(session.stats().gapsRepaired).toBe(1);
  });

  it('follows a talk the agent is added to, from the seq of its own participant_joined', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.connected();
    const effects = session.handle(frameOf(membership(5, ME, 'participant_joined', 'added')));
    expect(seqs(effects.events)).toEqual([5]);
    expect(effects.send).toEqual([{ type: 'subscribe', talk_id: TALK, after_seq: 5 }]);
    expect(session.handle(frameOf(membership(5, ME, 'participant_joined', 'added'))).events).toEqual([]);
  });

  it('ignores membership notices of other agents and, without following, only reports its own', () => {
    const session = createSession({ agentId: ME, followMembership: false });
    session.connected();
    expect(session.handle(frameOf(membership(5, OTHER, 'participant_joined', 'added'))).events).toEqual([]);
    const own = session.handle(frameOf(membership(6, ME, 'participant_joined', 'added')));
    expect(seqs(own.events)).toEqual([6]);
    expect(own.send).toEqual([]);
  });

  it('ends the subscription with the agent’s own participant_left and does not resubscribe', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.subscribe(TALK, 0);
    session.connected();
    session.handle(frameOf(renamed(1)));
    expect(seqs(session.handle(frameOf(membership(2, ME, 'participant_left', 'left'))).events)).toEqual([2]);
    session.disconnected();
    expect(session.connected()).toEqual([]);
    expect(session.handle(frameOf(membership(2, ME, 'participant_left', 'left'))).events).toEqual([]);
  });

  it('asks for a catch-up from history when a resubscription is refused with NOT_FOUND', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.subscribe(TALK, 0);
    session.connected();
    session.handle(frameOf(renamed(1)));
    session.disconnected();
    session.connected();
    const effects = session.handle({ type: 'error', code: 'NOT_FOUND', message: 'talk was not found', ref: { type: 'subscribe', talk_id: TALK } });
    expect(effects.catchUp).toEqual([{ talkId: TALK, afterSeq: 1 }]);
    expect(effects.errors).toEqual([{ code: 'NOT_FOUND', message: 'talk was not found', talkId: TALK }]);
    const history = [renamed(1), renamed(2), membership(3, ME, 'participant_left', 'removed')];
    expect(seqs(session.finishCatchUp(TALK, history))).toEqual([2, 3]);
    expect(session.subscribedTalks()).toEqual([]);
  });

  it.each(['UNAVAILABLE', 'RATE_LIMITED'] as const)('retries a subscription the gateway refused for the moment (%s)', (code) => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.subscribe(TALK, 4);
    session.connected();
    const effects = session.handle({ type: 'error', code, message: 'try again', ref: { type: 'subscribe', talk_id: TALK } });
    expect(effects.retry).toEqual([TALK]);
    expect(session.resubscribe(TALK)).toEqual([{ type: 'subscribe', talk_id: TALK, after_seq: 4 }]);
  });

  it('moves past events of a type it does not know', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.subscribe(TALK, 0);
    session.connected();
    const unknown = { ...renamed(1), type: 'talk_archived' };
    expect(session.handle({ type: 'event', event: unknown })).toMatchObject({ events: [], errors: [] });
    expect(seqs(session.handle(frameOf(renamed(2))).events)).toEqual([2]);
  });

  it('hands out read frames: others’ in subscribed talks, its own anywhere, each marker only forward', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.subscribe(TALK, 0);
    session.connected();
    const read = (agentId: string, lastReadSeq: number, talkId = TALK) => session.handle({ type: 'read', talk_id: talkId, agent_id: agentId, last_read_seq: lastReadSeq }).reads;
    expect(read(OTHER, 4)).toEqual([{ talkId: TALK, agentId: OTHER, lastReadSeq: 4 }]);
    expect(read(OTHER, 3)).toEqual([]);
    expect(read(OTHER, 4, ELSEWHERE)).toEqual([]);
    const own = session.handle({ type: 'read', talk_id: ELSEWHERE, agent_id: ME, last_read_seq: 9, unread_count: 1, unread_mention_count: 0 });
    expect(own.reads).toEqual([{ talkId: ELSEWHERE, agentId: ME, lastReadSeq: 9, unread: { count: 1, mentionCount: 0 } }]);
    expect(session.rememberedMarkers()).toBe(2);
    session.unsubscribe(TALK);
    expect(session.rememberedMarkers()).toBe(1);
  });

  it('forgets the markers of a talk once the agent’s own participant_left is delivered', () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.subscribe(TALK, 0);
    session.connected();
    session.handle({ type: 'read', talk_id: TALK, agent_id: OTHER, last_read_seq: 1 });
    session.handle({ type: 'read', talk_id: TALK, agent_id: ME, last_read_seq: 1, unread_count: 0, unread_mention_count: 0 });
    session.handle(frameOf(membership(1, ME, 'participant_left', 'removed')));
    expect(session.rememberedMarkers()).toBe(0);
  });
});

describe('createSession, after a reconnect, with the agent’s talks listed', () => {
  const reconnected = () => {
    const session = createSession({ agentId: ME, followMembership: true });
    session.connected();
    session.disconnected();
    session.connected();
    return session;
  };

  it('subscribes to a talk it was added to while away from one before its marker, which starts at its join', () => {
    const session = reconnected();
    expect(session.discovered([{ id: TALK, last_read_seq: 5 }])).toEqual([{ type: 'subscribe', talk_id: TALK, after_seq: 4 }]);
    session.handle({ type: 'subscribed', talk_id: TALK, last_seq: 8 });
    const replay = [membership(5, ME, 'participant_joined', 'added'), renamed(6), renamed(7), renamed(8)];
    expect(replay.flatMap((event) => seqs(session.handle(frameOf(event)).events))).toEqual([5, 6, 7, 8]);
    expect(seqs(session.handle(frameOf(membership(5, ME, 'participant_joined', 'added'))).events)).toEqual([]);
  });

  it('never subscribes twice: not to a talk subscribed to, nor to one listed again', () => {
    const session = reconnected();
    session.subscribe(ELSEWHERE, 3);
    expect(session.discovered([{ id: TALK, last_read_seq: 5 }, { id: ELSEWHERE, last_read_seq: 2 }])).toEqual([
      { type: 'subscribe', talk_id: TALK, after_seq: 4 },
    ]);
    expect(session.discovered([{ id: TALK, last_read_seq: 5 }])).toEqual([]);
  });

  it('does not subscribe again to a talk the application unsubscribed from', () => {
    const session = reconnected();
    session.subscribe(TALK, 3);
    session.unsubscribe(TALK);
    expect(session.discovered([{ id: TALK, last_read_seq: 5 }])).toEqual([]);
    session.subscribe(TALK, 3);
    session.unsubscribe(TALK);
    // Gone from a listing, it is forgotten: a talk listed again later is the agent's again.
    expect(session.discovered([])).toEqual([]);
    expect(session.discovered([{ id: TALK, last_read_seq: 5 }])).toHaveLength(1);
  });

  it('lets a listed talk the agent left go quietly, and tries it again only once its marker moved past the leave', () => {
    const session = reconnected();
    session.discovered([{ id: TALK, last_read_seq: 5 }]);
    const refused = session.handle({ type: 'error', code: 'NOT_FOUND', message: 'talk was not found', ref: { type: 'subscribe', talk_id: TALK } });
    expect(refused).toMatchObject({ errors: [], catchUp: [] });
    expect(session.subscribedTalks()).toEqual([]);
    expect(session.discovered([{ id: TALK, last_read_seq: 5 }])).toEqual([]);
    // Added again: the marker starts at the new join.
    expect(session.discovered([{ id: TALK, last_read_seq: 12 }])).toEqual([{ type: 'subscribe', talk_id: TALK, after_seq: 11 }]);
  });

  it('does not subscribe again to a talk whose participant_left it delivered', () => {
    const session = reconnected();
    session.subscribe(TALK, 0);
    session.handle(frameOf(renamed(1)));
    session.handle(frameOf(membership(2, ME, 'participant_left', 'left')));
    expect(session.discovered([{ id: TALK, last_read_seq: 2 }])).toEqual([]);
  });

  it('does not subscribe to a talk it is catching up on, nor again once that catch-up delivered the leave', () => {
    const session = reconnected();
    session.subscribe(TALK, 0);
    session.handle(frameOf(renamed(1)));
    session.handle({ type: 'error', code: 'NOT_FOUND', message: 'talk was not found', ref: { type: 'subscribe', talk_id: TALK } });
    expect(session.discovered([{ id: TALK, last_read_seq: 1 }])).toEqual([]);
    session.finishCatchUp(TALK, [renamed(2), membership(3, ME, 'participant_left', 'removed')]);
    expect(session.discovered([{ id: TALK, last_read_seq: 3 }])).toEqual([]);
  });

  it('keeps a refusal of a subscription it has confirmed a catch-up, as before', () => {
    const session = reconnected();
    session.discovered([{ id: TALK, last_read_seq: 5 }]);
    session.handle({ type: 'subscribed', talk_id: TALK, last_seq: 5 });
    session.handle(frameOf(membership(5, ME, 'participant_joined', 'added')));
    session.disconnected();
    session.connected();
    const refused = session.handle({ type: 'error', code: 'NOT_FOUND', message: 'talk was not found', ref: { type: 'subscribe', talk_id: TALK } });
    expect(refused.catchUp).toEqual([{ talkId: TALK, afterSeq: 5 }]);
  });
});

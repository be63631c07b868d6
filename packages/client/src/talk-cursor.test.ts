import type { TalkChangeEvent } from '@talk/shared/events';
import { createTalkCursor, type CursorVerdict } from './talk-cursor';

const TALK_ID = '0b6f4a52-5f0e-4c5e-9d7c-3a1c2f7e9a01';

function eventAt(seq: number): TalkChangeEvent {
  const time = '2026-11-25T10:00:00.000Z';
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    type: 'talk_updated',
    talk_id: TALK_ID,
    seq,
    tm_create: time,
    data: {
      id: TALK_ID,
      customer_id: TALK_ID,
      type: 'group',
      name: `name ${seq}`,
      status: 'active',
      creator_id: TALK_ID,
      participant_count: 1,
      last_message_at: null,
      tm_create: time,
      tm_update: time,
      last_read_seq: null,
      unread_count: null,
      unread_mention_count: null,
    },
  };
}

const seqsOf = (verdict: CursorVerdict<TalkChangeEvent>): number[] => (verdict.kind === 'deliver' ? verdict.events.map((e) => e.seq) : []);

describe('createTalkCursor', () => {
  it('releases contiguous events and drops repeats', () => {
    const cursor = createTalkCursor<TalkChangeEvent>(0);
    expect(seqsOf(cursor.accept(eventAt(1)))).toEqual([1]);
    expect(cursor.accept(eventAt(1))).toEqual({ kind: 'duplicate' });
    expect(seqsOf(cursor.accept(eventAt(2)))).toEqual([2]);
    expect(cursor.lastSeq()).toBe(2);
  });

  it('holds events past a gap and releases them in order once it is filled', () => {
    const cursor = createTalkCursor<TalkChangeEvent>(3);
    expect(cursor.accept(eventAt(6))).toEqual({ kind: 'gap', lastSeq: 3 });
    expect(cursor.accept(eventAt(5))).toEqual({ kind: 'gap', lastSeq: 3 });
    expect(cursor.accept(eventAt(5))).toEqual({ kind: 'duplicate' });
    expect(seqsOf(cursor.accept(eventAt(4)))).toEqual([4, 5, 6]);
    // The resubscription's replay sends them again.
    expect(cursor.accept(eventAt(5))).toEqual({ kind: 'duplicate' });
    expect(cursor.lastSeq()).toBe(6);
  });

  it('takes the first position it learns and keeps a known one', () => {
    const fresh = createTalkCursor<TalkChangeEvent>();
    fresh.startAt(10);
    fresh.startAt(2);
    expect(fresh.lastSeq()).toBe(10);
    expect(seqsOf(fresh.accept(eventAt(11)))).toEqual([11]);

    const resumed = createTalkCursor<TalkChangeEvent>(4);
    resumed.startAt(9);
    expect(resumed.lastSeq()).toBe(4);
  });

  it('starts from the first event when nothing is known yet', () => {
    const cursor = createTalkCursor<TalkChangeEvent>();
    expect(seqsOf(cursor.accept(eventAt(7)))).toEqual([7]);
    expect(cursor.accept(eventAt(7))).toEqual({ kind: 'duplicate' });
  });
});

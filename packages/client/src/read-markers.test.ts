import { parseServerFrame, type ReadFrame } from './frames';
import { createReadMarkers } from './read-markers';

const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const TALK = '33333333-3333-4333-8333-333333333333';
const ELSEWHERE = '44444444-4444-4444-8444-444444444444';

const shared = (lastReadSeq: number, agentId = OTHER, talkId = TALK): ReadFrame => ({
  type: 'read',
  talk_id: talkId,
  agent_id: agentId,
  last_read_seq: lastReadSeq,
});
const own = (lastReadSeq: number, unread: number, mentions: number, talkId = TALK): ReadFrame => ({
  ...shared(lastReadSeq, ME, talkId),
  unread_count: unread,
  unread_mention_count: mentions,
});

describe('read frames', () => {
  it('parse with the counts on the agent’s own frames and without them on others’', () => {
    const text = JSON.stringify({ type: 'read', talk_id: TALK, agent_id: ME, last_read_seq: 7, unread_count: 2, unread_mention_count: 1 });
    expect(parseServerFrame(text)).toEqual(own(7, 2, 1));
    expect(parseServerFrame(JSON.stringify(shared(7)))).toEqual(shared(7));
  });

  it('are not read frames without a marker or with a negative one', () => {
    expect(parseServerFrame(JSON.stringify({ type: 'read', talk_id: TALK, agent_id: ME }))).toBeUndefined();
    expect(parseServerFrame(JSON.stringify(shared(-1)))).toBeUndefined();
  });
});

describe('createReadMarkers', () => {
  it('hands out each higher marker and drops one that arrives after a higher one', () => {
    const markers = createReadMarkers(ME);
    expect(markers.accept(shared(5), true)).toEqual({ talkId: TALK, agentId: OTHER, lastReadSeq: 5 });
    expect(markers.accept(shared(9), true)).toEqual({ talkId: TALK, agentId: OTHER, lastReadSeq: 9 });
    expect(markers.accept(shared(7), true)).toBeUndefined();
    expect(markers.accept(shared(9), true)).toBeUndefined();
    expect(markers.accept(shared(10), true)).toMatchObject({ lastReadSeq: 10 });
  });

  it('keeps the highest per talk and agent', () => {
    const markers = createReadMarkers(ME);
    markers.accept(shared(9), true);
    expect(markers.accept(shared(3, ME), true)).toMatchObject({ agentId: ME, lastReadSeq: 3 });
    expect(markers.accept(shared(3, OTHER, ELSEWHERE), true)).toMatchObject({ talkId: ELSEWHERE, lastReadSeq: 3 });
  });

  it('gives the agent’s own moves their counts, also in talks not subscribed to', () => {
    const markers = createReadMarkers(ME);
    expect(markers.accept(own(4, 2, 1), false)).toEqual({ talkId: TALK, agentId: ME, lastReadSeq: 4, unread: { count: 2, mentionCount: 1 } });
    expect(markers.accept(own(3, 5, 1), false)).toBeUndefined();
  });

  it('drops others’ markers of a talk not subscribed to, and remembers none of them', () => {
    const markers = createReadMarkers(ME);
    expect(markers.accept(shared(5), false)).toBeUndefined();
    expect(markers.size()).toBe(0);
  });

  it('forgets others’ markers of an unsubscribed talk and keeps the agent’s own', () => {
    const markers = createReadMarkers(ME);
    markers.accept(shared(9), true);
    markers.accept(own(8, 0, 0), true);
    markers.forgetTalk(TALK);
    expect(markers.size()).toBe(1);
    expect(markers.accept(own(6, 1, 0), false)).toBeUndefined();
    // Subscribed again, another's marker starts over.
    expect(markers.accept(shared(2), true)).toMatchObject({ lastReadSeq: 2 });
  });

  it('forgets the marker of an agent that left', () => {
    const markers = createReadMarkers(ME);
    markers.accept(shared(9), true);
    markers.forgetAgent(TALK, OTHER);
    expect(markers.size()).toBe(0);
    expect(markers.accept(shared(12), true)).toMatchObject({ lastReadSeq: 12 });
  });
});

import { createTalkDiscovery, discoveryAfterSeq } from './talk-discovery';

const TALK = '33333333-3333-4333-8333-333333333333';
const nothingFollowed = (): boolean => false;

describe('createTalkDiscovery', () => {
  it('subscribes from one before the marker, never below 0, and skips a talk without one', () => {
    expect(discoveryAfterSeq(7)).toBe(6);
    expect(discoveryAfterSeq(0)).toBe(0);
    expect(createTalkDiscovery().found([{ id: TALK, last_read_seq: null }], nothingFollowed)).toEqual([]);
  });

  it('skips a followed talk', () => {
    expect(createTalkDiscovery().found([{ id: TALK, last_read_seq: 3 }], () => true)).toEqual([]);
  });

  it('remembers a leave until the listing shows a marker past it, or no longer shows the talk', () => {
    const discovery = createTalkDiscovery();
    discovery.left(TALK, 9);
    expect(discovery.found([{ id: TALK, last_read_seq: 9 }], nothingFollowed)).toEqual([]);
    expect(discovery.found([{ id: TALK, last_read_seq: 10 }], nothingFollowed)).toEqual([{ talkId: TALK, afterSeq: 9, marker: 10 }]);
    discovery.left(TALK, 12);
    expect(discovery.found([], nothingFollowed)).toEqual([]);
    expect(discovery.found([{ id: TALK, last_read_seq: 4 }], nothingFollowed)).toHaveLength(1);
  });
});

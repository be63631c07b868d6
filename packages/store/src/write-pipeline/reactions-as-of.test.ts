import type { ReactionDoc } from '../documents';
import { reactorsAsOf } from './reactions-as-of';

const row = (agentId: string, emoji: string, versionSeq: number, removed = false): ReactionDoc => ({
  _id: `${agentId}:${emoji}`, message_id: 'm', talk_id: 't', agent_id: agentId, emoji, removed, reacted_seq: versionSeq, version_seq: versionSeq, tm_create: new Date(0),
});

describe('reactions as of a state', () => {
  it('takes, for each reaction, the newer of its row and its pending events', () => {
    const rows = [row('a', 'eyes', 3), row('b', 'eyes', 5, true), row('c', 'eyes', 6)];
    const pending = [
      { seq: 3, removed: false, emoji: 'eyes', agentId: 'a' }, // applied already: the row shows it
      { seq: 7, removed: false, emoji: 'eyes', agentId: 'b' }, // not applied yet: b reacted again
      { seq: 8, removed: true, emoji: 'eyes', agentId: 'c' },
      { seq: 9, removed: false, emoji: 'tada', agentId: 'a' },
    ];
    expect(reactorsAsOf(9, rows, pending)).toEqual([
      { emoji: 'eyes', agentId: 'a', seq: 3 },
      { emoji: 'eyes', agentId: 'b', seq: 7 },
      { emoji: 'tada', agentId: 'a', seq: 9 },
    ]);
  });

  it('does not let an event applied late undo a newer one', () => {
    // The row was taken back at 6; the add at 4 is still pending (its writer is slow to note it).
    expect(reactorsAsOf(6, [row('a', 'eyes', 6, true)], [{ seq: 4, removed: false, emoji: 'eyes', agentId: 'a' }])).toEqual([]);
  });

  it('says the state is behind when a row or a pending event is newer than it', () => {
    expect(reactorsAsOf(5, [row('a', 'eyes', 6)], [])).toBeNull();
    expect(reactorsAsOf(5, [], [{ seq: 6, removed: false, emoji: 'eyes', agentId: 'a' }])).toBeNull();
  });
});

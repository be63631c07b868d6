import { Id } from './schemas';
import { idFromKey, newId } from './ids';

describe('ids', () => {
  it('derives the same valid UUID from the same key, and another from another key', () => {
    const first = idFromKey('message', 'talk-1', 'agent-1', 'client-7');
    expect(idFromKey('message', 'talk-1', 'agent-1', 'client-7')).toBe(first);
    expect(idFromKey('message', 'talk-1', 'agent-1', 'client-8')).not.toBe(first);
    expect(idFromKey('message', 'talk-1agent-1', 'client-7')).not.toBe(first);
    expect(Id.safeParse(first).success).toBe(true);
    expect(first[14]).toBe('8');
  });

  it('makes random v4 UUIDs', () => {
    expect(Id.safeParse(newId()).success).toBe(true);
    expect(newId()).not.toBe(newId());
  });
});

import { createLocalRecords, type RecordChange } from './shared-records';

const decode = (stored: unknown): number | null => (typeof stored === 'number' ? stored : null);
const increment = (current: number | null): RecordChange<number, number> => ({ write: { put: (current ?? 0) + 1 }, answer: (current ?? 0) + 1 });

describe('local records', () => {
  it('forgets a record not written for the TTL', async () => {
    let now = 0;
    const records = createLocalRecords({ ttlMs: 1_000, maxRecords: 10, now: () => now });
    expect(await records.change('a', decode, increment)).toBe(1);
    now = 999;
    expect(await records.change('a', decode, increment)).toBe(2);
    now = 1_999;
    expect(await records.change('a', decode, increment)).toBe(1);
  });

  it('keeps at most maxRecords, forgetting the least recently written', async () => {
    const records = createLocalRecords({ ttlMs: 60_000, maxRecords: 3, now: () => 0 });
    for (const key of ['a', 'b', 'c']) await records.change(key, decode, increment);
    await records.change('a', decode, increment); // a is now the most recent
    await records.change('d', decode, increment); // b goes
    expect(await records.change('b', decode, increment)).toBe(1);
    expect(await records.change('a', decode, (current) => ({ write: 'keep', answer: current }))).toBe(2);
  });

  it('removes a record, and keeps one unchanged', async () => {
    const records = createLocalRecords({ ttlMs: 60_000, maxRecords: 3 });
    await records.change('a', decode, increment);
    await records.change('a', decode, () => ({ write: 'keep', answer: undefined }));
    expect(await records.change('a', decode, increment)).toBe(2);
    await records.change('a', decode, () => ({ write: 'remove', answer: undefined }));
    expect(await records.change('a', decode, increment)).toBe(1);
  });
});

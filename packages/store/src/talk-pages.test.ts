import type { TalkDoc } from './documents';
import { pageOfTalks } from './talk-pages';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

function talk(id: string, updatedAt: number, status: TalkDoc['status'] = 'active'): TalkDoc {
  return {
    _id: id,
    customer_id: 'c',
    type: 'group',
    name: id,
    status,
    creator_id: 'a',
    last_message_at: null,
    tm_create: at(0),
    tm_update: at(updatedAt),
  };
}

const ids = (talks: readonly TalkDoc[]): string[] => talks.map((t) => t._id);

describe('pageOfTalks', () => {
  const talks = [talk('b', 5), talk('a', 9), talk('d', 5), talk('c', 5, 'closed'), talk('e', 1)];

  it('orders by newest activity, then by id, and keeps `limit` talks', () => {
    expect(ids(pageOfTalks(talks, { limit: 4 }))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('starts after the cursor, also inside a run of talks with the same time', () => {
    expect(ids(pageOfTalks(talks, { after: { tmUpdate: at(5), id: 'b' }, limit: 10 }))).toEqual(['c', 'd', 'e']);
  });

  it('walks every talk exactly once, page by page', () => {
    const seen: string[] = [];
    let after: { tmUpdate: Date; id: string } | undefined;
    for (;;) {
      const page = pageOfTalks(talks, { limit: 2, ...(after === undefined ? {} : { after }) });
      if (page.length === 0) break;
      seen.push(...ids(page));
      const last = page[page.length - 1];
      if (last === undefined) break;
      after = { tmUpdate: last.tm_update, id: last._id };
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps only talks of the status asked for', () => {
    expect(ids(pageOfTalks(talks, { status: 'closed', limit: 10 }))).toEqual(['c']);
  });
});

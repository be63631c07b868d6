import type { Message } from '@talk/shared/schemas';
import { countChanges, countOf, nextMarker, NOTHING_UNREAD, type MessageChange } from './unread';

const ME = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const AT = '2026-12-02T00:00:00.000Z';

function message(seq: number, fields: Partial<Message> = {}): Message {
  return {
    id: `00000000-0000-4000-9000-${String(seq).padStart(12, '0')}`,
    talk_id: '00000000-0000-4000-a000-000000000001',
    seq,
    type: 'normal',
    agent_id: OTHER,
    client_message_id: null,
    text: 'hello',
    parent_id: null,
    medias: [],
    reactions: [],
    reply_count: 0,
    last_reply_at: null,
    edited: false,
    deleted: false,
    mention_ids: [],
    tm_create: AT,
    tm_update: AT,
    ...fields,
  };
}

const created = (m: Message): MessageChange => ({ before: null, after: m });
const changed = (before: Message, fields: Partial<Message>): MessageChange => ({ before, after: { ...before, ...fields } });

describe('countOf', () => {
  it.each<[string, Partial<Message>, { unread: number; mentions: number }]>([
    ["another agent's top-level message", {}, { unread: 1, mentions: 0 }],
    ['my own message', { agent_id: ME }, { unread: 0, mentions: 0 }],
    ['a reply', { parent_id: '00000000-0000-4000-9000-000000000999' }, { unread: 0, mentions: 0 }],
    ['a system message', { type: 'system', agent_id: null }, { unread: 0, mentions: 0 }],
    ['a deleted message', { deleted: true }, { unread: 0, mentions: 0 }],
    ['a message that mentions me', { mention_ids: [ME] }, { unread: 1, mentions: 1 }],
    ['a reply that mentions me', { parent_id: '00000000-0000-4000-9000-000000000999', mention_ids: [ME] }, { unread: 0, mentions: 1 }],
    ['a deleted message that mentioned me', { deleted: true, mention_ids: [ME] }, { unread: 0, mentions: 0 }],
  ])('counts %s', (_name, fields, expected) => {
    expect(countOf(message(5, fields), ME)).toEqual(expected);
  });
});

describe('countChanges', () => {
  it('adds created messages after the marker and ignores those at or before it', () => {
    const counts = countChanges(NOTHING_UNREAD, ME, 3, [created(message(3)), created(message(4)), created(message(5, { mention_ids: [ME] }))]);
    expect(counts).toEqual({ unread: 2, mentions: 1 });
  });

  it('takes a deleted message off, and a change of an already read message changes nothing', () => {
    const read = message(2, { mention_ids: [ME] });
    const unread = message(6, { mention_ids: [ME] });
    const counts = countChanges({ unread: 1, mentions: 1 }, ME, 4, [
      changed(read, { deleted: true, mention_ids: [] }),
      changed(unread, { deleted: true, mention_ids: [] }),
    ]);
    expect(counts).toEqual(NOTHING_UNREAD);
  });

  it('follows an edit that adds or removes my mention', () => {
    const m = message(7);
    const mentioned = countChanges({ unread: 1, mentions: 0 }, ME, 0, [changed(m, { mention_ids: [ME], edited: true })]);
    expect(mentioned).toEqual({ unread: 1, mentions: 1 });
    const unmentioned = countChanges(mentioned, ME, 0, [changed({ ...m, mention_ids: [ME] }, { mention_ids: [OTHER] })]);
    expect(unmentioned).toEqual({ unread: 1, mentions: 0 });
  });

  it('agrees with a recount of the final messages, whatever the order of creations, edits and deletes', () => {
    // Random histories: the counts kept change by change equal a count of the messages as they end.
    for (let run = 0; run < 200; run += 1) {
      const marker = Math.floor(Math.random() * 10);
      const latest = new Map<number, Message>();
      const changes: MessageChange[] = [];
      let kept = NOTHING_UNREAD;
      for (let step = 0; step < 40; step += 1) {
        const seqs = [...latest.keys()];
        const target = seqs[Math.floor(Math.random() * seqs.length)];
        const current = target === undefined ? undefined : latest.get(target);
        if (current === undefined || Math.random() < 0.5) {
          const seq = latest.size + 1;
          const m = message(seq, {
            agent_id: Math.random() < 0.3 ? ME : OTHER,
            parent_id: Math.random() < 0.2 ? '00000000-0000-4000-9000-000000000999' : null,
            mention_ids: Math.random() < 0.3 ? [ME] : [],
          });
          latest.set(seq, m);
          changes.push(created(m));
        } else if (!current.deleted) {
          const next = Math.random() < 0.5 ? { ...current, deleted: true, mention_ids: [] } : { ...current, mention_ids: Math.random() < 0.5 ? [ME] : [] };
          latest.set(current.seq, next);
          changes.push({ before: current, after: next });
        }
        // Counted in pieces, as readers catch up from where the counts were kept.
        if (Math.random() < 0.3) kept = countChanges(kept, ME, marker, changes.splice(0));
      }
      kept = countChanges(kept, ME, marker, changes.splice(0));
      const recount = [...latest.values()]
        .filter((m) => m.seq > marker)
        .map((m) => countOf(m, ME))
        .reduce((a, b) => ({ unread: a.unread + b.unread, mentions: a.mentions + b.mentions }), NOTHING_UNREAD);
      expect(kept).toEqual(recount);
    }
  });

  it('refuses to count a change whose creation it never counted into a negative', () => {
    expect(() => countChanges(NOTHING_UNREAD, ME, 0, [changed(message(3), { deleted: true })])).toThrow(/below zero/);
  });
});

describe('nextMarker', () => {
  it('moves forward only, and never past what may be read', () => {
    expect(nextMarker(5, 8, 10)).toBe(8);
    expect(nextMarker(5, 12, 10)).toBe(10);
    expect(nextMarker(5, 5, 10)).toBeNull();
    expect(nextMarker(5, 3, 10)).toBeNull();
    expect(nextMarker(10, 20, 10)).toBeNull();
  });
});

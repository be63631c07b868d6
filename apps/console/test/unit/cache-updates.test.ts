import { QueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Read } from '@talk/client/read-markers';
import { EVENT_TYPES, TalkChangeEvent, type EventType, type MessageEventType, type ParticipantEventType, type ReactionEventType, type TalkEventType } from '@talk/shared/events';
import { newId } from '@talk/shared/ids';
import { Message, Participant, Presence, Talk, type Page } from '@talk/shared/schemas';
import { applyEvent, applyPresence, applyRead, coalesce, presenceKey } from '../../src/live/cache-updates';
import { talkKeys } from '../../src/talks/talk-keys';

type MessagePages = InfiniteData<Page<Message>, string>;

const SELF = newId();
const OTHER = newId();
const CUSTOMER = newId();
const EARLIER = '2026-03-01T10:00:00.000Z';
const LATER = '2026-03-01T10:05:00.000Z';

let lastSeq = 0;
const nextSeq = (): number => (lastSeq += 1);

// The builders parse what they build, so every fixture is a shape the wire could carry.

function message(talkId: string, fields: Partial<Message> = {}): Message {
  const seq = nextSeq();
  return Message.parse({
    id: newId(), talk_id: talkId, seq, type: 'normal', agent_id: OTHER, client_message_id: null, text: `message ${seq}`, parent_id: null,
    medias: [], reactions: [], reply_count: 0, last_reply_at: null, edited: false, deleted: false, mention_ids: [], tm_create: EARLIER, tm_update: EARLIER,
    ...fields,
  } satisfies Message);
}

function talk(fields: Partial<Talk> = {}): Talk {
  return Talk.parse({
    id: newId(), customer_id: CUSTOMER, type: 'group', name: 'Q1 Project', status: 'active', creator_id: SELF, participant_count: 2,
    last_message_at: null, tm_create: EARLIER, tm_update: EARLIER, last_read_seq: 0, unread_count: 0, unread_mention_count: 0,
    ...fields,
  } satisfies Talk);
}

function participant(talkId: string, agentId: string, lastReadSeq: number | null): Participant {
  return Participant.parse({
    id: newId(), talk_id: talkId, agent_id: agentId, status: 'active', tm_joined: EARLIER, tm_left: null, last_read_seq: lastReadSeq,
  } satisfies Participant);
}

const envelope = (talkId: string) => ({ id: newId(), talk_id: talkId, seq: nextSeq(), tm_create: LATER });
const checked = (event: TalkChangeEvent): TalkChangeEvent => TalkChangeEvent.parse(event);

const messageEvent = (type: z.infer<typeof MessageEventType>, data: Message) => checked({ ...envelope(data.talk_id), type, data });
const reactionEvent = (type: z.infer<typeof ReactionEventType>, data: Message) =>
  checked({ ...envelope(data.talk_id), type, data: { message_id: data.id, emoji: '👍', agent_id: OTHER, message: data } });
const participantEvent = (type: ParticipantEventType, talkId: string, agentId: string) =>
  checked({ ...envelope(talkId), type, data: { ...participant(talkId, agentId, null), reason: type === 'participant_joined' ? 'joined' : 'left' } });
const talkEvent = (type: z.infer<typeof TalkEventType>, data: Talk) =>
  checked({ ...envelope(data.id), type, data: { ...data, last_read_seq: null, unread_count: null, unread_mention_count: null } });

function anEvent(type: EventType, talkId: string): TalkChangeEvent {
  switch (type) {
    case 'message_created':
    case 'message_updated':
    case 'message_deleted':
      return messageEvent(type, message(talkId));
    case 'reaction_added':
    case 'reaction_removed':
      return reactionEvent(type, message(talkId));
    case 'participant_joined':
    case 'participant_left':
      return participantEvent(type, talkId, OTHER);
    case 'talk_created':
    case 'talk_updated':
    case 'talk_closed':
    case 'talk_reopened':
      return talkEvent(type, talk({ id: talkId }));
  }
}

/** Pages as the messages query holds them: newest page first, each newest first. */
function pagesOf(...pages: (readonly Message[])[]): MessagePages {
  return {
    pages: pages.map((result, index) => ({ result, next_page_token: index + 1 < pages.length ? `page-${index + 1}` : null })),
    pageParams: pages.map((_, index) => (index === 0 ? '' : `page-${index}`)),
  };
}

const idsOf = (pages: MessagePages | undefined): readonly (readonly string[])[] | undefined => pages?.pages.map((page) => page.result.map((m) => m.id));

let queries: QueryClient;
beforeEach(() => {
  queries = new QueryClient();
});
afterEach(() => {
  queries.clear();
});

const messagesOf = (talkId: string): MessagePages | undefined => queries.getQueryData<MessagePages>(talkKeys.messages(talkId));
const invalidated = (key: QueryKey): boolean | undefined => queries.getQueryState(key)?.isInvalidated;
const apply = (event: TalkChangeEvent): void => {
  applyEvent(queries, SELF, event, () => undefined);
};

/** Every query a talk's screens hold, each with some data, so that each has a state to look at. */
function seedTalk(talkId: string, cached: readonly Message[]): { readonly root: Message } {
  const root = message(talkId);
  queries.setQueryData(talkKeys.details(talkId), talk({ id: talkId }));
  queries.setQueryData(talkKeys.participants(talkId), [participant(talkId, SELF, 0), participant(talkId, OTHER, 0)]);
  queries.setQueryData(talkKeys.messages(talkId), pagesOf([root, ...cached]));
  queries.setQueryData(talkKeys.thread(talkId, root.id), { root, replies: [] });
  return { root };
}

describe('applyEvent: messages', () => {
  it('adds a created message at the front of the newest page, leaving older pages as they were', () => {
    const talkId = newId();
    const [m3, m2, m1] = [message(talkId), message(talkId), message(talkId)];
    queries.setQueryData(talkKeys.messages(talkId), pagesOf([m3, m2], [m1]));
    const created = message(talkId);
    apply(messageEvent('message_created', created));
    expect(idsOf(messagesOf(talkId))).toEqual([[created.id, m3.id, m2.id], [m1.id]]);
    expect(messagesOf(talkId)?.pages[0]?.result[0]).toEqual(created);
    expect(messagesOf(talkId)?.pageParams).toEqual(['', 'page-1']);
  });

  it('does not add a created message twice when the cache already holds it', () => {
    const talkId = newId();
    const sent = message(talkId);
    queries.setQueryData(talkKeys.messages(talkId), pagesOf([sent]));
    apply(messageEvent('message_created', sent));
    expect(idsOf(messagesOf(talkId))).toEqual([[sent.id]]);
  });

  it.each(['message_updated', 'message_deleted'] as const)('a %s event replaces the cached message where it is, on whichever page', (type) => {
    const talkId = newId();
    const [m3, m2, m1] = [message(talkId), message(talkId), message(talkId)];
    queries.setQueryData(talkKeys.messages(talkId), pagesOf([m3, m2], [m1]));
    const changed: Message = type === 'message_updated' ? { ...m1, text: 'edited', edited: true, tm_update: LATER } : { ...m1, text: '', deleted: true, tm_update: LATER };
    apply(messageEvent(type, changed));
    expect(idsOf(messagesOf(talkId))).toEqual([[m3.id, m2.id], [m1.id]]);
    expect(messagesOf(talkId)?.pages[1]?.result[0]).toEqual(changed);
    expect(messagesOf(talkId)?.pages[0]?.result).toEqual([m3, m2]);
  });

  it('does not add an updated or deleted message the cache does not hold (it is on a page not loaded)', () => {
    const talkId = newId();
    const shown = message(talkId);
    queries.setQueryData(talkKeys.messages(talkId), pagesOf([shown]));
    apply(messageEvent('message_updated', message(talkId, { edited: true, tm_update: LATER })));
    apply(messageEvent('message_deleted', message(talkId, { deleted: true, tm_update: LATER })));
    expect(idsOf(messagesOf(talkId))).toEqual([[shown.id]]);
  });

  it('does not take a message back with an older event replayed after it (smaller tm_update)', () => {
    const talkId = newId();
    const original = message(talkId, { tm_update: EARLIER });
    const edited: Message = { ...original, text: 'edited', edited: true, tm_update: LATER };
    queries.setQueryData(talkKeys.messages(talkId), pagesOf([edited]));
    apply(messageEvent('message_updated', original));
    expect(messagesOf(talkId)?.pages[0]?.result).toEqual([edited]);
  });

  it('writes nothing for a talk whose messages are not cached', () => {
    const talkId = newId();
    apply(messageEvent('message_created', message(talkId)));
    expect(messagesOf(talkId)).toBeUndefined();
  });

  it('writes a top-level message without reading the messages again, and reads its thread again (the thread shows its root)', () => {
    const talkId = newId();
    const { root } = seedTalk(talkId, []);
    apply(messageEvent('message_updated', { ...root, text: 'edited', edited: true, tm_update: LATER }));
    expect(invalidated(talkKeys.thread(talkId, root.id))).toBe(true);
    expect(invalidated(talkKeys.messages(talkId))).toBe(false);
  });

  it.each(['message_created', 'message_updated', 'message_deleted'] as const)(
    'a reply (%s) writes nothing, and reads its thread and the talk\'s messages (reply counts) again',
    (type) => {
      const talkId = newId();
      const { root } = seedTalk(talkId, []);
      const before = messagesOf(talkId);
      apply(messageEvent(type, message(talkId, { parent_id: root.id, tm_update: LATER })));
      expect(messagesOf(talkId)).toEqual(before);
      expect(queries.getQueryData(talkKeys.thread(talkId, root.id))).toEqual({ root, replies: [] });
      expect(invalidated(talkKeys.thread(talkId, root.id))).toBe(true);
      expect(invalidated(talkKeys.messages(talkId))).toBe(true);
      expect(invalidated(talkKeys.participants(talkId))).toBe(false);
    },
  );

  it.each(['reaction_added', 'reaction_removed'] as const)('a %s event puts the message it carries in place of the cached one', (type) => {
    const talkId = newId();
    const [newer, reacted] = [message(talkId), message(talkId)];
    queries.setQueryData(talkKeys.messages(talkId), pagesOf([newer, reacted]));
    const withReaction: Message = { ...reacted, reactions: [{ emoji: '👍', count: 1, agent_ids: [OTHER] }], tm_update: LATER };
    apply(reactionEvent(type, withReaction));
    expect(messagesOf(talkId)?.pages[0]?.result).toEqual([newer, withReaction]);
  });

  it('does not add a reacted message the cache does not hold', () => {
    const talkId = newId();
    const shown = message(talkId);
    queries.setQueryData(talkKeys.messages(talkId), pagesOf([shown]));
    apply(reactionEvent('reaction_added', message(talkId, { reactions: [{ emoji: '👍', count: 1, agent_ids: [OTHER] }] })));
    expect(idsOf(messagesOf(talkId))).toEqual([[shown.id]]);
  });
});

describe('applyEvent: participants and talks', () => {
  it.each(['participant_joined', 'participant_left'] as const)('another agent\'s %s reads the participants and the talk\'s details again, nothing else', (type) => {
    const talkId = newId();
    const { root } = seedTalk(talkId, []);
    apply(participantEvent(type, talkId, OTHER));
    expect(invalidated(talkKeys.participants(talkId))).toBe(true);
    expect(invalidated(talkKeys.details(talkId))).toBe(true);
    expect(invalidated(talkKeys.messages(talkId))).toBe(false);
    expect(invalidated(talkKeys.thread(talkId, root.id))).toBe(false);
  });

  it('the agent\'s own leave reads everything of that talk again (it may no longer read it)', () => {
    const talkId = newId();
    const { root } = seedTalk(talkId, []);
    apply(participantEvent('participant_left', talkId, SELF));
    for (const key of [talkKeys.participants(talkId), talkKeys.details(talkId), talkKeys.messages(talkId), talkKeys.thread(talkId, root.id)]) {
      expect(invalidated(key)).toBe(true);
    }
  });

  it('the agent\'s own join reads only the participants and the details again', () => {
    const talkId = newId();
    seedTalk(talkId, []);
    apply(participantEvent('participant_joined', talkId, SELF));
    expect(invalidated(talkKeys.participants(talkId))).toBe(true);
    expect(invalidated(talkKeys.messages(talkId))).toBe(false);
  });

  it.each(['talk_created', 'talk_updated', 'talk_closed', 'talk_reopened'] as const)('a %s event reads the talk\'s details again, nothing else', (type) => {
    const talkId = newId();
    const { root } = seedTalk(talkId, []);
    apply(talkEvent(type, talk({ id: talkId })));
    expect(invalidated(talkKeys.details(talkId))).toBe(true);
    expect(invalidated(talkKeys.participants(talkId))).toBe(false);
    expect(invalidated(talkKeys.messages(talkId))).toBe(false);
    expect(invalidated(talkKeys.thread(talkId, root.id))).toBe(false);
  });

  it('touches only the queries of the event\'s own talk', () => {
    const [talkId, otherTalkId] = [newId(), newId()];
    seedTalk(talkId, []);
    const { root } = seedTalk(otherTalkId, []);
    const otherMessages = messagesOf(otherTalkId);
    apply(participantEvent('participant_left', talkId, SELF));
    apply(messageEvent('message_created', message(talkId)));
    apply(talkEvent('talk_updated', talk({ id: talkId })));
    for (const key of [talkKeys.participants(otherTalkId), talkKeys.details(otherTalkId), talkKeys.messages(otherTalkId), talkKeys.thread(otherTalkId, root.id)]) {
      expect(invalidated(key)).toBe(false);
    }
    expect(messagesOf(otherTalkId)).toEqual(otherMessages);
  });
});

describe('applyEvent: the talk list', () => {
  it.each(EVENT_TYPES)('asks once for the talk list to be read again on a %s event', (type) => {
    const talkId = newId();
    seedTalk(talkId, []);
    let refreshes = 0;
    applyEvent(queries, SELF, anEvent(type, talkId), () => {
      refreshes += 1;
    });
    expect(refreshes).toBe(1);
  });
});

describe('applyRead', () => {
  function seedList(): { readonly read: Talk; readonly other: Talk } {
    const read = talk({ last_read_seq: 5, unread_count: 7, unread_mention_count: 2 });
    const other = talk({ last_read_seq: 3, unread_count: 1, unread_mention_count: 1 });
    queries.setQueryData(talkKeys.list(), [read, other]);
    return { read, other };
  }
  const listed = (): readonly Talk[] | undefined => queries.getQueryData<readonly Talk[]>(talkKeys.list());
  const participantsOf = (talkId: string): readonly Participant[] | undefined => queries.getQueryData<readonly Participant[]>(talkKeys.participants(talkId));

  it('moves the agent\'s own marker and unread counts on that talk in the list, and no other talk', () => {
    const { read, other } = seedList();
    applyRead(queries, SELF, { talkId: read.id, agentId: SELF, lastReadSeq: 9, unread: { count: 2, mentionCount: 0 } });
    expect(listed()).toEqual([{ ...read, last_read_seq: 9, unread_count: 2, unread_mention_count: 0 }, other]);
  });

  it('never moves the agent\'s own marker back', () => {
    const { read } = seedList();
    applyRead(queries, SELF, { talkId: read.id, agentId: SELF, lastReadSeq: 4 });
    expect(listed()?.[0]?.last_read_seq).toBe(5);
  });

  it('leaves the unread counts as they are when the read does not carry them', () => {
    const { read } = seedList();
    applyRead(queries, SELF, { talkId: read.id, agentId: SELF, lastReadSeq: 9 });
    expect(listed()?.[0]).toEqual({ ...read, last_read_seq: 9 });
  });

  it('leaves the talk list alone for another agent\'s read', () => {
    const { read, other } = seedList();
    applyRead(queries, SELF, { talkId: read.id, agentId: OTHER, lastReadSeq: 9 });
    expect(listed()).toEqual([read, other]);
  });

  it('moves the reading participant\'s marker forward only, and no other participant\'s', () => {
    const talkId = newId();
    const [mine, theirs] = [participant(talkId, SELF, 5), participant(talkId, OTHER, 3)];
    queries.setQueryData(talkKeys.participants(talkId), [mine, theirs]);
    const reads: readonly Read[] = [
      { talkId, agentId: OTHER, lastReadSeq: 8 },
      { talkId, agentId: OTHER, lastReadSeq: 6 },
    ];
    for (const read of reads) applyRead(queries, SELF, read);
    expect(participantsOf(talkId)).toEqual([mine, { ...theirs, last_read_seq: 8 }]);
  });

  it('moves the agent\'s own participant marker too, and gives a participant with no marker yet the read\'s', () => {
    const talkId = newId();
    queries.setQueryData(talkKeys.participants(talkId), [participant(talkId, SELF, null)]);
    applyRead(queries, SELF, { talkId, agentId: SELF, lastReadSeq: 4 });
    expect(participantsOf(talkId)?.[0]?.last_read_seq).toBe(4);
  });

  it('creates nothing when neither the list nor the participants are cached', () => {
    const talkId = newId();
    applyRead(queries, SELF, { talkId, agentId: SELF, lastReadSeq: 4, unread: { count: 0, mentionCount: 0 } });
    expect(listed()).toBeUndefined();
    expect(participantsOf(talkId)).toBeUndefined();
  });
});

describe('applyPresence', () => {
  it('puts the agent\'s latest presence under its presence key', () => {
    const online = Presence.parse({ agent_id: OTHER, status: 'online', tm_change: EARLIER } satisfies Presence);
    const away = Presence.parse({ agent_id: OTHER, status: 'away', tm_change: LATER } satisfies Presence);
    applyPresence(queries, online);
    applyPresence(queries, away);
    expect(queries.getQueryData(presenceKey(OTHER))).toEqual(away);
    expect(queries.getQueryData(presenceKey(SELF))).toBeUndefined();
  });
});

describe('coalesce', () => {
  const EVERY_MS = 1_000;
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs once, after the wait, for a burst of requests', () => {
    let runs = 0;
    const list = coalesce(() => (runs += 1), EVERY_MS);
    list.request();
    list.request();
    list.request();
    expect(runs).toBe(0);
    jest.runAllTimers();
    expect(runs).toBe(1);
  });

  it('runs again for a request after the run', () => {
    let runs = 0;
    const list = coalesce(() => (runs += 1), EVERY_MS);
    list.request();
    jest.runAllTimers();
    list.request();
    jest.runAllTimers();
    expect(runs).toBe(2);
  });

  it('does not run a requested run once cancelled', () => {
    let runs = 0;
    const list = coalesce(() => (runs += 1), EVERY_MS);
    list.request();
    list.request();
    list.cancel();
    jest.runAllTimers();
    expect(runs).toBe(0);
  });
});

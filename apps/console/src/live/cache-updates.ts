/**
 * What the socket hears, written into the query cache: a message's new state replaces the cached
 * one (or is added, when new), and what a listing alone can tell (the list's order, counts, a
 * thread's replies, who takes part) is fetched again, for the talk concerned only.
 */
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Read } from '@talk/client/read-markers';
import type { TalkChangeEvent } from '@talk/shared/events';
import type { Message, Page, Participant, Presence, Talk } from '@talk/shared/schemas';
import { talkKeys } from '../talks/talk-keys';

type MessagePages = InfiniteData<Page<Message>, string>;

/** `refreshList` reads the talk list again, soon: a burst of events makes one read, not one each. */
export function applyEvent(queries: QueryClient, selfId: string, event: TalkChangeEvent, refreshList: () => void): void {
  const talkId = event.talk_id;
  switch (event.type) {
    case 'message_created':
    case 'message_updated':
    case 'message_deleted':
      putMessage(queries, event.data, event.type === 'message_created');
      break;
    case 'reaction_added':
    case 'reaction_removed':
      putMessage(queries, event.data.message, false);
      break;
    case 'participant_joined':
    case 'participant_left':
      void queries.invalidateQueries({ queryKey: talkKeys.participants(talkId) });
      void queries.invalidateQueries({ queryKey: talkKeys.details(talkId) });
      // The agent's own leave: the talk is gone from what it may read.
      if (event.data.agent_id === selfId && event.type === 'participant_left') void queries.invalidateQueries({ queryKey: talkKeys.talk(talkId) });
      break;
    case 'talk_created':
    case 'talk_updated':
    case 'talk_closed':
    case 'talk_reopened':
      void queries.invalidateQueries({ queryKey: talkKeys.details(talkId) });
      break;
  }
  refreshList();
}

/** Puts a message where the cache shows it: its talk's pages, or its thread. */
function putMessage(queries: QueryClient, message: Message, created: boolean): void {
  const talkId = message.talk_id;
  if (message.parent_id !== null) {
    // A reply: the thread, and its root's reply count, come from the server.
    void queries.invalidateQueries({ queryKey: talkKeys.thread(talkId, message.parent_id) });
    void queries.invalidateQueries({ queryKey: talkKeys.messages(talkId) });
    return;
  }
  queries.setQueryData<MessagePages>(talkKeys.messages(talkId), (data) => {
    if (data === undefined) return data;
    const known = data.pages.some((page) => page.result.some((m) => m.id === message.id));
    if (known) {
      return { ...data, pages: data.pages.map((page) => ({ ...page, result: page.result.map((m) => (m.id === message.id ? newer(m, message) : m)) })) };
    }
    const [newest, ...older] = data.pages;
    if (!created || newest === undefined) return data;
    // Pages are newest first, each newest first.
    return { ...data, pages: [{ ...newest, result: [message, ...newest.result] }, ...older] };
  });
  // A thread shows its root too.
  void queries.invalidateQueries({ queryKey: talkKeys.thread(talkId, message.id) });
}

/** An event replayed after a later REST answer must not take the message back. */
const newer = (cached: Message, heard: Message): Message => (heard.tm_update >= cached.tm_update ? heard : cached);

/** A read marker moved: the agent's own badge, or a participant's "seen by". */
export function applyRead(queries: QueryClient, selfId: string, read: Read): void {
  if (read.agentId === selfId) {
    const unread = read.unread;
    queries.setQueryData<readonly Talk[]>(talkKeys.list(), (talks) =>
      talks?.map((talk) =>
        talk.id !== read.talkId
          ? talk
          : {
              ...talk,
              last_read_seq: Math.max(talk.last_read_seq ?? 0, read.lastReadSeq),
              ...(unread === undefined ? {} : { unread_count: unread.count, unread_mention_count: unread.mentionCount }),
            },
      ),
    );
  }
  queries.setQueryData<readonly Participant[]>(talkKeys.participants(read.talkId), (participants) =>
    participants?.map((p) => (p.agent_id === read.agentId ? { ...p, last_read_seq: Math.max(p.last_read_seq ?? 0, read.lastReadSeq) } : p)),
  );
}

export const presenceKey = (agentId: string) => ['presence', agentId] as const;

export function applyPresence(queries: QueryClient, presence: Presence): void {
  queries.setQueryData(presenceKey(presence.agent_id), presence);
}

/** `run` at most once per `everyMs`, trailing: what happened during the wait is in the one run. */
export function coalesce(run: () => void, everyMs: number): { readonly request: () => void; readonly cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    request() {
      timer ??= setTimeout(() => {
        timer = undefined;
        run();
      }, everyMs);
    },
    cancel: () => clearTimeout(timer),
  };
}

/** After a (re)connect: everything shown is read again, once. */
export function refreshAll(queries: QueryClient): void {
  void queries.invalidateQueries();
}

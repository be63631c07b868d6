/** A talk's messages, participants and the calls that change them, through the query cache. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { Message, Participant } from '@talk/shared/schemas';
import type { TalkApi } from '@talk/client/talk-api';
import { useAgentDirectory } from '../agents/agent-directory';
import { useTalkClient } from '../api/talk-client';
import { talkKeys } from '../talks/talk-keys';

const PAGE_SIZE = 50;

/** Top-level messages oldest to newest; older pages come with `fetchNextPage`. */
export function useTalkMessages(talkId: string) {
  const { talks } = useTalkClient();
  const query = useInfiniteQuery({
    queryKey: talkKeys.messages(talkId),
    // The page token of the page to load; '' is the newest page.
    queryFn: ({ pageParam }) => talks.listMessages(talkId, { pageSize: PAGE_SIZE, ...(pageParam === '' ? {} : { pageToken: pageParam }) }),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_page_token ?? undefined,
  });
  // Pages come newest first, each newest first: reversed once into reading order.
  const messages = useMemo<readonly Message[]>(() => (query.data?.pages ?? []).flatMap((page) => page.result).reverse(), [query.data]);
  return { ...query, messages };
}

export function useParticipants(talkId: string) {
  const { talks } = useTalkClient();
  const { meet } = useAgentDirectory();
  const query = useQuery({ queryKey: talkKeys.participants(talkId), queryFn: () => talks.listParticipants(talkId) });
  useEffect(() => {
    if (query.data !== undefined) meet(query.data.map((participant) => participant.agent_id));
  }, [query.data, meet]);
  const active = useMemo<readonly Participant[]>(() => (query.data ?? []).filter((p) => p.status === 'active'), [query.data]);
  return { ...query, active };
}

export interface Draft {
  readonly text: string;
  readonly mentionIds: readonly string[];
  readonly parentId?: string;
}

/** Every change a message can take; each refreshes what shows the message. */
export function useMessageActions(talkId: string) {
  const { talks } = useTalkClient();
  const queries = useQueryClient();
  const refresh = (): void => {
    void queries.invalidateQueries({ queryKey: talkKeys.talk(talkId) });
    void queries.invalidateQueries({ queryKey: talkKeys.list() });
  };
  return {
    send: useMutation({
      mutationFn: (draft: Draft) =>
        talks.sendMessage(talkId, {
          text: draft.text,
          mention_ids: [...draft.mentionIds],
          ...(draft.parentId === undefined ? {} : { parent_id: draft.parentId }),
        }),
      onSuccess: refresh,
    }),
    edit: useMutation({ mutationFn: ({ id, text }: { id: string; text: string }) => talks.editMessage(id, { text }), onSuccess: refresh }),
    remove: useMutation({ mutationFn: (id: string) => talks.deleteMessage(id), onSuccess: refresh }),
    react: useMutation({
      mutationFn: ({ id, emoji, on }: { id: string; emoji: string; on: boolean }) => (on ? talks.addReaction(id, emoji) : talks.removeReaction(id, emoji)),
      onSuccess: refresh,
    }),
  };
}

/** A thread: its root and its replies, oldest first. */
export function useThread(talkId: string, rootId: string) {
  const { talks } = useTalkClient();
  return useQuery({
    queryKey: talkKeys.thread(talkId, rootId),
    queryFn: async () => {
      const [root, replies] = await Promise.all([talks.getMessage(rootId), allReplies((id, page) => talks.listReplies(id, page), rootId)]);
      return { root, replies };
    },
  });
}

async function allReplies(listReplies: TalkApi['listReplies'], rootId: string): Promise<readonly Message[]> {
  const replies: Message[] = [];
  let pageToken: string | undefined;
  do {
    const page = await listReplies(rootId, { pageSize: 100, ...(pageToken === undefined ? {} : { pageToken }) });
    replies.push(...page.result);
    pageToken = page.next_page_token ?? undefined;
  } while (pageToken !== undefined && replies.length < 2_000);
  return replies;
}

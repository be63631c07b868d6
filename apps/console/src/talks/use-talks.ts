/** The agent's talks, by latest activity (the API's order), and the calls that make one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Talk } from '@talk/shared/schemas';
import { useTalkClient } from '../api/talk-client';
import { talkKeys } from './talk-keys';

/** More than an agent keeps open; the rest are reachable by name filter once search exists. */
const MAX_PAGES = 5;

export function useTalks() {
  const { talks } = useTalkClient();
  return useQuery({
    queryKey: talkKeys.list(),
    queryFn: async (): Promise<readonly Talk[]> => {
      const all: Talk[] = [];
      let pageToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const answer = await talks.listTalks({ pageSize: 100, ...(pageToken === undefined ? {} : { pageToken }) });
        all.push(...answer.result);
        if (answer.next_page_token === null) break;
        pageToken = answer.next_page_token;
      }
      return all;
    },
  });
}

export function useTalk(talkId: string) {
  const { talks } = useTalkClient();
  return useQuery({ queryKey: talkKeys.details(talkId), queryFn: () => talks.getTalk(talkId) });
}

export type NewTalk = { readonly type: 'group'; readonly name: string; readonly agentIds: readonly string[] } | { readonly type: 'direct'; readonly agentId: string };

export function useCreateTalk() {
  const { talks } = useTalkClient();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (talk: NewTalk) =>
      talk.type === 'group'
        ? talks.createTalk({ type: 'group', participant_ids: [...talk.agentIds], ...(talk.name.trim() === '' ? {} : { name: talk.name.trim() }) })
        : talks.createTalk({ type: 'direct', participant_ids: [talk.agentId] }),
    onSuccess: (talk) => {
      queries.setQueryData(talkKeys.details(talk.id), talk);
      void queries.invalidateQueries({ queryKey: talkKeys.list() });
    },
  });
}

/** Rename, close, reopen: each answers the talk as it now is. */
export function useTalkActions(talkId: string) {
  const { talks } = useTalkClient();
  const queries = useQueryClient();
  const settle = (talk: Talk): void => {
    queries.setQueryData(talkKeys.details(talk.id), talk);
    void queries.invalidateQueries({ queryKey: talkKeys.talk(talkId) });
    void queries.invalidateQueries({ queryKey: talkKeys.list() });
  };
  return {
    rename: useMutation({ mutationFn: (name: string) => talks.renameTalk(talkId, name), onSuccess: settle }),
    close: useMutation({ mutationFn: () => talks.closeTalk(talkId), onSuccess: settle }),
    reopen: useMutation({ mutationFn: () => talks.reopenTalk(talkId), onSuccess: settle }),
  };
}

/**
 * The signed-in agent's client: the reference client's REST calls with its token, made once per
 * session and handed down by context, and a presence lookup that batches what many screens ask
 * for at once. The console speaks to the origin it was served from.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createTalkApi, type TalkApi } from '@talk/client/talk-api';
import { PRESENCE_LIMITS, type Presence } from '@talk/shared/schemas';
import { createBatchLoader, type BatchLoader } from '../platform/batch-loader';

export interface TalkClient {
  readonly talks: TalkApi;
  /** One agent's presence; undefined for an agent of another customer. */
  readonly presenceOf: BatchLoader<Presence>;
}

const TalkClientContext = createContext<TalkClient | undefined>(undefined);

export function TalkClientProvider({ token, children }: { readonly token: string; readonly children: ReactNode }): ReactNode {
  const client = useMemo<TalkClient>(() => {
    const baseUrl = window.location.origin;
    const talks = createTalkApi({ baseUrl, token });
    const presenceOf = createBatchLoader(
      async (agentIds) => new Map((await talks.presence(agentIds)).map((presence) => [presence.agent_id, presence])),
      PRESENCE_LIMITS.agentIdsPerRequest,
    );
    return { talks, presenceOf };
  }, [token]);
  return <TalkClientContext.Provider value={client}>{children}</TalkClientContext.Provider>;
}

export function useTalkClient(): TalkClient {
  const client = useContext(TalkClientContext);
  if (client === undefined) throw new Error('useTalkClient outside TalkClientProvider');
  return client;
}

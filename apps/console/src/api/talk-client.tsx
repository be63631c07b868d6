/**
 * The signed-in agent's client: the reference client's REST calls with its token, made once per
 * session and handed down by context. The console speaks to the origin it was served from.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createTalkApi, type TalkApi } from '@talk/client/talk-api';
import { createReadApi, type ReadApi } from './read-api';

export interface TalkClient {
  readonly talks: TalkApi;
  readonly reads: ReadApi;
}

const TalkClientContext = createContext<TalkClient | undefined>(undefined);

export function TalkClientProvider({ token, children }: { readonly token: string; readonly children: ReactNode }): ReactNode {
  const client = useMemo<TalkClient>(() => {
    const baseUrl = window.location.origin;
    return { talks: createTalkApi({ baseUrl, token }), reads: createReadApi({ baseUrl, token }) };
  }, [token]);
  return <TalkClientContext.Provider value={client}>{children}</TalkClientContext.Provider>;
}

export function useTalkClient(): TalkClient {
  const client = useContext(TalkClientContext);
  if (client === undefined) throw new Error('useTalkClient outside TalkClientProvider');
  return client;
}

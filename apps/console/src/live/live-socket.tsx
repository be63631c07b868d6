/**
 * The tab's one WebSocket: the reference client's `connectTalkSocket` over the browser's own
 * WebSocket (`dialBrowser`), to the origin the console was served from. It reconnects by itself,
 * resumes every talk with `after_seq`, and finds talks the agent was added to while away (through
 * `activeTalks`). What it hears goes into the query cache (cache-updates.ts); screens use the hooks
 * of live-updates.tsx. A 4001 close (token expired or revoked) ends the session like a REST 401.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { dialBrowser } from '@talk/client/browser-connection';
import { CLOSE_CODES } from '@talk/client/frames';
import { connectTalkSocket, type SocketState, type TalkSocket } from '@talk/client/talk-socket';
import { useTalkClient } from '../api/talk-client';
import { talkKeys } from '../talks/talk-keys';
import { applyEvent, applyPresence, applyRead, coalesce, refreshAll } from './cache-updates';

/** How long events are gathered before the talk list is read again: well inside a second. */
const LIST_REFRESH_MS = 150;

export interface LiveSocket {
  /** Undefined until the provider's effect has made it. */
  readonly socket: TalkSocket | undefined;
  readonly state: SocketState;
  /** Whether the socket was open once: a later drop is a reconnect, not the first connect. */
  readonly wasOpen: boolean;
}

const LiveSocketContext = createContext<LiveSocket>({ socket: undefined, state: 'connecting', wasOpen: false });

/** The gateway's address on this origin: wss: when the console came over https:. */
export function socketUrl(location: Location, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/v1.0/ws?token=${encodeURIComponent(token)}`;
}

export interface LiveSocketProviderProps {
  readonly token: string;
  readonly agentId: string;
  /** The gateway refused the token: the session is over. */
  readonly onSessionEnded: () => void;
  readonly children: ReactNode;
}

export function LiveSocketProvider({ token, agentId, onSessionEnded, children }: LiveSocketProviderProps): ReactNode {
  const { talks } = useTalkClient();
  const queries = useQueryClient();
  const [live, setLive] = useState<LiveSocket>({ socket: undefined, state: 'connecting', wasOpen: false });

  useEffect(() => {
    const socket = connectTalkSocket({
      url: socketUrl(window.location, token),
      agentId,
      dial: dialBrowser,
      history: (talkId, afterSeq) => talks.eventsAfter(talkId, afterSeq),
      activeTalks: () => talks.allTalks({ status: 'active' }),
    });
    const list = coalesce(() => void queries.invalidateQueries({ queryKey: talkKeys.list() }), LIST_REFRESH_MS);
    let ended = false;
    const endSession = (): void => {
      if (ended) return;
      ended = true;
      onSessionEnded();
    };
    const stops = [
      socket.onEvent((event) => applyEvent(queries, agentId, event, list.request)),
      socket.onRead((read) => applyRead(queries, agentId, read)),
      socket.onPresence((presence) => applyPresence(queries, presence)),
      socket.onError((error) => {
        if (error.code === 'UNAUTHENTICATED') endSession();
      }),
      socket.onState((state, closeCode) => {
        if (state === 'closed' && closeCode === CLOSE_CODES.badToken) endSession();
        // What happened while the socket was not open is read again once: REST says how things stand.
        if (state === 'open') socket.settled().then(() => refreshAll(queries), () => undefined);
        setLive((current) => ({ socket, state, wasOpen: current.wasOpen || state === 'open' }));
      }),
    ];
    setLive({ socket, state: 'connecting', wasOpen: false });
    return () => {
      for (const stop of stops) stop();
      list.cancel();
      void socket.close();
    };
  }, [token, agentId, talks, queries, onSessionEnded]);

  return <LiveSocketContext.Provider value={live}>{children}</LiveSocketContext.Provider>;
}

export function useLiveSocket(): LiveSocket {
  return useContext(LiveSocketContext);
}

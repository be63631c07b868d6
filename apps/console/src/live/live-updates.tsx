/**
 * The seam for live updates: the one place where the console learns that something changed on
 * the server without having asked. Every screen says what it shows (`useLiveTalkList`,
 * `useLiveTalk`, `useTyping`, `usePresence`) and this module keeps it fresh from the tab's socket
 * (live-socket.tsx), which writes what it hears into the query cache (cache-updates.ts).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { TalkSocket } from '@talk/client/talk-socket';
import type { Presence, Talk } from '@talk/shared/schemas';
import { useTalkClient } from '../api/talk-client';
import { batchKeys } from '../platform/key-batch';
import { presenceKey } from './cache-updates';
import { useLiveSocket } from './live-socket';

/** How long "is typing" shows after the agent's last typing frame (docs/websocket.md, Typing). */
export const TYPING_SHOWN_MS = 5_000;

/** Follows the listed active talks, for new messages (order, badges) in each. */
export function useLiveTalkList(talks: readonly Talk[] | undefined): void {
  const { socket } = useLiveSocket();
  useEffect(() => {
    if (socket === undefined || talks === undefined) return;
    for (const talk of talks) if (talk.status === 'active') socket.subscribe(talk.id);
  }, [socket, talks]);
}

/** Follows an open talk (also when it is not in the list's first pages). */
export function useLiveTalk(talkId: string): void {
  const { socket } = useLiveSocket();
  useEffect(() => {
    socket?.subscribe(talkId);
  }, [socket, talkId]);
}

/** Tells the others this agent types in the talk (paced by the client; call on every keystroke). */
export function useSendTyping(talkId: string): () => void {
  const { socket } = useLiveSocket();
  return () => socket?.typing(talkId);
}

/** Who else types in the talk now, in the order they started. */
export function useTyping(talkId: string): readonly string[] {
  const { socket } = useLiveSocket();
  const [typists, setTypists] = useState<readonly string[]>([]);
  useEffect(() => {
    if (socket === undefined) return;
    const timers = new Map<string, number>();
    const stop = socket.onTyping((typing) => {
      if (typing.talkId !== talkId) return;
      window.clearTimeout(timers.get(typing.agentId));
      timers.set(
        typing.agentId,
        window.setTimeout(() => {
          timers.delete(typing.agentId);
          setTypists((current) => current.filter((id) => id !== typing.agentId));
        }, TYPING_SHOWN_MS),
      );
      setTypists((current) => (current.includes(typing.agentId) ? current : [...current, typing.agentId]));
    });
    return () => {
      stop();
      for (const timer of timers.values()) window.clearTimeout(timer);
      setTypists([]);
    };
  }, [socket, talkId]);
  return typists;
}

/** Per socket: the agents whose dots mounted in one tick are followed in one frame, not one each. */
const presenceFollowers = new WeakMap<TalkSocket, (agentId: string) => void>();

function followPresence(socket: TalkSocket, agentId: string): void {
  let follow = presenceFollowers.get(socket);
  if (follow === undefined) {
    follow = batchKeys((agentIds) => socket.subscribePresence(agentIds));
    presenceFollowers.set(socket, follow);
  }
  follow(agentId);
}

/**
 * An agent's presence: read once over REST (the dots on screen in one request), then kept by the
 * socket's presence frames. Followed agents stay followed for the session: an agent's contacts
 * are few, and the gateway caps them (PRESENCE_LIMITS.subscribedPerConnection).
 */
export function usePresence(agentId: string): Presence | undefined {
  const { socket } = useLiveSocket();
  const { presenceOf } = useTalkClient();
  useEffect(() => {
    if (socket !== undefined) followPresence(socket, agentId);
  }, [socket, agentId]);
  const query = useQuery({
    queryKey: presenceKey(agentId),
    queryFn: async () => (await presenceOf(agentId)) ?? null,
    staleTime: Infinity,
  });
  return query.data ?? undefined;
}

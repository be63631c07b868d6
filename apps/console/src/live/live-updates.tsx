/**
 * The seam for live updates: the one place where the console learns that something changed on
 * the server without having asked. Every screen says what it shows (`useLiveTalkList`,
 * `useLiveTalk`) and this module keeps it fresh.
 *
 * Today the source is REST polling: the talk list is refetched now and then, and the open talk's
 * change stream is read after the last seq seen (`GET /talks/{id}/events?after_seq=`), cheap when
 * nothing happened; when an event arrives, the talk's queries are refetched. The next step swaps
 * the source for `@talk/client/talk-socket` once it takes the browser's WebSocket: subscribe with
 * `after_seq`, and call the same `talkChanged` / `talksChanged` on each event frame (a 4001 close
 * ends the session, like a 401). Nothing outside this folder needs to change for that.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTalkClient } from '../api/talk-client';
import { talkKeys } from '../talks/talk-keys';

/** Where updates come from, as the sidebar tells the agent. */
export const LIVE_SOURCE = { kind: 'rest-polling', description: 'checked every few seconds' } as const;

const TALK_LIST_INTERVAL_MS = 10_000;
const OPEN_TALK_INTERVAL_MS = 3_000;

/** Something in the talk changed: its messages, threads, participants and its row in the list. */
export function talkChanged(queries: QueryClient, talkId: string): void {
  void queries.invalidateQueries({ queryKey: talkKeys.talk(talkId) });
  void queries.invalidateQueries({ queryKey: talkKeys.list() });
}

/** Talks may have appeared, gone or moved in the list. */
export function talksChanged(queries: QueryClient): void {
  void queries.invalidateQueries({ queryKey: talkKeys.list() });
}

/** Keeps the talk list fresh while it is shown. */
export function useLiveTalkList(): void {
  const queries = useQueryClient();
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') talksChanged(queries);
    }, TALK_LIST_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [queries]);
}

/** Keeps an open talk fresh: follows its change stream after `lastSeq`, the newest seq shown. */
export function useLiveTalk(talkId: string, lastSeq: number | undefined): void {
  const queries = useQueryClient();
  const { talks } = useTalkClient();
  const seen = useRef(lastSeq);
  seen.current = Math.max(seen.current ?? 0, lastSeq ?? 0);

  useEffect(() => {
    let polling = false;
    const poll = async (): Promise<void> => {
      if (polling || document.visibilityState !== 'visible' || seen.current === undefined) return;
      polling = true;
      try {
        const page = await talks.listEvents(talkId, { afterSeq: seen.current, limit: 1 });
        if (page.last_seq > seen.current) {
          seen.current = page.last_seq;
          talkChanged(queries, talkId);
        }
      } catch {
        // The next poll tries again; a failure that matters (401) shows on the screen's own queries.
      } finally {
        polling = false;
      }
    };
    const timer = window.setInterval(() => void poll(), OPEN_TALK_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [queries, talks, talkId]);
}

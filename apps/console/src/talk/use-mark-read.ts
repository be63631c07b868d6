/**
 * Marks the talk read as the agent reads it: when the newest message is on screen and the tab is
 * visible, the read marker moves to its seq (once per seq; the server never moves it back).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTalkClient } from '../api/talk-client';
import { talkKeys } from '../talks/talk-keys';

export function useMarkRead(talkId: string, newestSeq: number | undefined, atBottom: boolean, alreadyRead: number | null | undefined): void {
  const { talks } = useTalkClient();
  const queries = useQueryClient();
  const marked = useRef(0);
  const visible = useTabVisible();
  marked.current = Math.max(marked.current, alreadyRead ?? 0);

  useEffect(() => {
    if (newestSeq === undefined || !atBottom || !visible || newestSeq <= marked.current) return;
    const before = marked.current;
    marked.current = newestSeq;
    talks.markRead(talkId, newestSeq).then(
      () => void queries.invalidateQueries({ queryKey: talkKeys.list() }),
      () => {
        marked.current = before; // tried again when the agent next reads here
      },
    );
  }, [talkId, newestSeq, atBottom, visible, talks, queries]);
}

function useTabVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const follow = (): void => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', follow);
    return () => document.removeEventListener('visibilitychange', follow);
  }, []);
  return visible;
}

/** The console's one route parameter, the open talk, kept in the address (`/talks/<id>`). */
import { useCallback, useEffect, useState } from 'react';

const TALK_PATH = /^\/talks\/([0-9a-f-]{36})\/?$/i;

const talkIdOf = (path: string): string | undefined => TALK_PATH.exec(path)?.[1];

export function useOpenTalk(): { readonly talkId: string | undefined; readonly open: (talkId: string | undefined) => void } {
  const [talkId, setTalkId] = useState(() => talkIdOf(window.location.pathname));
  useEffect(() => {
    const follow = (): void => setTalkId(talkIdOf(window.location.pathname));
    window.addEventListener('popstate', follow);
    return () => window.removeEventListener('popstate', follow);
  }, []);
  const open = useCallback((next: string | undefined) => {
    const path = next === undefined ? '/' : `/talks/${next}`;
    if (window.location.pathname !== path) window.history.pushState(null, '', path);
    setTalkId(next);
  }, []);
  return { talkId, open };
}

/**
 * Who is signed in, for every component below: the session, and how to end it. Ending it with a
 * reason (an expired or revoked token) shows that reason on the sign-in screen.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { clearSession, readSession, writeSession, type Session } from './session-storage';

export interface SessionState {
  readonly session: Session | undefined;
  /** Why the last session ended, when it was not the agent's own sign-out. */
  readonly endedBecause: string | undefined;
  readonly signedIn: (session: Session) => void;
  readonly signOut: (reason?: string) => void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [session, setSession] = useState<Session | undefined>(() => readSession(window.sessionStorage));
  const [endedBecause, setEndedBecause] = useState<string | undefined>(undefined);

  const signedIn = useCallback((next: Session) => {
    writeSession(window.sessionStorage, next);
    setEndedBecause(undefined);
    setSession(next);
  }, []);
  const signOut = useCallback((reason?: string) => {
    clearSession(window.sessionStorage);
    setEndedBecause(reason);
    setSession(undefined);
  }, []);

  const value = useMemo(() => ({ session, endedBecause, signedIn, signOut }), [session, endedBecause, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (state === undefined) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The session of a signed-in screen. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (session === undefined) throw new Error('useSession on a screen shown only when signed in');
  return session;
}

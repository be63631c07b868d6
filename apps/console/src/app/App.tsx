/**
 * The console: sign-in, or the signed-in workspace. Each session gets its own query cache, so
 * nothing one agent saw is shown to the next one in the tab; any call answered 401 (the token
 * expired or was revoked), or a socket closed with 4001, ends the session with a message on the sign-in screen.
 */
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useMemo, type ReactNode } from 'react';
import { AgentDirectoryProvider } from '../agents/agent-directory';
import { describeFailure, SESSION_ENDED_MESSAGE, sessionEnded } from '../api/failure';
import { TalkClientProvider } from '../api/talk-client';
import { LiveSocketProvider } from '../live/live-socket';
import { SessionProvider, useSessionState } from '../session/session-context';
import { SignIn } from '../session/SignIn';
import type { Session } from '../session/session-storage';
import { Workspace } from './Workspace';

export function App(): ReactNode {
  return (
    <SessionProvider>
      <Screens />
    </SessionProvider>
  );
}

function Screens(): ReactNode {
  const { session } = useSessionState();
  return session === undefined ? <SignIn /> : <SignedIn key={session.token} session={session} />;
}

function SignedIn({ session }: { readonly session: Session }): ReactNode {
  const { signOut } = useSessionState();
  const queries = useMemo(() => {
    const onError = (error: unknown): void => {
      if (sessionEnded(error)) signOut(describeFailure(error));
    };
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: {
        queries: { staleTime: 5_000, retry: (count, error) => !sessionEnded(error) && count < 2, refetchOnWindowFocus: true },
        mutations: { retry: false },
      },
    });
  }, [signOut]);
  const socketRefused = useCallback(() => signOut(SESSION_ENDED_MESSAGE), [signOut]);

  return (
    <TalkClientProvider token={session.token}>
      <QueryClientProvider client={queries}>
        <LiveSocketProvider token={session.token} agentId={session.agent.id} onSessionEnded={socketRefused}>
          <AgentDirectoryProvider self={session.agent}>
            <Workspace />
          </AgentDirectoryProvider>
        </LiveSocketProvider>
      </QueryClientProvider>
    </TalkClientProvider>
  );
}

/**
 * The other agent of each direct talk, which a Talk does not carry. When the other agent created
 * the talk, it is the creator; when the signed-in agent did, it is read from the talk's
 * participants, but only once the talk's row has been on screen (`seen`): a long list then costs
 * a request per row the agent has looked at, not one per talk at sign-in, which the API's
 * per-agent rate limit would refuse.
 */
import { useQueries } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { Participant, Talk } from '@talk/shared/schemas';
import { useAgentDirectory } from '../agents/agent-directory';
import { useTalkClient } from '../api/talk-client';
import { talkKeys } from './talk-keys';

/** Participants of a direct talk change only by leaving: what the socket reports invalidates them. */
const PARTICIPANTS_FRESH_MS = 5 * 60_000;

export interface DirectPeers {
  /** The other agent's id; undefined for a group talk, and until it is known. */
  readonly peerOf: (talk: Talk) => string | undefined;
  /** The talk's row is on screen. */
  readonly seen: (talkId: string) => void;
}

/** The other agent of a direct talk from what is at hand: the creator, or the participants once read. */
export function directPeer(talk: Pick<Talk, 'type' | 'creator_id'>, selfId: string, participants: readonly Participant[] | undefined): string | undefined {
  if (talk.type !== 'direct') return undefined;
  if (talk.creator_id !== selfId) return talk.creator_id;
  return participants?.find((participant) => participant.agent_id !== selfId)?.agent_id;
}

export function useDirectPeers(talks: readonly Talk[]): DirectPeers {
  const { self } = useAgentDirectory();
  const { talks: api } = useTalkClient();
  const [seenIds, setSeenIds] = useState<ReadonlySet<string>>(() => new Set());
  const asked = useMemo(() => talks.filter((talk) => talk.type === 'direct' && talk.creator_id === self.id), [talks, self.id]);
  const answers = useQueries({
    queries: asked.map((talk) => ({
      queryKey: talkKeys.participants(talk.id),
      queryFn: () => api.listParticipants(talk.id),
      enabled: seenIds.has(talk.id),
      staleTime: PARTICIPANTS_FRESH_MS,
    })),
    combine: (results) => results.map((result) => result.data),
  });
  const participantsOf = useMemo(() => new Map(asked.map((talk, i) => [talk.id, answers[i]])), [asked, answers]);

  const seen = useCallback(
    (talkId: string) => setSeenIds((current) => (current.has(talkId) ? current : new Set([...current, talkId]))),
    [],
  );
  const peerOf = useCallback((talk: Talk) => directPeer(talk, self.id, participantsOf.get(talk.id)), [self.id, participantsOf]);
  return { peerOf, seen };
}

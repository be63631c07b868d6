/** Adding and removing participants; removing one's own participant is leaving. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTalkClient } from '../api/talk-client';
import { talkKeys } from '../talks/talk-keys';

export function useParticipantActions(talkId: string) {
  const { talks } = useTalkClient();
  const queries = useQueryClient();
  const refresh = (): void => {
    void queries.invalidateQueries({ queryKey: talkKeys.talk(talkId) });
    void queries.invalidateQueries({ queryKey: talkKeys.list() });
  };
  return {
    add: useMutation({ mutationFn: (agentId: string) => talks.addParticipant(talkId, agentId), onSuccess: refresh }),
    remove: useMutation({ mutationFn: (participantId: string) => talks.removeParticipant(talkId, participantId), onSuccess: refresh }),
  };
}

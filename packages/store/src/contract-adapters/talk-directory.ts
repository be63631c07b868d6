/** The talk and participant projections in contract shapes: what the API's use cases read (services/api/src/domain/ports.ts). */
import type { Participant, ParticipantStatus, Talk, TalkStatus } from '@talk/shared/schemas';
import type { TalkStore } from '../talk-store';
import { toParticipant, toStoredTalk } from '../wire';

export interface TalkDirectory {
  findTalk(customerId: string, talkId: string): Promise<Omit<Talk, 'participant_count'> | null>;
  listTalksOfAgent(
    agentId: string,
    options: { readonly status?: TalkStatus; readonly after?: { readonly tmUpdate: Date; readonly id: string }; readonly limit: number },
  ): Promise<Omit<Talk, 'participant_count'>[]>;
  countActiveParticipants(talkIds: readonly string[]): Promise<Map<string, number>>;
  findMembership(talkId: string, agentId: string): Promise<{ readonly participant: Participant; readonly leftAtSeq: number | null } | null>;
  findParticipantById(talkId: string, participantId: string): Promise<Participant | null>;
  listParticipants(talkId: string, status?: ParticipantStatus): Promise<Participant[]>;
  listActiveParticipationsOf(agentId: string): Promise<Participant[]>;
}

export function createTalkDirectory(talks: TalkStore): TalkDirectory {
  return {
    async findTalk(customerId, talkId) {
      const doc = await talks.findTalk(customerId, talkId);
      return doc === null ? null : toStoredTalk(doc);
    },
    async listTalksOfAgent(agentId, options) {
      return (await talks.listTalksOfAgent(agentId, options)).map(toStoredTalk);
    },
    countActiveParticipants: (talkIds) => talks.countActiveParticipants(talkIds),
    async findMembership(talkId, agentId) {
      const doc = await talks.findParticipant(talkId, agentId);
      return doc === null ? null : { participant: toParticipant(doc), leftAtSeq: doc.left_at_seq };
    },
    async findParticipantById(talkId, participantId) {
      const doc = await talks.findParticipantById(talkId, participantId);
      return doc === null ? null : toParticipant(doc);
    },
    async listParticipants(talkId, status) {
      return (await talks.listParticipants(talkId, status)).map(toParticipant);
    },
    async listActiveParticipationsOf(agentId) {
      return (await talks.listActiveParticipationsOf(agentId)).map(toParticipant);
    },
  };
}

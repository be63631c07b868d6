/** The talk and participant projections in contract shapes: what the API's use cases read (services/api/src/domain/ports.ts). */
import type { Participant, ParticipantStatus, SharedTalk, TalkStatus } from '@talk/shared/schemas';
import type { ParticipantDoc } from '../documents';
import type { TalkStore } from '../talk-store';
import { toParticipant, toStoredTalk } from '../wire';

type StoredTalk = Omit<SharedTalk, 'participant_count'>;

interface Membership {
  readonly participant: Participant;
  readonly leftAtSeq: number | null;
  readonly joinedSeq: number;
}

export interface TalkDirectory {
  findTalk(customerId: string, talkId: string): Promise<StoredTalk | null>;
  listTalksOfAgent(
    agentId: string,
    options: { readonly status?: TalkStatus; readonly after?: { readonly tmUpdate: Date; readonly id: string }; readonly limit: number },
  ): Promise<{ readonly talk: StoredTalk; readonly membership: Membership }[]>;
  countActiveParticipants(talkIds: readonly string[]): Promise<Map<string, number>>;
  findMembership(talkId: string, agentId: string): Promise<Membership | null>;
  findParticipantById(talkId: string, participantId: string): Promise<Participant | null>;
  listParticipants(talkId: string, status?: ParticipantStatus): Promise<Membership[]>;
  listActiveParticipationsOf(agentId: string): Promise<Membership[]>;
}

/** Participants projected before read state existed have no join seq: they count from the talk's start. */
const membershipOf = (doc: ParticipantDoc): Membership => ({ participant: toParticipant(doc), leftAtSeq: doc.left_at_seq, joinedSeq: doc.joined_seq ?? 0 });

export function createTalkDirectory(talks: TalkStore): TalkDirectory {
  return {
    async findTalk(customerId, talkId) {
      const doc = await talks.findTalk(customerId, talkId);
      return doc === null ? null : toStoredTalk(doc);
    },
    async listTalksOfAgent(agentId, options) {
      return (await talks.listTalksOfAgent(agentId, options)).map(({ talk, participant }) => ({ talk: toStoredTalk(talk), membership: membershipOf(participant) }));
    },
    countActiveParticipants: (talkIds) => talks.countActiveParticipants(talkIds),
    async findMembership(talkId, agentId) {
      const doc = await talks.findParticipant(talkId, agentId);
      return doc === null ? null : membershipOf(doc);
    },
    async findParticipantById(talkId, participantId) {
      const doc = await talks.findParticipantById(talkId, participantId);
      return doc === null ? null : toParticipant(doc);
    },
    async listParticipants(talkId, status) {
      return (await talks.listParticipants(talkId, status)).map(membershipOf);
    },
    async listActiveParticipationsOf(agentId) {
      return (await talks.listActiveParticipationsOf(agentId)).map(membershipOf);
    },
  };
}

/** Talks and their participants as projected from their events (projector.ts): what reads use. */
import type { Db } from 'mongodb';
import type { ParticipantStatus } from '@talk/shared/schemas';
import { COLLECTIONS, type ParticipantDoc, type TalkDoc } from './documents';
import { pageOfTalks, type TalkPageOptions } from './talk-pages';

export interface ParticipationDocs {
  readonly talk: TalkDoc;
  readonly participant: ParticipantDoc;
}

export interface TalkStore {
  findTalk(customerId: string, talkId: string): Promise<TalkDoc | null>;
  /** Talks the agent takes or took part in, with its participation in each, most recent activity first. */
  listTalksOfAgent(agentId: string, options: TalkPageOptions): Promise<ParticipationDocs[]>;
  /** Moves a talk's activity time forward (never back). */
  touchTalk(talkId: string, at: Date, lastMessageAt: Date | null): Promise<void>;

  findParticipant(talkId: string, agentId: string): Promise<ParticipantDoc | null>;
  findParticipantById(talkId: string, participantId: string): Promise<ParticipantDoc | null>;
  listParticipants(talkId: string, status?: ParticipantStatus): Promise<ParticipantDoc[]>;
  /** The agent's active participations in every talk. */
  listActiveParticipationsOf(agentId: string): Promise<ParticipantDoc[]>;
  /** Active participants per talk, derived on read so that the count cannot drift. */
  countActiveParticipants(talkIds: readonly string[]): Promise<Map<string, number>>;
}

export function createTalkStore(db: Db): TalkStore {
  const talks = db.collection<TalkDoc>(COLLECTIONS.talks);
  const participants = db.collection<ParticipantDoc>(COLLECTIONS.participants);

  return {
    findTalk: (customerId, talkId) => talks.findOne({ _id: talkId, customer_id: customerId }),

    async listTalksOfAgent(agentId, options) {
      const own = await participants.find({ agent_id: agentId }).toArray();
      const byTalk = new Map(own.map((participant) => [participant.talk_id, participant]));
      // One point read per talk: its cost is the agent's talks, on any server. FerretDB v1 pushes
      // only equality down, so `{_id: {$in}}` there reads every talk of every customer.
      const found = await Promise.all(own.map(({ talk_id }) => talks.findOne({ _id: talk_id })));
      const page = pageOfTalks(found.filter((talk) => talk !== null), options);
      return page.flatMap((talk) => {
        const participant = byTalk.get(talk._id);
        return participant === undefined ? [] : [{ talk, participant }];
      });
    },

    async touchTalk(talkId, at, lastMessageAt) {
      await talks.updateOne(
        { _id: talkId },
        { $max: { tm_update: at, ...(lastMessageAt === null ? {} : { last_message_at: lastMessageAt }) } },
      );
    },

    findParticipant: (talkId, agentId) => participants.findOne({ talk_id: talkId, agent_id: agentId }),
    findParticipantById: (talkId, participantId) => participants.findOne({ _id: participantId, talk_id: talkId }),
    listParticipants: (talkId, status) =>
      participants
        .find(status === undefined ? { talk_id: talkId } : { talk_id: talkId, status })
        .sort({ tm_joined: 1, _id: 1 })
        .toArray(),

    listActiveParticipationsOf: (agentId) => participants.find({ agent_id: agentId, status: 'active' }).toArray(),

    async countActiveParticipants(talkIds) {
      // A count per talk, each served by the (talk_id, agent_id) index: the cost is the talks'
      // own participants, never everyone's active participants (FerretDB v1 pushes no `$in` down).
      const counts = await Promise.all(
        talkIds.map(async (talkId) => [talkId, await participants.countDocuments({ talk_id: talkId, status: 'active' })] as const),
      );
      return new Map(counts);
    },
  };
}

/** Talks and their participants: the projections that membership decisions read. */
import type { Db } from 'mongodb';
import type { ParticipantStatus, TalkStatus } from '@talk/shared/schemas';
import { COLLECTIONS, type ParticipantDoc, type TalkDoc } from './documents';
import { isDuplicateKey } from './mongo-errors';

export interface TalkPageCursor {
  readonly tmUpdate: Date;
  readonly id: string;
}

export interface TalkStore {
  /** Inserts a talk; false when another talk holds its `pair_key` (the pair's direct talk). */
  insertTalk(talk: TalkDoc): Promise<boolean>;
  findTalkByPairKey(pairKey: string): Promise<TalkDoc | null>;
  /** Sets a talk's `pair_key`; false when another talk holds that key. */
  setPairKey(talkId: string, pairKey: string): Promise<boolean>;
  findTalk(customerId: string, talkId: string): Promise<TalkDoc | null>;
  /** Talks the agent takes or took part in, most recent activity first. */
  listTalksOfAgent(
    agentId: string,
    options: { status?: TalkStatus; after?: TalkPageCursor; limit: number },
  ): Promise<TalkDoc[]>;
  /** Moves a talk's activity time forward (never back). */
  touchTalk(talkId: string, at: Date, lastMessageAt: Date | null): Promise<void>;

  /** Inserts a first-time participant; false when the agent already has a participant in the talk. */
  insertParticipant(participant: ParticipantDoc): Promise<boolean>;
  findParticipant(talkId: string, agentId: string): Promise<ParticipantDoc | null>;
  findParticipantById(talkId: string, participantId: string): Promise<ParticipantDoc | null>;
  saveParticipant(participant: ParticipantDoc): Promise<void>;
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
    async insertTalk(talk) {
      try {
        await talks.insertOne(talk);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    findTalkByPairKey: (pairKey) => talks.findOne({ pair_key: pairKey }),
    async setPairKey(talkId, pairKey) {
      try {
        await talks.updateOne({ _id: talkId }, { $set: { pair_key: pairKey } });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    findTalk: (customerId, talkId) => talks.findOne({ _id: talkId, customer_id: customerId }),

    async listTalksOfAgent(agentId, { status, after, limit }) {
      const talkIds = await participants.distinct('talk_id', { agent_id: agentId });
      if (talkIds.length === 0) return [];
      const page = after === undefined
        ? {}
        : { $or: [{ tm_update: { $lt: after.tmUpdate } }, { tm_update: after.tmUpdate, _id: { $gt: after.id } }] };
      return talks
        .find({ _id: { $in: talkIds }, ...(status === undefined ? {} : { status }), ...page })
        .sort({ tm_update: -1, _id: 1 })
        .limit(limit)
        .toArray();
    },

    async touchTalk(talkId, at, lastMessageAt) {
      await talks.updateOne(
        { _id: talkId },
        { $max: { tm_update: at, ...(lastMessageAt === null ? {} : { last_message_at: lastMessageAt }) } },
      );
    },

    async insertParticipant(participant) {
      try {
        await participants.insertOne(participant);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    findParticipant: (talkId, agentId) => participants.findOne({ talk_id: talkId, agent_id: agentId }),
    findParticipantById: (talkId, participantId) => participants.findOne({ _id: participantId, talk_id: talkId }),
    async saveParticipant(participant) {
      await participants.replaceOne({ _id: participant._id }, participant);
    },
    listParticipants: (talkId, status) =>
      participants
        .find(status === undefined ? { talk_id: talkId } : { talk_id: talkId, status })
        .sort({ tm_joined: 1, _id: 1 })
        .toArray(),

    listActiveParticipationsOf: (agentId) => participants.find({ agent_id: agentId, status: 'active' }).toArray(),

    async countActiveParticipants(talkIds) {
      const counts = new Map<string, number>(talkIds.map((id) => [id, 0]));
      if (talkIds.length === 0) return counts;
      const rows = await participants
        .aggregate<{ _id: string; n: number }>([
          { $match: { talk_id: { $in: [...talkIds] }, status: 'active' } },
          { $group: { _id: '$talk_id', n: { $sum: 1 } } },
        ])
        .toArray();
      for (const row of rows) counts.set(row._id, row.n);
      return counts;
    },
  };
}

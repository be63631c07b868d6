/**
 * The history benchmark's own handle on its database: counting what it holds, putting the talk
 * under test back where it was, and removing the database at the end.
 *
 * Why a rewind: the small measurement's posts add messages to the talk under test, and the large
 * measurement must meet that talk exactly as the small one did (the same 100 messages, the same
 * head), or a read that grows with the talk's size would pass for one that grows with the
 * database. Deleting the events after `seq` rewinds the log, and the talk's state snapshot goes back
 * with it (talk-states.ts: a snapshot is never ahead of the log).
 */
import { MongoClient, type Db } from 'mongodb';
import { COLLECTIONS, type AgentDoc, type EventDoc, type MessageDoc } from '@talk/store/documents';
import { createTalkStates, type TalkStateDoc } from '@talk/store/write-pipeline/talk-states';

export interface HistoryDatabase {
  readonly db: Db;
  countEvents(): Promise<number>;
  findAgent(agentId: string): Promise<AgentDoc>;
  /** Removes the talk's events and messages after `seq` and sets its state snapshot back to `seq`. */
  rewindTalk(talkId: string, seq: number): Promise<void>;
  /** Drops the database and closes the connection. */
  dropAndClose(): Promise<void>;
}

export async function openHistoryDatabase(url: string, name: string): Promise<HistoryDatabase> {
  const client = await MongoClient.connect(url);
  const db = client.db(name);
  const events = db.collection<EventDoc>(COLLECTIONS.events);
  const messages = db.collection<MessageDoc>(COLLECTIONS.messages);
  const snapshots = db.collection<TalkStateDoc>(COLLECTIONS.talkStates);
  return {
    db,
    countEvents: () => events.countDocuments(),
    async findAgent(agentId) {
      const agent = await db.collection<AgentDoc>(COLLECTIONS.agents).findOne({ _id: agentId });
      if (agent === null) throw new Error(`agent ${agentId} was created but is not in the database`);
      return agent;
    },
    async rewindTalk(talkId, seq) {
      await events.deleteMany({ talk_id: talkId, seq: { $gt: seq } });
      await messages.deleteMany({ talk_id: talkId, seq: { $gt: seq } });
      await snapshots.deleteOne({ _id: talkId });
      const states = createTalkStates(db);
      await states.save(await states.current(talkId));
    },
    async dropAndClose() {
      try {
        await db.dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

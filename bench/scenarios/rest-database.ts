/**
 * The REST benchmark's own handle on its database, to put it back in the same state before every
 * measured phase and to remove it at the end.
 *
 * Why a reset: on FerretDB v1 writes get slower as collections grow (its explain of a talk's
 * newest-seq search: "Seq Scan" over the whole events collection, sortPushdown false; the write
 * path now avoids that search through each talk's head, but inserts and index upkeep still grow).
 * Without a reset, whichever phase ran later would pay for the messages of all phases before it.
 * Deleting events rewinds the talks' logs, so their state snapshots (talk-states.ts, never ahead
 * of the log) go too: the next append reads each log's end again.
 */
import { MongoClient } from 'mongodb';
import { COLLECTIONS, type EventDoc, type MessageDoc } from '@talk/store/documents';
import type { TalkStateDoc } from '@talk/store/write-pipeline/talk-states';

export interface BenchDatabase {
  /** Deletes every message and its `message_created` event; the talks and their members stay. */
  clearMessages(): Promise<void>;
  /** Messages in the database: what a phase stored. */
  countMessages(): Promise<number>;
  /** Drops the database and closes the connection. */
  dropAndClose(): Promise<void>;
}

export async function openBenchDatabase(url: string, name: string): Promise<BenchDatabase> {
  const client = await MongoClient.connect(url);
  const db = client.db(name);
  const events = db.collection<EventDoc>(COLLECTIONS.events);
  const messages = db.collection<MessageDoc>(COLLECTIONS.messages);
  const states = db.collection<TalkStateDoc>(COLLECTIONS.talkStates);
  return {
    async clearMessages() {
      await events.deleteMany({ type: 'message_created' });
      await messages.deleteMany({});
      await states.deleteMany({});
    },
    countMessages: () => messages.countDocuments(),
    async dropAndClose() {
      try {
        await db.dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

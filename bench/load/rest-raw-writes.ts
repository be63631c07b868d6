/**
 * Load process of the REST write-path benchmark: the database work of a message post, issued
 * straight through the `mongodb` driver by the same writers (same talks, one message in flight per
 * writer) against the same database — the limit a post could reach if the API cost nothing.
 *
 * One raw write is the data layer's own write path of a post, called directly: the store's
 * event log, projector and progress notes (packages/store/src/write-pipeline/recorder.ts without the publish), so
 * that the raw side always does exactly what the API does, whatever that becomes:
 *   1. event-log.ts append: the talk's state snapshot (findOne by _id) and the seq after it
 *      (findOne by talk_id and seq), the event insert under the unique (talk_id, seq) index
 *      (catching up and deciding again at a conflict), then the snapshot's replacement beside
 *   2. projector.ts apply: messages.insertOne beside the talk's activity update
 *   3. progress-notes.ts: the event's applied/published flags, written off the write's path
 * with the documents a post stores (built by the store's own draft functions).
 * Left out, and so charged to the API by the ratio: the agent read a post makes before deciding
 * (identity.ts authenticate: agents.findOne), the decision itself, the NATS publish and flush,
 * HTTP, JSON, zod validation, JWT check, rate limiting and logging.
 *
 * Beside it, the limit of a post (`insert`): one `insertOne` of the message document a post stores,
 * into the messages collection with its indexes, by the same writers. That is the least any write
 * path of a post can do; the REST ratio to it is what optimisations of the whole path are judged by.
 */
import { MongoClient, type Collection } from 'mongodb';
import { idFromKey, newId } from '@talk/shared/ids';
import { COLLECTIONS, type MessageDoc } from '@talk/store/documents';
import { messageCreatedDraft, newMessage, type UnsequencedMessage } from '@talk/decisions/drafts';
import { createProgressNotes, type ProgressNotes } from '@talk/store/write-pipeline/progress-notes';
import { createStore, type Store } from '@talk/store/store';
import { messageDocFrom } from '@talk/store/wire';
import { createLogger } from '@talk/shared/logger';
import { serveParent } from '../lib/child';
import { percentile } from '../lib/stats';
import { RawRequest, type Poster, type RawReport } from './rest-protocol';
import { messageText } from './rest-texts';

/** The message a post of `poster` stores, with the ids the API derives from a client id. */
function messageOf(poster: Poster, n: number): { readonly message: UnsequencedMessage; readonly eventId: string } {
  const clientMessageId = newId();
  const message = newMessage({
    id: idFromKey('message', poster.talkId, poster.agentId, clientMessageId),
    talkId: poster.talkId,
    type: 'normal',
    agentId: poster.agentId,
    clientMessageId,
    text: messageText(n),
    parentId: null,
    medias: [],
    mentionIds: [],
    at: new Date(),
  });
  return { message, eventId: idFromKey('message_created', poster.talkId, poster.agentId, clientMessageId) };
}

/** One message's database work, through the data layer as the API does it. */
async function writePost({ store, notes }: Writer, poster: Poster, n: number): Promise<void> {
  const { message, eventId } = messageOf(poster, n);
  const result = await store.events.append(messageCreatedDraft(message, eventId), (event) => store.projector.apply(event));
  if (result.kind !== 'recorded') throw new Error(`event ${eventId} recorded twice`);
  notes.note(result.event.id, { applied: true, published: true });
}

/** The limit a post is judged by: the one insert that storing its message needs at the least. */
async function insertMessage(messages: Collection<MessageDoc>, poster: Poster, n: number): Promise<void> {
  // The n-th message of its writer: the seq a post would get in a talk of its own.
  await messages.insertOne(messageDocFrom({ ...messageOf(poster, n).message, seq: n }));
}

interface Writer {
  readonly store: Store;
  readonly notes: ProgressNotes;
}

/** Like the HTTP run: every writer in a closed loop, `perPoster` messages each. */
async function closedLoop(
  posters: readonly Poster[],
  perPoster: number,
  writeOnce: (poster: Poster, n: number) => Promise<void>,
): Promise<{ readonly latencies: number[]; readonly seconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    posters.map(async (poster) => {
      for (let n = 1; n <= perPoster; n += 1) {
        const at = performance.now();
        await writeOnce(poster, n);
        latencies.push(performance.now() - at);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

function report({ latencies, seconds }: { readonly latencies: number[]; readonly seconds: number }): RawReport {
  return {
    writes: latencies.length,
    writesPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

async function writeRaw(store: Store, posters: readonly Poster[], perPoster: number): Promise<RawReport> {
  const writer: Writer = { store, notes: createProgressNotes(store.events, createLogger('bench-raw-writes', 'warn')) };
  const loop = await closedLoop(posters, perPoster, (poster, n) => writePost(writer, poster, n));
  // As in the API, the last notes may still be on their way when the last write answers.
  await writer.notes.close();
  return report(loop);
}

function createRawWriter(): (request: RawRequest) => Promise<object> {
  let open: { readonly client: MongoClient; readonly store: Store; readonly messages: Collection<MessageDoc> } | undefined;
  return async (request) => {
    switch (request.type) {
      case 'connect': {
        if (open !== undefined) throw new Error('already connected');
        // The API's pool size (packages/store/src/database.ts), above the writers' count: no queuing.
        const client = await MongoClient.connect(request.mongoUrl, { maxPoolSize: 50 });
        const database = client.db(request.db);
        open = { client, store: createStore(database), messages: database.collection<MessageDoc>(COLLECTIONS.messages) };
        return {};
      }
      case 'raw':
        if (open === undefined) throw new Error('connect first');
        return writeRaw(open.store, request.posters, request.perPoster);
      case 'insert': {
        if (open === undefined) throw new Error('connect first');
        const { messages } = open;
        return report(await closedLoop(request.posters, request.perPoster, (poster, n) => insertMessage(messages, poster, n)));
      }
      case 'close':
        await open?.client.close();
        open = undefined;
        return {};
    }
  };
}

serveParent(RawRequest, createRawWriter());

/**
 * Load process of the REST write-path benchmark: the database work of a message post, issued
 * straight through the `mongodb` driver by the same writers (same talks, one message in flight per
 * writer) against the same database — the limit a post could reach if the API cost nothing.
 *
 * One raw write is the data layer's own write path of a post, called directly: the store's
 * event log, projector and progress notes (packages/store/src/recorder.ts without the publish), so
 * that the raw side always does exactly what the API does, whatever that becomes:
 *   1. event-log.ts append: the talk's head (findOne by _id), the event insert under the unique
 *      (talk_id, seq) index (stepping on at a conflict), then the head update beside
 *   2. projector.ts apply: messages.insertOne beside the talk's activity update
 *   3. progress-notes.ts: the event's applied/published flags, written off the write's path
 * with the documents a post stores (built by the store's own draft functions).
 * Left out, and so charged to the API by the ratio: the three reads a post makes before writing
 * (identity.ts authenticate: agents.findOne; access.ts requireWritableTalk: talks.findOne and
 * participants.findOne), the NATS publish and flush, HTTP, JSON, zod validation, JWT check,
 * rate limiting and logging.
 */
import { MongoClient } from 'mongodb';
import { idFromKey, newId } from '@talk/shared/ids';
import { messageCreatedDraft, newMessage } from '@talk/store/drafts';
import { createProgressNotes, type ProgressNotes } from '@talk/store/progress-notes';
import { createStore, type Store } from '@talk/store/store';
import { createLogger } from '@talk/shared/logger';
import { serveParent } from '../lib/child';
import { percentile } from '../lib/stats';
import { RawRequest, type Poster, type RawReport } from './rest-protocol';
import { messageText } from './rest-texts';

/** One message's database work, through the data layer as the API does it. */
async function writeOnce({ store, notes }: Writer, poster: Poster, n: number): Promise<void> {
  const clientMessageId = newId();
  const messageId = idFromKey('message', poster.talkId, poster.agentId, clientMessageId);
  const eventId = idFromKey('message_created', poster.talkId, poster.agentId, clientMessageId);
  const draft = messageCreatedDraft(
    newMessage({
      id: messageId,
      talkId: poster.talkId,
      type: 'normal',
      agentId: poster.agentId,
      clientMessageId,
      text: messageText(n),
      parentId: null,
      medias: [],
      at: new Date(),
    }),
    eventId,
  );
  const result = await store.events.append(draft, (event) => store.projector.apply(event));
  if (result.kind !== 'recorded') throw new Error(`event ${eventId} recorded twice`);
  notes.note(result.event.id, { applied: true, published: true });
}

interface Writer {
  readonly store: Store;
  readonly notes: ProgressNotes;
}

async function writeRaw(store: Store, posters: readonly Poster[], perPoster: number): Promise<RawReport> {
  const writer: Writer = { store, notes: createProgressNotes(store.events, createLogger('bench-raw-writes', 'warn')) };
  const latencies: number[] = [];
  const started = performance.now();
  // Like the HTTP run: every writer in a closed loop, `perPoster` messages each.
  await Promise.all(
    posters.map(async (poster) => {
      for (let n = 1; n <= perPoster; n += 1) {
        const at = performance.now();
        await writeOnce(writer, poster, n);
        latencies.push(performance.now() - at);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // As in the API, the last notes may still be on their way when the last write answers.
  await writer.notes.close();
  return {
    writes: latencies.length,
    writesPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

function createRawWriter(): (request: RawRequest) => Promise<object> {
  let open: { readonly client: MongoClient; readonly store: Store } | undefined;
  return async (request) => {
    switch (request.type) {
      case 'connect': {
        if (open !== undefined) throw new Error('already connected');
        // The API's pool size (packages/store/src/database.ts), above the writers' count: no queuing.
        const client = await MongoClient.connect(request.mongoUrl, { maxPoolSize: 50 });
        const database = client.db(request.db);
        open = { client, store: createStore(database) };
        return {};
      }
      case 'raw':
        if (open === undefined) throw new Error('connect first');
        return writeRaw(open.store, request.posters, request.perPoster);
      case 'close':
        await open?.client.close();
        open = undefined;
        return {};
    }
  };
}

serveParent(RawRequest, createRawWriter());

/**
 * Load process of the REST write-path benchmark: the database work of a message post, issued
 * straight through the `mongodb` driver by the same writers (same talks, one message in flight per
 * writer) against the same database — the limit a post could reach if the API cost nothing.
 *
 * One raw write is the data layer's own write path of a post, called directly: the store's
 * event log, projector and progress note (packages/store/src/recorder.ts without the publish), so
 * that the raw side always does exactly what the API does, whatever that becomes:
 *   1. event-log.ts append: the talk's head (findOne by _id), the event insert under the unique
 *      (talk_id, seq) index (stepping on at a conflict), the head update
 *   2. projector.ts apply: messages.insertOne, the talk's activity update
 *   3. event-log.ts markProgress: the event's applied/published flags
 * with the documents a post stores (built by the store's own draft functions).
 * Left out, and so charged to the API by the ratio: the three reads a post makes before writing
 * (identity.ts authenticate: agents.findOne; access.ts requireWritableTalk: talks.findOne and
 * participants.findOne), the NATS publish and flush, HTTP, JSON, zod validation, JWT check,
 * rate limiting and logging.
 */
import { MongoClient } from 'mongodb';
import { idFromKey, newId } from '@talk/shared/ids';
import { messageCreatedDraft, newMessage } from '@talk/store/drafts';
import { createStore, type Store } from '@talk/store/store';
import { serveParent } from '../lib/child';
import { percentile } from '../lib/stats';
import { RawRequest, type Poster, type RawReport } from './rest-protocol';
import { messageText } from './rest-texts';

/** One message's database work, through the data layer as the API does it. */
async function writeOnce(store: Store, poster: Poster, n: number): Promise<void> {
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
  const result = await store.events.append(draft);
  if (result.kind !== 'recorded') throw new Error(`event ${eventId} recorded twice`);
  await store.projector.apply(result.event);
  await store.events.markProgress(result.event.id, { applied: true, published: true });
}

async function writeRaw(store: Store, posters: readonly Poster[], perPoster: number): Promise<RawReport> {
  const latencies: number[] = [];
  const started = performance.now();
  // Like the HTTP run: every writer in a closed loop, `perPoster` messages each.
  await Promise.all(
    posters.map(async (poster) => {
      for (let n = 1; n <= perPoster; n += 1) {
        const at = performance.now();
        await writeOnce(store, poster, n);
        latencies.push(performance.now() - at);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
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

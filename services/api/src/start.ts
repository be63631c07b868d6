/** Wires the API service and returns `{ port, stop() }`; tests start it in-process through here. */
import { createServer } from 'node:http';
import { connectNats, createEventPublisher, ensureEventStream } from '@talk/shared/bus';
import { stopOnce } from '@talk/shared/lifecycle';
import { closeServer, listen } from '@talk/shared/http-server';
import type { Logger } from '@talk/shared/logger';
import { createSubjects } from '@talk/shared/subjects';
import { systemClock, type Clock } from '@talk/shared/time';
import { connectDatabase, ensureIndexes } from '@talk/store/database';
import { createChangeRecorder } from '@talk/store/recorder';
import { createStore } from '@talk/store/store';
import type { ApiConfig } from './config';
import { createEvents } from './domain/events';
import { createIdentity } from './domain/identity';
import { createMessages } from './domain/messages';
import { createParticipants } from './domain/participants';
import { createTalks } from './domain/talks';
import { createApp } from './http/app';

export interface RunningApi {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startApi(config: ApiConfig, log: Logger, clock: Clock = systemClock): Promise<RunningApi> {
  const database = await connectDatabase(config.mongo.url, config.mongo.db, 'talk-api');
  await ensureIndexes(database.db);
  const nc = await connectNats(config.nats.url, 'talk-api', log);
  const subjects = createSubjects(config.nats.subjectPrefix);
  await ensureEventStream(nc, subjects);

  const store = createStore(database.db);
  const recorder = createChangeRecorder(store.events, store.projector, createEventPublisher(nc, subjects));
  const talkDeps = { store, recorder, clock };
  const app = createApp({
    log,
    readiness: async () => ({ mongo: await database.ping(), nats: !nc.isClosed() && !nc.isDraining() }),
    identity: createIdentity({
      identity: store.identity,
      clock,
      adminKey: config.adminKey,
      jwtSecret: config.jwtSecret,
      tokenTtlSeconds: config.tokenTtlSeconds,
    }),
    talks: createTalks(talkDeps),
    participants: createParticipants(talkDeps),
    messages: createMessages(talkDeps),
    events: createEvents(talkDeps),
  });

  const server = createServer(app);
  const port = await listen(server, config.port);
  log.info({ port }, 'api listening');

  return {
    port,
    stop: stopOnce(
        [
          { name: 'http', run: () => closeServer(server) },
          { name: 'nats', run: () => nc.drain() },
          { name: 'mongo', run: () => database.close() },
        ],
        log,
      ),
  };
}

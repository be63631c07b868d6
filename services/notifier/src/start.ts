/** Wires the notifier and returns `{ port, stop() }`; tests start it in-process through here. */
import { createServer } from 'node:http';
import { connectNats, createEventPublisher, ensureEventStream } from '@talk/shared/bus';
import { handleHealthRequest } from '@talk/shared/health';
import { closeServer, listen } from '@talk/shared/http-server';
import { stopOnce } from '@talk/shared/lifecycle';
import type { Logger } from '@talk/shared/logger';
import { createSubjects } from '@talk/shared/subjects';
import { systemClock, type Clock } from '@talk/shared/time';
import { connectDatabase, ensureIndexes } from '@talk/store/database';
import { createChangeRecorder } from '@talk/store/recorder';
import { createStore } from '@talk/store/store';
import { startParticipantConsumer } from './bus/participant-consumer';
import type { NotifierConfig } from './config';
import { createSystemMessages } from './domain/system-messages';

export interface RunningNotifier {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startNotifier(config: NotifierConfig, log: Logger, clock: Clock = systemClock): Promise<RunningNotifier> {
  const database = await connectDatabase(config.mongo.url, config.mongo.db, 'talk-notifier');
  await ensureIndexes(database.db);
  const nc = await connectNats(config.nats.url, 'talk-notifier', log);
  const subjects = createSubjects(config.nats.subjectPrefix);
  await ensureEventStream(nc, subjects);

  const store = createStore(database.db);
  const recorder = createChangeRecorder(store.events, store.projector, createEventPublisher(nc, subjects));
  const systemMessages = createSystemMessages({ identity: store.identity, recorder, clock });
  const consumer = await startParticipantConsumer(
    nc,
    subjects,
    config.durableName,
    async (event, eventLog, requestId) => {
      const outcome = await systemMessages.onParticipantEvent(event, eventLog, requestId);
      eventLog.info({ messageId: outcome.message.id, outcome: outcome.kind }, 'system message');
    },
    log,
  );

  const readiness = async () => ({ mongo: await database.ping(), nats: !nc.isClosed() && !nc.isDraining() });
  const server = createServer((req, res) => {
    if (handleHealthRequest(req, res, readiness)) return;
    res.writeHead(404).end();
  });
  const port = await listen(server, config.port);
  log.info({ port, durable: config.durableName }, 'notifier consuming participant events');

  return {
    port,
    stop: stopOnce(
        [
          { name: 'consumer', run: () => consumer.stop() },
          { name: 'http', run: () => closeServer(server) },
          { name: 'nats', run: () => nc.drain() },
          { name: 'mongo', run: () => database.close() },
        ],
        log,
      ),
  };
}

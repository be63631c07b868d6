/** Wires the notifier and returns `{ port, stop() }`; tests start it in-process through here. */
import { createServer } from 'node:http';
import { handleHealthRequest } from '@talk/shared/health';
import { closeServer, listen } from '@talk/shared/http-server';
import { stopOnce } from '@talk/shared/lifecycle';
import type { Logger } from '@talk/shared/logger';
import { systemClock, type Clock } from '@talk/shared/time';
import { openDataPlane } from '@talk/store/data-plane';
import { startParticipantConsumer } from './bus/participant-consumer';
import type { NotifierConfig } from './config';
import { createSystemMessages } from './domain/system-messages';

export interface RunningNotifier {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startNotifier(config: NotifierConfig, log: Logger, clock: Clock = systemClock): Promise<RunningNotifier> {
  const plane = await openDataPlane(config, 'talk-notifier', log);
  const systemMessages = createSystemMessages({ identity: plane.store.identity, recorder: plane.recorder, clock });
  const consumer = await startParticipantConsumer(
    plane.nc,
    plane.subjects,
    config.durableName,
    async (event, eventLog, requestId) => {
      const outcome = await systemMessages.onParticipantEvent(event, eventLog, requestId);
      eventLog.info({ messageId: outcome.message.id, outcome: outcome.kind }, 'system message');
    },
    log,
  );

  const server = createServer((req, res) => {
    if (handleHealthRequest(req, res, plane.readiness)) return;
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
          ...plane.stopSteps,
        ],
        log,
      ),
  };
}

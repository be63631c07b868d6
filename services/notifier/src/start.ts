/** Wires the notifier and returns `{ port, ready, stop() }`; tests start it in-process through here. */
import { createServer } from 'node:http';
import { handleHealthRequest } from '@talk/shared/health';
import { closeServer, listen } from '@talk/shared/http-server';
import { stopOnce } from '@talk/shared/lifecycle';
import type { Logger } from '@talk/shared/logger';
import { systemClock, type Clock } from '@talk/shared/time';
import { startDataPlane } from '@talk/runtime/data-plane';
import { retryUntilDone } from '@talk/shared/retry';
import { createAgentDirectory } from '@talk/store/contract-adapters/identity-directory';
import { startParticipantConsumer, type ParticipantConsumer, type ParticipantEventHandler } from './bus/participant-consumer';
import type { NotifierConfig } from './config';
import { createSystemMessages } from './domain/system-messages';

export interface RunningNotifier {
  readonly port: number;
  /** Settles once the notifier consumes participant events (or start-up was abandoned). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/** Listens at once for health checks; consumes once MongoDB and NATS answer. */
export async function startNotifier(config: NotifierConfig, log: Logger, clock: Clock = systemClock): Promise<RunningNotifier> {
  let consumer: ParticipantConsumer | undefined;
  const plane = startDataPlane(config, 'talk-notifier', log, async ({ store, recorder, nc, subjects }, signal) => {
    const systemMessages = createSystemMessages({ identity: createAgentDirectory(store.identity), recorder, clock });
    const handle: ParticipantEventHandler = async (event, eventLog, requestId) => {
      const outcome = await systemMessages.onParticipantEvent(event, eventLog, requestId);
      eventLog.info({ messageId: outcome.message.id, outcome: outcome.kind }, 'system message');
    };
    consumer = await retryUntilDone(
      'the participant event consumer',
      () => startParticipantConsumer(nc, subjects, config.durableName, handle, log),
      log,
      signal,
    );
    log.info({ durable: config.durableName }, 'consuming participant events');
  });

  const server = createServer((req, res) => {
    if (handleHealthRequest(req, res, () => plane.readiness())) return;
    res.writeHead(404).end();
  });
  const port = await listen(server, config.port);
  log.info({ port }, 'notifier listening');

  return {
    port,
    ready: plane.ready,
    stop: stopOnce(
      [
        plane.abandonStartup,
        { name: 'consumer', run: () => consumer?.stop() ?? Promise.resolve() },
        { name: 'http', run: () => closeServer(server) },
        ...plane.closeSteps,
      ],
      log,
    ),
  };
}

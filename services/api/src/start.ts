/** Wires the API service and returns `{ port, stop() }`; tests start it in-process through here. */
import { createServer } from 'node:http';
import { stopOnce } from '@talk/shared/lifecycle';
import { closeServer, listen } from '@talk/shared/http-server';
import type { Logger } from '@talk/shared/logger';
import { systemClock, type Clock } from '@talk/shared/time';
import { openDataPlane } from '@talk/store/data-plane';
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
  const plane = await openDataPlane(config, 'talk-api', log);
  const { store } = plane;
  const talkDeps = { store, recorder: plane.recorder, clock };
  const app = createApp({
    log,
    readiness: plane.readiness,
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
          ...plane.stopSteps,
        ],
        log,
      ),
  };
}

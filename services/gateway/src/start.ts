/** Wires the gateway and returns `{ port, stop() }`; tests start it in-process through here. */
import { createServer } from 'node:http';
import { handleHealthRequest } from '@talk/shared/health';
import { closeServer, listen } from '@talk/shared/http-server';
import { stopOnce } from '@talk/shared/lifecycle';
import type { Logger } from '@talk/shared/logger';
import { systemClock, type Clock } from '@talk/shared/time';
import { openDataPlane } from '@talk/store/data-plane';
import { createAgentFeed } from './bus/agent-feed';
import { createTalkFeed } from './bus/talk-feed';
import type { GatewayConfig } from './config';
import { createAccess } from './domain/access';
import { attachWsEndpoint } from './ws/server';

export interface RunningGateway {
  readonly port: number;
  connectionCount(): number;
  /** Talks this process holds a NATS subscription for (one per talk, shared by its connections). */
  talkSubscriptionCount(): number;
  stop(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, log: Logger, clock: Clock = systemClock): Promise<RunningGateway> {
  const plane = await openDataPlane(config, 'talk-gateway', log);
  const { store, nc, subjects } = plane;
  const talkFeed = createTalkFeed(nc, subjects, store.events, log);
  const agentFeed = createAgentFeed(nc, subjects, log);

  const server = createServer((req, res) => {
    if (handleHealthRequest(req, res, plane.readiness)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { status: 404, code: 'NOT_FOUND', message: 'the gateway serves /v1.0/ws, /healthz and /readyz only' } }));
  });
  const endpoint = attachWsEndpoint(server, {
    access: createAccess({ identity: store.identity, talks: store.talks, jwtSecret: config.jwtSecret, clock }),
    talkFeed,
    agentFeed,
    events: store.events,
    log,
    clock,
    maxSubscriptions: config.ws.maxSubscriptions,
    maxBufferedBytes: config.ws.maxBufferedBytes,
    pingIntervalMs: config.ws.pingIntervalMs,
  });
  const port = await listen(server, config.port);
  log.info({ port }, 'gateway listening');

  return {
    port,
    connectionCount: () => endpoint.connectionCount(),
    talkSubscriptionCount: () => talkFeed.talkCount(),
    stop: stopOnce(
        [
          { name: 'http', run: async () => {
            const closing = closeServer(server);
            await endpoint.close();
            await closing;
          } },
          {
            name: 'feeds',
            run: () => {
              talkFeed.close();
              agentFeed.close();
              return Promise.resolve();
            },
          },
          ...plane.stopSteps,
        ],
        log,
      ),
  };
}

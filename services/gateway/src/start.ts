/** Wires the gateway and returns `{ port, ready, stop() }`; tests start it in-process through here. */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { handleHealthRequest } from '@talk/shared/health';
import { closeServer, listen } from '@talk/shared/http-server';
import { stopOnce } from '@talk/shared/lifecycle';
import type { Logger } from '@talk/shared/logger';
import { systemClock, type Clock } from '@talk/shared/time';
import { startDataPlane } from '@talk/runtime/data-plane';
import { createAgentDirectory } from '@talk/store/contract-adapters/identity-directory';
import { createTalkDirectory } from '@talk/store/contract-adapters/talk-directory';
import { createAgentFeed, type AgentFeed } from './bus/agent-feed';
import { createTalkFeed, type TalkFeed } from './bus/talk-feed';
import { createTypingPublisher } from './bus/typing';
import type { GatewayConfig } from './config';
import { createAccess } from './domain/access';
import { createSlots } from '@talk/shared/slots';
import { createWsEndpoint, refuseUpgrade, type WsEndpoint } from './ws/server';

export interface RunningGateway {
  readonly port: number;
  /** Settles once MongoDB and NATS are up and the gateway accepts WebSockets (or start-up was abandoned). */
  readonly ready: Promise<void>;
  connectionCount(): number;
  /** Talks this process holds a NATS subscription for (one per talk, shared by its connections). */
  talkSubscriptionCount(): number;
  /** Connections closed with 4008 (too slow) since start. */
  tooSlowCount(): number;
  stop(): Promise<void>;
}

interface Serving {
  readonly endpoint: WsEndpoint;
  readonly talkFeed: TalkFeed;
  readonly agentFeed: AgentFeed;
}

/** Listens at once: until MongoDB and NATS answer, `/readyz` and WebSocket upgrades get 503. */
export async function startGateway(config: GatewayConfig, log: Logger, clock: Clock = systemClock): Promise<RunningGateway> {
  let serving: Serving | undefined;
  const plane = startDataPlane(config, 'talk-gateway', log, ({ store, nc, subjects }) => {
    const talkFeed = createTalkFeed(nc, subjects, store.events, log);
    const agentFeed = createAgentFeed(nc, subjects, log);
    const typing = createTypingPublisher(nc, subjects);
    const endpoint = createWsEndpoint({
      access: createAccess({ identity: createAgentDirectory(store.identity), talks: createTalkDirectory(store.talks), jwtSecret: config.jwtSecret, clock }),
      talkFeed,
      agentFeed,
      typing,
      events: store.events,
      log,
      clock,
      maxSubscriptions: config.ws.maxSubscriptions,
      maxBufferedBytes: config.ws.maxBufferedBytes,
      replayPageEvents: config.ws.replayPageEvents,
      processReplays: createSlots(config.ws.maxReplays),
      framesPerSecond: config.ws.framesPerSecond,
      maxConnections: config.ws.maxConnections,
      maxConnectionsPerAgent: config.ws.maxConnectionsPerAgent,
      pingIntervalMs: config.ws.pingIntervalMs,
      authRecheckMs: config.ws.authRecheckMs,
    });
    serving = { endpoint, talkFeed, agentFeed };
    return Promise.resolve();
  }, { records: false });

  const server = createServer((req, res) => {
    if (handleHealthRequest(req, res, () => plane.readiness())) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { status: 404, code: 'NOT_FOUND', message: 'the gateway serves /v1.0/ws, /healthz and /readyz only' } }));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (serving === undefined) refuseUpgrade(socket, '503 Service Unavailable');
    else serving.endpoint.handleUpgrade(req, socket, head);
  });
  const port = await listen(server, config.port);
  log.info({ port }, 'gateway listening');

  return {
    port,
    ready: plane.ready,
    connectionCount: () => serving?.endpoint.connectionCount() ?? 0,
    talkSubscriptionCount: () => serving?.talkFeed.talkCount() ?? 0,
    tooSlowCount: () => serving?.endpoint.tooSlowCount() ?? 0,
    stop: stopOnce(
      [
        plane.abandonStartup,
        {
          name: 'http',
          run: async () => {
            const closing = closeServer(server);
            await serving?.endpoint.close();
            await closing;
          },
        },
        {
          name: 'feeds',
          run: () => {
            serving?.talkFeed.close();
            serving?.agentFeed.close();
            return Promise.resolve();
          },
        },
        ...plane.closeSteps,
      ],
      log,
    ),
  };
}

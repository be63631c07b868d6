/** Wires the gateway and returns `{ port, ready, stop() }`; tests start it in-process through here. */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { handleHealthRequest } from '@talk/shared/health';
import { closeServer, listen } from '@talk/shared/http-server';
import { stopOnce } from '@talk/shared/lifecycle';
import type { Logger } from '@talk/shared/logger';
import { systemClock, type Clock } from '@talk/shared/time';
import { startDataPlane } from '@talk/runtime/data-plane';
import { newPresenceId, openPresenceBucket, openPresenceView, presenceKeys, type PresenceView } from '@talk/runtime/nats-presence';
import { createAgentDirectory } from '@talk/store/contract-adapters/identity-directory';
import { createTalkDirectory } from '@talk/store/contract-adapters/talk-directory';
import { createAgentFeed, type AgentFeed } from './bus/agent-feed';
import { createPresenceFeed, type PresenceFeed } from './bus/presence-feed';
import { startPresencePublisher, type PresencePublisher } from './bus/presence-publisher';
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
  /** Agents followed by this gateway's connections' presence subscriptions. */
  presenceFollowedCount(): number;
  stop(): Promise<void>;
}

interface Serving {
  readonly endpoint: WsEndpoint;
  readonly talkFeed: TalkFeed;
  readonly agentFeed: AgentFeed;
  readonly presenceView: PresenceView;
  readonly presencePublisher: PresencePublisher;
  readonly presenceFeed: PresenceFeed;
}

/** Listens at once: until MongoDB and NATS answer, `/readyz` and WebSocket upgrades get 503. */
export async function startGateway(config: GatewayConfig, log: Logger, clock: Clock = systemClock): Promise<RunningGateway> {
  let serving: Serving | undefined;
  const plane = startDataPlane(config, 'talk-gateway', log, async ({ store, nc, subjects }) => {
    const kv = await openPresenceBucket(nc, subjects.presenceBucket, config.presence);
    const gatewayId = newPresenceId();
    const { timeoutMs, sweepMs } = config.presence;
    const presenceView = await openPresenceView(kv, { timeoutMs, sweepMs, clockKey: presenceKeys.beat(gatewayId) }, log);
    const presencePublisher = await startPresencePublisher({ kv, view: presenceView, gatewayId, config: config.presence, log });
    const presenceFeed = createPresenceFeed(presenceView);
    log.info({ gatewayId }, 'presence heartbeat started');
    const talkFeed = createTalkFeed(nc, subjects, store.events, log);
    const agentFeed = createAgentFeed(nc, subjects, log);
    const typing = createTypingPublisher(nc, subjects);
    const endpoint = createWsEndpoint({
      access: createAccess({ identity: createAgentDirectory(store.identity), talks: createTalkDirectory(store.talks), jwtSecret: config.jwtSecret, clock }),
      talkFeed,
      agentFeed,
      typing,
      presence: presenceFeed,
      presenceOf: presencePublisher,
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
    serving = { endpoint, talkFeed, agentFeed, presenceView, presencePublisher, presenceFeed };
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
    presenceFollowedCount: () => serving?.presenceFeed.followedCount() ?? 0,
    stop: stopOnce(
      [
        plane.abandonStartup,
        // Before the sockets close: their closes must not remove this gateway's presence entries,
        // which the other processes age out after PRESENCE_TIMEOUT_MS (agents reconnecting
        // elsewhere meanwhile never read offline).
        { name: 'presence heartbeat', run: () => serving?.presencePublisher.stop() ?? Promise.resolve() },
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
            serving?.presenceFeed.close();
            return Promise.resolve();
          },
        },
        { name: 'presence view', run: () => serving?.presenceView.close() ?? Promise.resolve() },
        ...plane.closeSteps,
      ],
      log,
    ),
  };
}

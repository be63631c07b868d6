/** Wires the API service and returns `{ port, ready, stop() }`; tests start it in-process through here. */
import { createServer } from 'node:http';
import type { Express } from 'express';
import { handleHealthRequest } from '@talk/shared/health';
import { stopOnce } from '@talk/shared/lifecycle';
import { closeServer, listen } from '@talk/shared/http-server';
import type { Logger } from '@talk/shared/logger';
import { systemClock, type Clock } from '@talk/shared/time';
import { createAgentDirectory, createCustomerDirectory } from '@talk/store/contract-adapters/identity-directory';
import { createMessageDirectory } from '@talk/store/contract-adapters/message-directory';
import { createReadStateDirectory } from '@talk/store/contract-adapters/read-state-directory';
import { createTalkDirectory } from '@talk/store/contract-adapters/talk-directory';
import { createReadNoticePublisher } from '@talk/shared/read-notices';
import { startDataPlane } from '@talk/runtime/data-plane';
import { openNatsSharedRecords } from '@talk/runtime/nats-shared-records';
import { openPresenceBucket, openPresenceView, writePresenceFlag, type PresenceView } from '@talk/runtime/nats-presence';
import type { ApiConfig } from './config';
import { createAgentDeactivation } from './domain/agent-deactivation';
import { createCredentialGuard } from './domain/credential-guard';
import type { TalkDeps } from './domain/context';
import { createEvents } from './domain/events';
import { createIdentity } from './domain/identity';
import { createMessageChanges } from './domain/message-changes';
import { createMessages } from './domain/messages';
import { createParticipants } from './domain/participants';
import { createPresence } from './domain/presence';
import { createRateLimiter } from './domain/rate-limit';
import { createReactions } from './domain/reactions';
import { createReadState } from './domain/read-state';
import { createTalkLifecycle } from './domain/talk-lifecycle';
import { createTalks } from './domain/talks';
import { createApp } from './http/app';
import { answerUnparsableRequest, respondStarting } from './http/errors';

export interface RunningApi {
  readonly port: number;
  /** Settles once MongoDB and NATS are up and the API serves requests (or start-up was abandoned). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Listens at once: until MongoDB and NATS answer, `/readyz` is 503 and every other request gets
 * 503 UNAVAILABLE; then the API serves.
 */
export async function startApi(config: ApiConfig, log: Logger, clock: Clock = systemClock): Promise<RunningApi> {
  let app: Express | undefined;
  let presenceView: PresenceView | undefined;
  const plane = startDataPlane(config, 'talk-api', log, async ({ store, recorder, nc, subjects }) => {
    const sharedRecords = await openNatsSharedRecords(nc, subjects.sharedRecordsBucket, config.sharedRecordsMaxBytes, log);
    const agents = createAgentDirectory(store.identity);
    const presenceBucket = await openPresenceBucket(nc, subjects.presenceBucket, config.presence);
    const view = await openPresenceView(presenceBucket, { timeoutMs: config.presence.timeoutMs, sweepMs: config.presence.sweepMs }, log);
    presenceView = view;
    const talkDeps: TalkDeps = {
      talks: createTalkDirectory(store.talks),
      agents,
      messages: createMessageDirectory(store.messages, store.messageViews),
      events: store.events,
      pairClaims: store.pairClaims,
      recorder,
      readStates: createReadStateDirectory(store.readStates),
      readNotices: createReadNoticePublisher(nc, subjects),
      clock,
    };
    app = createApp({
      log,
      limiter: createRateLimiter(sharedRecords, config.rateLimit),
      trustProxy: config.trustProxy,
      deactivation: createAgentDeactivation(talkDeps),
      readiness: () => plane.readiness(),
      identity: createIdentity({
        customers: createCustomerDirectory(store.identity),
        agents,
        clock,
        adminKey: config.adminKey,
        jwtSecret: config.jwtSecret,
        tokenTtlSeconds: config.tokenTtlSeconds,
        guard: createCredentialGuard(sharedRecords, config.credentials),
      }),
      talks: createTalks(talkDeps),
      lifecycle: createTalkLifecycle(talkDeps),
      participants: createParticipants(talkDeps),
      messages: createMessages(talkDeps),
      messageChanges: createMessageChanges(talkDeps),
      reactions: createReactions(talkDeps),
      events: createEvents(talkDeps),
      readState: createReadState(talkDeps),
      presence: createPresence({
        agents,
        presence: {
          presenceOf: (agentId) => view.presenceOf(agentId),
          setStatus: (agentId, status) => writePresenceFlag(presenceBucket, view, agentId, status),
        },
      }),
    });
  });

  const server = createServer((req, res) => {
    if (app !== undefined) app(req, res);
    else if (!handleHealthRequest(req, res, () => plane.readiness())) respondStarting(res);
  });
  server.on('clientError', answerUnparsableRequest);
  const port = await listen(server, config.port);
  log.info({ port }, 'api listening');

  return {
    port,
    ready: plane.ready,
    stop: stopOnce(
      [
        plane.abandonStartup,
        { name: 'http', run: () => closeServer(server) },
        { name: 'presence view', run: () => presenceView?.close() ?? Promise.resolve() },
        ...plane.closeSteps,
      ],
      log,
    ),
  };
}

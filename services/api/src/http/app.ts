import { isUtf8 } from 'node:buffer';
import express, { type Express } from 'express';
import { AppError } from '@talk/shared/errors';
import type { Logger } from '@talk/shared/logger';
import { handleHealthRequest, type ReadinessProbe } from '@talk/shared/health';
import { LIMITS } from '@talk/shared/schemas';
import type { AgentDeactivation } from '../domain/agent-deactivation';
import type { Events } from '../domain/events';
import type { Identity } from '../domain/identity';
import type { RateLimiter } from '../domain/rate-limit';
import type { MessageChanges } from '../domain/message-changes';
import type { Messages } from '../domain/messages';
import type { Participants } from '../domain/participants';
import type { PresenceUseCases } from '../domain/presence';
import type { Reactions } from '../domain/reactions';
import type { ReadStateUseCases } from '../domain/read-state';
import type { TalkLifecycle } from '../domain/talk-lifecycle';
import type { Talks } from '../domain/talks';
import { requireAgent } from './auth';
import { firstDuplicateKey } from './duplicate-keys';
import { ROUTES } from './catalogue';
import { serveDocs } from './docs-page';
import { buildOpenApiDocument } from './openapi';
import { on } from './register';
import { errorHandler, unknownRoute } from './errors';
import { requestContextMiddleware } from './request-context';
import { identityRoutes } from './routes/identity-routes';
import { messageRoutes } from './routes/message-routes';
import { readRoutes } from './routes/read-routes';
import { presenceRoutes } from './routes/presence-routes';
import { talkRoutes } from './routes/talk-routes';

export interface AppDeps {
  readonly log: Logger;
  readonly readiness: ReadinessProbe;
  readonly identity: Identity;
  readonly deactivation: AgentDeactivation;
  readonly limiter: RateLimiter;
  /** Express's `trust proxy`: the proxies whose `X-Forwarded-For` names the client (comma-separated addresses, CIDRs or names like `loopback`). */
  readonly trustProxy: string | false;
  readonly talks: Talks;
  readonly lifecycle: TalkLifecycle;
  readonly participants: Participants;
  readonly messages: Messages;
  readonly messageChanges: MessageChanges;
  readonly reactions: Reactions;
  readonly events: Events;
  readonly readState: ReadStateUseCases;
  readonly presence: PresenceUseCases;
}

/** Paths of absurd nesting are cut in the error: the message says where, not all of it. */
const MAX_PATH_CHARS = 200;

/**
 * A body that is not valid UTF-8 is refused whole, never read with replacement characters; one
 * with a key twice in an object is refused rather than read as its last value (duplicate-keys.ts).
 */
function refuseAmbiguousBody(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw new AppError('INVALID_ARGUMENT', 'the request body is not valid UTF-8');
  const duplicate = firstDuplicateKey(body.toString('utf8'));
  if (duplicate === null) return;
  const field = duplicate.length > MAX_PATH_CHARS ? `…${duplicate.slice(-MAX_PATH_CHARS)}` : duplicate;
  const problem = 'appears twice in one object; send each key once';
  throw new AppError('INVALID_ARGUMENT', `invalid body: ${field || '(key)'} ${problem}`, { fields: [{ field: field || 'body', problem }] });
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy);
  app.use((req, res, next) => {
    if (!handleHealthRequest(req, res, deps.readiness)) next();
  });
  app.use(requestContextMiddleware(deps.log));
  app.use(express.json({ limit: LIMITS.bodyMaxBytes, strict: true, type: () => true, verify: refuseAmbiguousBody }));

  const openApi = JSON.stringify(buildOpenApiDocument());
  serveDocs(app);

  const v1 = express.Router();
  on(v1, ROUTES.openApi, (_req, res) => {
    res.type('json').send(openApi);
  });
  v1.use(identityRoutes(deps.identity, deps.deactivation, deps.limiter));
  v1.use(requireAgent(deps.identity, deps.limiter));
  v1.use(talkRoutes(deps));
  v1.use(messageRoutes(deps.messages, deps.messageChanges, deps.reactions));
  v1.use(readRoutes(deps.readState, deps.messages));
  v1.use(presenceRoutes(deps.presence));
  app.use('/v1.0', v1);

  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}

/** Agent authentication: `?token=` (as in the seed's curl lines) or `Authorization: Bearer`. */
import type { Request, RequestHandler } from 'express';
import type { Caller } from '../domain/caller';
import type { RequestContext } from '../domain/context';
import type { Identity } from '../domain/identity';
import type { RateLimiter } from '../domain/rate-limit';
import { AppError } from '@talk/shared/errors';
import { requestContextOf } from './request-context';

const callers = new WeakMap<Request, Caller>();

function tokenOf(req: Request): string | undefined {
  const header = req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  const query = req.query['token'];
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/** Authenticates the agent, then charges its token bucket (shared by the replicas): 429 with Retry-After when empty. */
export async function authenticateAgent(identity: Identity, limiter: RateLimiter, req: Request): Promise<Caller> {
  const caller = await identity.authenticate(tokenOf(req));
  const decision = await limiter.take(`agent.${caller.agentId}`);
  if (!decision.allowed) {
    throw new AppError('RATE_LIMITED', `too many requests from this agent; retry in ${decision.retryAfterSeconds} s`, {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
  return caller;
}

/** `authenticateAgent` for every route after it. */
export function requireAgent(identity: Identity, limiter: RateLimiter): RequestHandler {
  return async (req, _res, next) => {
    callers.set(req, await authenticateAgent(identity, limiter, req));
    next();
  };
}

/** The domain's view of an authenticated request. */
export function agentContextOf(req: Request): RequestContext {
  const caller = callers.get(req);
  if (caller === undefined) throw new Error('requireAgent did not run for this route');
  const { log, requestId } = requestContextOf(req);
  return { caller, log: log.child({ agentId: caller.agentId }), requestId };
}

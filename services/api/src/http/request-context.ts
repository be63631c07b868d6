/** Per-request id and logger, kept beside the request without widening Express's types. */
import type { Request, RequestHandler } from 'express';
import { newId } from '@talk/shared/ids';
import { loggableUrl, type Logger } from '@talk/shared/logger';

export interface HttpContext {
  readonly requestId: string;
  readonly log: Logger;
}

const contexts = new WeakMap<Request, HttpContext>();

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** `res.locals` key of the error code of a refused request, for its log line. */
export const REFUSAL_CODE = 'refusalCode';

export function requestContextMiddleware(root: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.header('x-request-id');
    const requestId = given !== undefined && REQUEST_ID.test(given) ? given : newId();
    const log = root.child({ requestId });
    contexts.set(req, { requestId, log });
    res.setHeader('x-request-id', requestId);
    // The query as parsed, never the raw text: a secret is found however its key is encoded.
    // `originalUrl`'s path: routers mounted under a prefix change `req.path` while they run.
    const url = (): string => loggableUrl(req.originalUrl.split('?')[0] ?? '', req.query);
    log.debug({ method: req.method, url: url() }, 'request started');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const code: unknown = res.locals[REFUSAL_CODE];
      log.info({ method: req.method, url: url(), status: res.statusCode, ms, ...(typeof code === 'string' ? { code } : {}) }, 'request');
    });
    next();
  };
}

export function requestContextOf(req: Request): HttpContext {
  const context = contexts.get(req);
  if (context === undefined) throw new Error('request context middleware did not run');
  return context;
}

/**
 * The client's address: the socket's peer, or the address a trusted proxy (`TRUST_PROXY`, e.g.
 * the load balancer) put in `X-Forwarded-For`. Rate limits of sign-in attempts are keyed on it.
 */
export const clientAddressOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Maps every error to the contract's envelope (the REST contract (the OpenAPI document at /docs)); never a 500 for bad input. */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { newId } from '@talk/shared/ids';
import { AppError, isAppError, type ErrorCode } from '@talk/shared/errors';
import { isUnavailable } from '@talk/store/mongo-errors';
import { REFUSAL_CODE, requestContextOf } from './request-context';

export const HTTP_STATUS = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  TALK_CLOSED: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

interface BodyParserError {
  readonly type: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string';
}

/**
 * What the body parser passes on from a stream under it, a gzip or deflate body that does not
 * decompress (`Content-Encoding: gzip` on plain bytes, or on no bytes): the stream's own error,
 * marked as the client's fault (`status` 400, `expose`) but of no body-parser `type`.
 */
function isUnreadableBody(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && error.status === 400 && 'expose' in error && error.expose === true;
}

/** Turns what a handler threw into an AppError; unexpected errors become INTERNAL. */
function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'the request body is over 64 KiB');
    if (error.type === 'entity.parse.failed') return new AppError('INVALID_ARGUMENT', 'the request body is not valid JSON');
    return new AppError('INVALID_ARGUMENT', `the request body could not be read (${error.type})`);
  }
  if (isUnreadableBody(error)) {
    return new AppError('INVALID_ARGUMENT', 'the request body could not be read: it does not match its Content-Encoding; send it as is, or compressed as the header says', {}, { cause: error });
  }
  // The router decodes path parameters before any handler runs: `%ZZ` is a URIError there.
  if (error instanceof URIError) {
    return new AppError('INVALID_ARGUMENT', 'a path parameter is not valid percent-encoding (like %ZZ); encode it with encodeURIComponent', {}, { cause: error });
  }
  if (isUnavailable(error)) return new AppError('UNAVAILABLE', 'the database is unreachable; try again shortly', {}, { cause: error });
  return new AppError('INTERNAL', 'an unexpected error occurred; it has been logged', {}, { cause: error });
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const appError = toAppError(error);
  const { log, requestId } = requestContextOf(req);
  const status = HTTP_STATUS[appError.code];
  if (appError.code === 'INTERNAL') log.error({ err: error }, 'request failed');
  else if (appError.code === 'UNAVAILABLE') log.warn({ err: appError }, 'request failed: a dependency is unavailable');
  // A refusal is logged once, in the request's own line (request-context.ts): a flood of refused
  // requests costs one log line each.
  else res.locals[REFUSAL_CODE] = appError.code;
  if (appError.details.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(appError.details.retryAfterSeconds));
  res.status(status).json({
    error: {
      status,
      code: appError.code,
      message: appError.message,
      request_id: requestId,
      ...(appError.details.fields === undefined ? {} : { details: appError.details.fields }),
    },
  });
};

/** The answer to every request while the API waits for MongoDB and NATS at start-up. */
export function respondStarting(res: ServerResponse): void {
  const status = HTTP_STATUS.UNAVAILABLE;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
  res.end(
    JSON.stringify({
      error: {
        status,
        code: 'UNAVAILABLE',
        message: 'the API is starting and waits for MongoDB and NATS; try again shortly',
        request_id: newId(),
      },
    }),
  );
}

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`));
};

/**
 * The answer to a request Node's HTTP parser refuses before any handler runs (a request line and
 * headers over 16 KiB, a method or header line that is not HTTP): the contract's envelope with 400,
 * instead of Node's bare 400 or 431, and the connection closed. `server.on('clientError', …)`.
 */
export function answerUnparsableRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const message =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'the request line and headers are over 16 KiB; send long values in the body'
      : 'the request is not valid HTTP/1.1';
  const status = HTTP_STATUS.INVALID_ARGUMENT;
  const body = JSON.stringify({ error: { status, code: 'INVALID_ARGUMENT', message, request_id: newId() } });
  socket.end(
    `HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

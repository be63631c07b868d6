import { MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { AppError } from '@talk/shared/errors';

const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  if (!(error instanceof MongoError)) return false;
  // FerretDB v1 reports a unique-index violation by an update as an untyped error that carries
  // PostgreSQL's message (SQLSTATE 23505) instead of code 11000.
  return error.code === DUPLICATE_KEY || /duplicate key value violates unique constraint/.test(error.message);
}

const NETWORK_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Errors that mean "the database cannot be reached right now": 503 at the edge. Besides the
 * driver's network errors, a socket error can surface as is (seen: EPIPE when the server's end of
 * a pooled connection went away mid-request).
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  // Duck-typed: Node's own errors may come from another realm (jest's sandbox), failing instanceof.
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && NETWORK_CODES.has(error.code);
}

/** Runs a database call and turns "cannot reach MongoDB" into the contract's `UNAVAILABLE`. */
export async function guardUnavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isUnavailable(error)) {
      throw new AppError('UNAVAILABLE', 'the database is unreachable; nothing was changed, try again shortly', {}, { cause: error });
    }
    throw error;
  }
}

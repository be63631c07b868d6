/**
 * What a frame that failed tells the client: the domain's own code; UNAVAILABLE when MongoDB or
 * NATS is away for the moment, which the reference client answers by subscribing again after a
 * pause; INTERNAL for anything else, which is a bug and logged as one.
 */
import { isBusUnavailable } from '@talk/shared/bus';
import { AppError, isAppError } from '@talk/shared/errors';
import { isUnavailable } from '@talk/store/mongo-errors';

export function frameErrorOf(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (isUnavailable(error) || isBusUnavailable(error)) {
    return new AppError('UNAVAILABLE', 'the gateway cannot reach its database or NATS right now; try again shortly', {}, { cause: error });
  }
  return new AppError('INTERNAL', 'the request failed unexpectedly; try again', {}, { cause: error });
}

/**
 * The one error vocabulary of Talk. The domain throws `AppError`; every edge maps the code once
 * (HTTP status in the API, an `error` frame in the gateway, drop/retry in the notifier).
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'TALK_CLOSED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where a validation problem was found: a field path and what is wrong with it. */
export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export interface ErrorDetails {
  readonly fields?: readonly FieldProblem[];
  readonly retryAfterSeconds?: number;
}

export class AppError extends Error {
  override readonly name = 'AppError';

  /** `options.cause`: the error this one stands for (a driver's, say), kept for the logs. */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options: { readonly cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} was not found`);

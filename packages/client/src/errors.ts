/** What a Talk call can fail with, so that callers can tell "the server said no" from "no answer". */
import { z } from 'zod';

/** The contract's error envelope (the REST contract (the OpenAPI document at /docs)). */
export const ErrorEnvelope = z.object({
  error: z.object({
    status: z.number().int(),
    code: z.string(),
    message: z.string(),
    request_id: z.string().optional(),
    details: z.unknown().optional(),
  }),
});

/** The server answered with an error status; `code` is the contract's error code. */
export class TalkApiError extends Error {
  override readonly name = 'TalkApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly details: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

/** No usable answer: the server could not be reached, timed out, or answered outside the contract. */
export class TalkUnreachableError extends Error {
  override readonly name = 'TalkUnreachableError';
}

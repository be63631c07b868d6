/**
 * Opaque page cursors: base64url JSON of the last row's unique sort key, so that concurrent writes
 * never make a page edge skip or repeat a row. A token that does not decode is INVALID_ARGUMENT.
 */
import { z } from 'zod';
import { AppError } from '@talk/shared/errors';

export function encodePageToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodePageToken<T>(token: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (token === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    raw = undefined; // not JSON: falls through to the schema check, which rejects it
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('INVALID_ARGUMENT', 'page_token is not a token this API issued', {
      fields: [{ field: 'page_token', problem: 'unrecognised token' }],
    });
  }
  return parsed.data;
}

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

/**
 * Cuts a page from rows fetched with `pageSize + 1` (the extra row only tells that more follow)
 * and makes the cursor of its last row.
 */
export function cutPage<Row>(rows: readonly Row[], pageSize: number, cursorOf: (last: Row) => string): { page: Row[]; next: string | null } {
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return { page, next: rows.length > pageSize && last !== undefined ? cursorOf(last) : null };
}

import { z } from 'zod';
import { AppError } from '@talk/shared/errors';
import { decodePageToken, encodePageToken } from './page-token';

const Cursor = z.object({ seq: z.number().int().positive() });

describe('page tokens', () => {
  it('round-trip the cursor', () => {
    expect(decodePageToken(encodePageToken({ seq: 42 }), Cursor)).toEqual({ seq: 42 });
    expect(decodePageToken(undefined, Cursor)).toBeUndefined();
  });

  it.each(['garbage!', encodePageToken({ seq: -1 }), encodePageToken('x'), Buffer.from('{').toString('base64url')])(
    'refuses %j as INVALID_ARGUMENT naming page_token',
    (token) => {
      expect(() => decodePageToken(token, Cursor)).toThrow(AppError);
      try {
        decodePageToken(token, Cursor);
      } catch (error) {
        expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { fields: [{ field: 'page_token' }] } });
      }
    },
  );
});

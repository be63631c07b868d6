/**
 * Hostile WebSocket frames, derived from the gateway's schema of client frames: every frame type
 * it knows, with fields missing, of the wrong type or at their bounds, and beside them JSON of
 * any shape, text that is not JSON, binary frames and frames just under the size limit. A frame
 * type added to the schema is fuzzed without editing this file.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { hostileJson, PROTOTYPE_KEYS } from './hostile-values';
import { jsonSchemaOf, valueFor, type KnownValues } from './schema-values';

export interface FuzzFrame {
  /** The frame's payload: text, or bytes sent as a binary frame. */
  readonly data: string | Buffer;
}

/** The text the gateway reads from a frame (a binary frame is read as UTF-8 too). */
export const textOfFrame = (frame: FuzzFrame): string => (typeof frame.data === 'string' ? frame.data : frame.data.toString('utf8'));

/** Frames that a gateway answers on an open connection (an error frame for the bad ones), never closing it. */
export function answeredFrames(clientFrame: z.ZodType, known: KnownValues, maxFrameBytes: number): fc.Arbitrary<FuzzFrame> {
  const schema = jsonSchemaOf(clientFrame);
  const shaped = fc.oneof(
    { arbitrary: valueFor(schema, known, 'json', 'plausible'), weight: 1 },
    { arbitrary: valueFor(schema, known, 'json', 'hostile'), weight: 3 },
  );
  const withPrototypeKey = fc.tuple(shaped, fc.constantFrom(...PROTOTYPE_KEYS), hostileJson).map(([frame, key, value]) => {
    const rest = JSON.stringify(frame);
    return rest.startsWith('{') && rest !== '{}' ? `{${JSON.stringify(key)}:${JSON.stringify(value)},${rest.slice(1)}` : rest;
  });
  const texts: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: shaped.map((frame) => JSON.stringify(frame)), weight: 6 },
    { arbitrary: hostileJson.map((value) => JSON.stringify(value)), weight: 2 },
    { arbitrary: withPrototypeKey, weight: 1 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
    { arbitrary: fc.constantFrom('', ' ', 'null', '{', '{"type":', '[]', '{"type":"ping"}{"type":"ping"}', '\u0000'), weight: 1 },
    {
      // Just under the limit: the largest frame the gateway must still read and answer.
      arbitrary: fc.integer({ min: maxFrameBytes - 1_024, max: maxFrameBytes - 64 }).map((size) => JSON.stringify({ type: 'ping', pad: 'x'.repeat(size) })),
      weight: 1,
    },
  );
  const binary: fc.Arbitrary<FuzzFrame> = fc.oneof(
    texts.map((text) => ({ data: Buffer.from(text, 'utf8') })),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ data: Buffer.from(bytes) })),
  );
  // A hostile field can be a huge string: a frame over the limit is a closing frame, not one of these.
  const underLimit = (frame: FuzzFrame): boolean => Buffer.byteLength(frame.data) <= maxFrameBytes;
  return fc.oneof({ arbitrary: texts.map((data) => ({ data })), weight: 5 }, { arbitrary: binary, weight: 1 }).filter(underLimit);
}

export interface ClosingFrame {
  /** Sent as a text frame, whatever its bytes. */
  readonly bytes: Buffer;
  /** The close codes RFC 6455 and the contract allow for it. */
  readonly closeCodes: readonly number[];
}

/**
 * Frames after which a gateway closes the connection: a text frame that is not UTF-8 (1007, RFC
 * 6455 section 8.1) and a frame over the limit (1009, before it is read).
 */
export function closingFrames(maxFrameBytes: number): fc.Arbitrary<ClosingFrame> {
  const notUtf8 = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82])).map(([text, bytes]) => ({
    bytes: Buffer.concat([Buffer.from(`{"type":"ping","x":"${text.replace(/["\\]/g, '')}`), Buffer.from(bytes), Buffer.from('"}')]),
    closeCodes: [1007],
  }));
  const tooLarge = fc.integer({ min: maxFrameBytes + 1, max: maxFrameBytes + 8_192 }).map((size) => ({ bytes: Buffer.alloc(size, 'x'), closeCodes: [1009] }));
  return fc.oneof(notUtf8, tooLarge);
}

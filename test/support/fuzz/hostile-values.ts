/**
 * Values a hostile client sends where the contract expects something else: wrong types, edge
 * numbers, strings that are huge, empty, not UTF-8 once encoded, full of escapes or named like
 * JavaScript's own properties. Shared by the HTTP and the WebSocket fuzzers.
 */
import fc from 'fast-check';

/** Keys that reach an object's prototype when an input is merged or assigned carelessly. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'] as const;

/**
 * `encodeURIComponent` that takes any string: a lone surrogate (which it throws on) becomes
 * U+FFFD first, as a client's UTF-8 encoder would make it.
 */
export function percentEncode(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

/** Strings that look like ids but are not: the UUID check's neighbours. */
export const notQuiteUuids: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    'null',
    'undefined',
    'NaN',
    '00000000-0000-0000-0000-00000000000',
    '00000000-0000-0000-0000-0000000000000',
    'ZZZZZZZZ-ZZZZ-4ZZZ-8ZZZ-ZZZZZZZZZZZZ',
    '{0b8e8c1a-3f0e-4f43-8c8e-6b0a7b9d6f21}',
    '0b8e8c1a3f0e4f438c8e6b0a7b9d6f21',
    ' 0b8e8c1a-3f0e-4f43-8c8e-6b0a7b9d6f21',
    '0b8e8c1a-3f0e-4f43-8c8e-6b0a7b9d6f21\n',
    '0b8e8c1a-3f0e-4f43-8c8e-6b0a7b9d6f21\u0000',
  ),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.uuid().map((id) => `${id}x`),
  fc.uuid().map((id) => id.slice(1)),
);

/** Strings a parser or a store may choke on: control characters, lone surrogates, huge, emoji. */
export const hostileStrings: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    '\uDFFF\uD800',
    '\u202E',
    '\uFEFF',
    '%',
    '%ZZ',
    '%00',
    '%E0%A4%A',
    '../../etc/passwd',
    '$where',
    '$gt',
    '{"$ne":null}',
    '<script>alert(1)</script>',
    "'; DROP TABLE talks; --",
    '\r\nX-Injected: 1',
    '👍🏽‍🔥',
    ...PROTOTYPE_KEYS,
  ),
  fc.integer({ min: 1_000, max: 70_000 }).map((length) => 'x'.repeat(length)),
);

/** Numbers at the edges: negative, fractional, beyond 2^53, and what JSON cannot say. */
export const hostileNumbers: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 0.5, -0, 1e21, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e308),
);

/** The textual forms of those numbers for a query string, plus what JSON has no number for. */
export const hostileNumberTexts: fc.Arbitrary<string> = fc.oneof(
  hostileNumbers.map(String),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e3', '0x10', '0b1', '1_000', ' 1', '1 ', '+1', '--1', '1.', '.5', '9'.repeat(400), ''),
);

/**
 * Any JSON value, weighted towards the ones that trip code written for objects: null, arrays,
 * prototype keys, `$` operators a query might pass to MongoDB.
 */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, '', [], {}),
    hostileNumbers,
    hostileStrings,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...PROTOTYPE_KEYS, '$gt', '$ne', '$where', 'a.b')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

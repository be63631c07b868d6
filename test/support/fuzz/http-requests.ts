/**
 * Hostile HTTP requests for every route of a catalogue: its path parameters, its query and its
 * body are derived from the route's description, so that a route added to the catalogue is fuzzed
 * without editing this file. Each request also carries hostile credentials and headers now and
 * then, and some go to paths and methods no route has.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { hostileJson, hostileNumberTexts, hostileStrings, notQuiteUuids, percentEncode, PROTOTYPE_KEYS } from './hostile-values';
import { jsonSchemaOf, objectFor, valueFor, type Hostility, type JsonSchema, type KnownValues } from './schema-values';

/** What the fuzzer needs of a route: the shape of the API's catalogue entries. */
export interface FuzzedRoute {
  readonly method: string;
  /** OpenAPI style: `/v1.0/talks/{talk_id}`. */
  readonly path: string;
  readonly auth: 'agent' | 'accesskey' | 'accesskey-or-agent' | 'admin' | 'none';
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
}

/** Credentials the fuzzer may present; `valid*` are real ones of the signed-in fixture. */
export interface Credentials {
  readonly validToken: string;
  /** Tokens that are well-formed but must be refused: expired, another secret, an unknown agent. */
  readonly refusedTokens: readonly string[];
  readonly validAccesskey: string;
  readonly validAdminKey: string;
}

export interface FuzzRequest {
  /** The catalogue's name of the route, or `(no route)`. */
  readonly route: string;
  readonly method: string;
  /** Path and query, encoded as sent. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /**
   * The body repeats a key (`{"a":1,"a":2}`). TODO(duplicate JSON keys, "Hardening"): such a
   * body should be refused with 400; until that fix lands it may be taken as its last key.
   */
  readonly duplicateKeys: boolean;
}

/** A path parameter's value: a real one (or a well-formed unknown one), or anything a client could put in a path. */
function pathParameter(name: string, known: KnownValues, hostility: Hostility): fc.Arbitrary<string> {
  const real = known[name] ?? [];
  const realOnes = real.length === 0 ? fc.uuid() : fc.oneof({ arbitrary: fc.constantFrom(...real.map(percentEncode)), weight: 6 }, { arbitrary: fc.uuid(), weight: 1 });
  if (hostility === 'plausible') return realOnes;
  const encoded = fc.oneof(notQuiteUuids, hostileStrings.map((text) => text.slice(0, 4_096)), fc.uuid()).map(percentEncode);
  const raw = fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%C3%28', '%00', '%2F', '%2e%2e', '..', '.', '%25', '%u0041', 'a%20b', '%F0%9F%91%8D');
  const huge = fc.integer({ min: 1_000, max: 8_000 }).map((length) => 'a'.repeat(length));
  return fc.oneof({ arbitrary: realOnes, weight: 2 }, { arbitrary: encoded, weight: 2 }, { arbitrary: raw, weight: 1 }, { arbitrary: huge, weight: 1 });
}

/** A query key, as written: the schema's own, or one that a query parser treats specially. */
const hostileQueryKeys = fc.oneof(
  fc.constantFrom('a[]', 'a[b]', 'a[b][c]', '', '=', '&', '%74oken', 'TOKEN', 'page_size[]', 'limit[0]', 'after_seq[$gt]', ...PROTOTYPE_KEYS, '__proto__[x]', 'constructor[prototype][x]'),
  fc.string({ maxLength: 10 }).map(percentEncode),
);

/**
 * `key=value` pairs from the query schema: plausible ones, each key at most once; or hostile
 * ones, with keys the schema does not know, repeated keys and unencoded values mixed in.
 */
function queryString(schema: JsonSchema | undefined, known: KnownValues, credentials: Credentials, auth: FuzzedRoute['auth'], hostility: Hostility): fc.Arbitrary<string> {
  const properties = Object.entries(schema?.properties ?? {}).filter(([name]) => name !== 'accesskey');
  // The accesskey routes need theirs to get past authentication (a hostile one is the auth's part).
  const accesskey = auth === 'accesskey' || auth === 'accesskey-or-agent' ? fc.constant(['accesskey', credentials.validAccesskey] as const) : fc.constant(undefined);
  if (hostility === 'plausible') {
    const fields = Object.fromEntries(properties.map(([name, fieldSchema]) => [name, fc.option(valueFor(fieldSchema, known, 'text', 'plausible', name), { freq: 2, nil: undefined })]));
    return fc.tuple(accesskey, fc.record(fields)).map(([first, values]) => {
      const pairs = [...(first === undefined ? [] : [first]), ...Object.entries(values).filter(([, value]) => value !== undefined)];
      return pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${percentEncode(String(value))}`).join('&')}`;
    });
  }
  const fields = properties.map(([name, fieldSchema]) => valueFor(fieldSchema, known, 'text', 'hostile', name).map((value) => [name, value] as const));
  const hostileValue = fc.oneof(hostileStrings.map((text) => text.slice(0, 2_000)), hostileNumberTexts, notQuiteUuids);
  const hostilePair = fc.tuple(hostileQueryKeys, hostileValue);
  const pair = fields.length === 0 ? hostilePair : fc.oneof({ arbitrary: fc.oneof(...fields), weight: 3 }, { arbitrary: hostilePair, weight: 1 });
  const encode = fc.boolean();
  return fc.tuple(accesskey, fc.array(fc.tuple(pair, encode), { minLength: 1, maxLength: 5 })).map(([first, pairs]) => {
    const written = pairs.map(([[key, value], encoded]) => `${key}=${encoded ? percentEncode(String(value)) : String(value).replace(/[#\s\uD800-\uDFFF]/g, percentEncode)}`);
    const all = first === undefined ? written : [`${first[0]}=${percentEncode(first[1])}`, ...written];
    return all.length === 0 ? '' : `?${all.join('&')}`;
  });
}

/** JSON text with one key written twice: JSON.parse keeps the last. */
function withDuplicateKey(object: Record<string, unknown>, value: unknown): string {
  const key = Object.keys(object)[0] ?? 'a';
  const rest = JSON.stringify(object).slice(1);
  return `{${JSON.stringify(key)}:${JSON.stringify(value)}${rest === '}' ? '}' : `,${rest}`}`;
}

/** JSON text with a prototype key as an own property, as JSON.parse makes it. */
function withPrototypeKey(object: Record<string, unknown>, key: string, value: unknown): string {
  const rest = JSON.stringify(object).slice(1);
  return `{${JSON.stringify(key)}:${JSON.stringify(value)}${rest === '}' ? '}' : `,${rest}`}`;
}

interface BodyChoice {
  readonly body: string | Uint8Array;
  readonly duplicateKeys: boolean;
}

const text = (body: string, duplicateKeys = false): BodyChoice => ({ body, duplicateKeys });

/**
 * A body for `schema`: plausible, JSON of its shape; hostile, JSON of nearly its shape or of
 * another, malformed, repeating a key, deeply nested, huge, or not UTF-8.
 */
function bodyFor(schema: JsonSchema | undefined, known: KnownValues, hostility: Hostility): fc.Arbitrary<BodyChoice> {
  if (hostility === 'plausible') return objectFor(schema ?? {}, known, 'plausible').map((value) => text(JSON.stringify(value)));
  const object = objectFor(schema ?? {}, known, 'hostile');
  const nested = fc.integer({ min: 100, max: 20_000 }).chain((depth) =>
    fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );
  const shapes: fc.Arbitrary<BodyChoice>[] = [
    object.map((value) => text(JSON.stringify(value))),
    hostileJson.map((value) => text(JSON.stringify(value))),
    fc.tuple(object, hostileJson).map(([value, repeat]) => text(withDuplicateKey(value, repeat), true)),
    fc.tuple(object, fc.constantFrom(...PROTOTYPE_KEYS), hostileJson).map(([value, key, extra]) => text(withPrototypeKey(value, key, extra))),
    nested.map((body) => text(body)),
    object.map((value) => text(JSON.stringify([value]))),
    fc.tuple(object, fc.nat()).map(([value, cut]) => {
      const json = JSON.stringify(value);
      return text(json.slice(0, cut % Math.max(json.length, 1)));
    }),
    fc.string({ unit: 'binary', maxLength: 60 }).map((body) => text(body)),
    fc.integer({ min: 60_000, max: 70_000 }).map((length) => text(JSON.stringify({ text: 'x'.repeat(length) }))),
    fc.tuple(object, fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([value, bytes]) => ({
      body: Buffer.concat([Buffer.from(JSON.stringify(value).slice(0, -1)), Buffer.from([0xff, ...bytes]), Buffer.from('}')]),
      duplicateKeys: false,
    })),
  ];
  return fc.oneof({ arbitrary: shapes[0] ?? fc.constant(text('{}')), weight: 4 }, ...shapes.slice(1));
}

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '*/*',
  '',
  'application/json; charset=',
  'application/json;;;',
);

/** Headers beside the credentials: content types and encodings a body parser must refuse, and forged request ids. */
const hostileHeaders = fc.record(
  {
    'content-type': contentTypes,
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-bogus', 'gzip, gzip'),
    'x-request-id': fc.oneof(fc.string({ maxLength: 200 }).map((id) => id.replace(/[^\x20-\x7e]/g, '')), fc.constantFrom('trace-1', 'a'.repeat(129))),
    accept: fc.constantFrom('text/html', 'application/xml', '*/*'),
  },
  { requiredKeys: [] },
);

/** The `Authorization` header of a request that is not the agent's own: refused, malformed, or none. */
function hostileAuthorization(credentials: Credentials): fc.Arbitrary<string | undefined> {
  const refused = credentials.refusedTokens.length === 0 ? fc.constant('Bearer x') : fc.constantFrom(...credentials.refusedTokens).map((token) => `Bearer ${token}`);
  const malformed = fc.oneof(
    fc.constantFrom('Bearer', 'Bearer ', 'bearer  x y', `Basic ${Buffer.from('a:b').toString('base64')}`, `Bearer ${credentials.validToken}x`, `Bearer ${credentials.validToken.split('.').slice(0, 2).join('.')}.`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
    hostileStrings.map((value) => `Bearer ${value.replace(/[^\x21-\x7e]/g, '').slice(0, 2_000)}`),
  );
  return fc.oneof(refused, malformed, fc.constant(undefined));
}

/** An `X-Admin-Key` header that is not the key, or none. */
function hostileAdminKey(credentials: Credentials): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    fc.constantFrom('', `${credentials.validAdminKey}x`, credentials.validAdminKey.toUpperCase(), undefined),
    hostileStrings.map((value) => value.replace(/[^\x21-\x7e]/g, '').slice(0, 200)),
  );
}

/** An accesskey query parameter that is not the customer's: wrong, empty, repeated, or none. */
function hostileAccesskey(credentials: Credentials): fc.Arbitrary<string> {
  const key = credentials.validAccesskey;
  return fc.constantFrom('', 'accesskey=', `accesskey=${key}x`, `accesskey=${key}&accesskey=${key}`, `accesskey[]=${key}`, `ACCESSKEY=${key}`, `accesskey=${key.toUpperCase()}`, 'accesskey=%ZZ');
}

/**
 * The credentials a route's auth asks for: real ones when `plausible`, else refused, malformed or
 * missing ones (and, for an accesskey route, the query's own accesskey dropped for a hostile one).
 */
function credentialsFor(credentials: Credentials, auth: FuzzedRoute['auth'], hostility: Hostility): fc.Arbitrary<{ readonly headers: Record<string, string>; readonly accesskey?: string }> {
  const header = (name: string, value: string | undefined): Record<string, string> => (value === undefined ? {} : { [name]: value });
  if (hostility === 'plausible') {
    if (auth === 'agent') return fc.constant({ headers: { authorization: `Bearer ${credentials.validToken}` } });
    if (auth === 'admin') return fc.constant({ headers: { 'x-admin-key': credentials.validAdminKey } });
    return fc.constant({ headers: {} });
  }
  if (auth === 'admin') return hostileAdminKey(credentials).map((value) => ({ headers: header('x-admin-key', value) }));
  if (auth === 'accesskey' || auth === 'accesskey-or-agent') return hostileAccesskey(credentials).map((accesskey) => ({ headers: {}, accesskey }));
  return fc.tuple(hostileAuthorization(credentials), hostileAdminKey(credentials)).map(([authorization, admin]) => ({ headers: { ...header('authorization', authorization), ...header('x-admin-key', admin) } }));
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/**
 * The longest path and query sent. Node's HTTP parser answers a request line and headers over
 * 16 KiB with a bare 431 before any application code runs (nginx in front: 414 past 8 KiB); the
 * fuzzer probes the API, so it stays under both, cutting a longer target (a cut escape is fine).
 */
const MAX_TARGET_CHARS = 7_000;

/**
 * Which part of a request is hostile. One part at a time reaches into the handler (a bad body
 * behind a real token and a real talk id); `everything` is every part hostile at once.
 */
type Focus = 'path' | 'query' | 'body' | 'headers' | 'credentials' | 'method' | 'nothing' | 'everything';

const FOCUS: fc.Arbitrary<Focus> = fc.oneof(
  { arbitrary: fc.constant('body'), weight: 4 },
  { arbitrary: fc.constantFrom('path', 'query', 'headers', 'credentials', 'everything'), weight: 5 },
  { arbitrary: fc.constantFrom('method', 'nothing'), weight: 1 },
);

const hostilityOf = (focus: Focus, part: Focus): Hostility => (focus === part || focus === 'everything' ? 'hostile' : 'plausible');

/** A request to one route of the catalogue, with one part fuzzed, or all. */
export function requestTo(name: string, route: FuzzedRoute, known: KnownValues, credentials: Credentials): fc.Arbitrary<FuzzRequest> {
  const parameterNames = [...route.path.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1] ?? '');
  const query = route.query === undefined ? undefined : jsonSchemaOf(route.query);
  const body = route.body === undefined ? undefined : jsonSchemaOf(route.body);
  const method = route.method.toUpperCase();
  return FOCUS.chain((focus) =>
    fc.record({
      focus: fc.constant(focus),
      // A method the route does not have: the answer is 404 in the envelope.
      method: hostilityOf(focus, 'method') === 'hostile' ? fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') : fc.constant(method),
      parameters: fc.tuple(...parameterNames.map((parameter) => pathParameter(parameter, known, hostilityOf(focus, 'path')))),
      query: queryString(query, known, credentials, route.auth, hostilityOf(focus, 'query')),
      // A route without a body gets one only when the body is the hostile part.
      body: body === undefined && hostilityOf(focus, 'body') === 'plausible' ? fc.constant(undefined) : bodyFor(body, known, hostilityOf(focus, 'body')),
      credentials: credentialsFor(credentials, route.auth, hostilityOf(focus, 'credentials')),
      headers: hostilityOf(focus, 'headers') === 'hostile' ? hostileHeaders : fc.constant({}),
    }),
  ).map((parts) => {
    let index = 0;
    const path = route.path.replace(/\{([a-z_]+)\}/g, () => parts.parameters[index++] ?? '');
    const withBody = parts.body !== undefined && METHODS_WITH_BODY.has(parts.method);
    const headers: Record<string, string> = { ...(withBody ? { 'content-type': 'application/json' } : {}), ...parts.credentials.headers, ...parts.headers };
    // A hostile accesskey takes the place of the real one, first in the query.
    const target = parts.credentials.accesskey === undefined ? `${path}${parts.query}` : `${path}?${[parts.credentials.accesskey, parts.query.replace(/^\?accesskey=[^&]*&?/, '')].filter((part) => part !== '').join('&')}`;
    return {
      route: name,
      method: parts.method,
      target: target.slice(0, MAX_TARGET_CHARS),
      headers,
      ...(withBody && parts.body !== undefined ? { body: parts.body.body } : {}),
      duplicateKeys: withBody && parts.body?.duplicateKeys === true,
    };
  });
}

/** Requests to paths no route has, under `/v1.0` and beside it. */
export function requestToNoRoute(credentials: Credentials): fc.Arbitrary<FuzzRequest> {
  const segment = fc.oneof(fc.constantFrom('talks', 'messages', 'agents', 'v1.0', 'v2.0', '..', '%ZZ', 'ws', 'docs', 'openapi.json'), fc.string({ maxLength: 12 }).map(percentEncode), fc.uuid());
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      segments: fc.array(segment, { minLength: 1, maxLength: 5 }),
      prefix: fc.constantFrom('/v1.0/', '/', '/V1.0/', '/v1.0//'),
      authorization: fc.option(fc.constant(`Bearer ${credentials.validToken}`), { nil: undefined }),
    })
    .map(({ method, segments, prefix, authorization: header }) => ({
      route: '(no route)',
      method,
      target: `${prefix}${segments.join('/')}`,
      headers: header === undefined ? {} : { authorization: header },
      duplicateKeys: false,
    }));
}

/** One request to any route of `routes`, or to none. */
export function anyRequest(routes: Readonly<Record<string, FuzzedRoute>>, known: KnownValues, credentials: Credentials): fc.Arbitrary<FuzzRequest> {
  const perRoute = Object.entries(routes).map(([name, route]) => requestTo(name, route, known, credentials));
  return fc.oneof({ arbitrary: fc.oneof(...perRoute), weight: 12 }, { arbitrary: requestToNoRoute(credentials), weight: 1 });
}

/** The OpenAPI 3.1 document, generated from the route catalogue and the contract's zod schemas. */
import { z } from 'zod';
import { ERROR_CODES } from '@talk/shared/errors';
import { LIMITS } from '@talk/shared/schemas';
import { ROUTES, type Auth, type RouteSpec } from './catalogue';
import { HTTP_STATUS } from './errors';

type JsonObject = Record<string, unknown>;

const ErrorEnvelope = z.object({
  error: z.object({
    status: z.number().int(),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    request_id: z.string(),
    details: z.array(z.object({ field: z.string(), problem: z.string() })).optional(),
  }),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

const SECURITY: Record<Auth, readonly JsonObject[]> = {
  agent: [{ bearer: [] }, { tokenQuery: [] }],
  accesskey: [{ accesskey: [] }],
  'accesskey-or-agent': [{ accesskey: [] }, { bearer: [] }, { tokenQuery: [] }],
  admin: [{ adminKey: [] }],
  none: [],
};

/** The errors a route can answer, by what it needs. */
function errorResponses(spec: RouteSpec): JsonObject {
  const statuses = new Set<number>([HTTP_STATUS.INVALID_ARGUMENT, HTTP_STATUS.PAYLOAD_TOO_LARGE, HTTP_STATUS.UNAVAILABLE]);
  if (spec.auth !== 'none') statuses.add(HTTP_STATUS.UNAUTHENTICATED);
  if (spec.auth === 'accesskey-or-agent') statuses.add(HTTP_STATUS.RATE_LIMITED);
  if (spec.auth === 'agent') {
    for (const status of [HTTP_STATUS.PERMISSION_DENIED, HTTP_STATUS.NOT_FOUND, HTTP_STATUS.CONFLICT, HTTP_STATUS.RATE_LIMITED]) statuses.add(status);
  }
  if (spec.credentialCheck === true) for (const status of [HTTP_STATUS.UNAUTHENTICATED, HTTP_STATUS.RATE_LIMITED]) statuses.add(status);
  if (spec.path.includes('{')) statuses.add(HTTP_STATUS.NOT_FOUND);
  const content = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  return Object.fromEntries(
    [...statuses].sort().map((status) => {
      const codes = ERROR_CODES.filter((code) => HTTP_STATUS[code] === status).join(' or ');
      const when = spec.errors?.[status];
      return [String(status), { description: when === undefined ? codes : `${codes}: ${when}`, content }];
    }),
  );
}

/** The group a route is shown in at /docs, by what its path is about (the most specific part first). */
const TAGS: readonly (readonly [RegExp, string])[] = [
  [/\/reactions/, 'Reactions'],
  [/(\/read$|^\/v1\.0\/me\/)/, 'Read state and mentions'],
  [/\/events$/, 'Events'],
  [/\/participants/, 'Participants'],
  [/\/messages/, 'Messages'],
  [/^\/v1\.0\/talks/, 'Talks'],
  [/^\/v1\.0\/(customers|agents|auth)/, 'Customers, agents and login'],
  [/presence$/, 'Presence'],
];
const tagOf = (path: string): string => TAGS.find(([pattern]) => pattern.test(path))?.[1] ?? 'Reference';

function operation(name: string, spec: RouteSpec): JsonObject {
  const pathParams = [...spec.path.matchAll(/\{([a-z_]+)\}/g)].map(([, param]) => ({
    name: param,
    in: 'path',
    required: true,
    schema: param === 'emoji' ? { type: 'string' } : { type: 'string', format: 'uuid' },
  }));
  const queryParams = Object.entries(spec.query?.shape ?? {}).map(([param, schema]) => ({
    name: param,
    in: 'query',
    required: !schema.safeParse(undefined).success,
    schema: jsonSchema(schema, 'input'),
  }));
  const successes = Object.fromEntries(
    Object.entries(spec.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.schema === undefined ? {} : { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } }),
      },
    ]),
  );
  return {
    operationId: name,
    tags: [tagOf(spec.path)],
    summary: spec.summary,
    security: SECURITY[spec.auth],
    parameters: [...pathParams, ...queryParams],
    ...(spec.body === undefined
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }),
    responses: { ...successes, ...errorResponses(spec) },
  };
}

export function buildOpenApiDocument(): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const [name, spec] of Object.entries(ROUTES)) {
    paths[spec.path] = { ...paths[spec.path], [spec.method]: operation(name, spec) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Talk API',
      version: '1.0',
      description:
        'Real-time messaging for contact-centre agents. Every error is the envelope in components/schemas/Error. ' +
        'Live events: WebSocket /v1.0/ws?token=…, described in docs/websocket.md of the repository. Request bodies are at most 64 KiB. ' +
        `No event is larger than ${LIMITS.eventMaxBytes / 1024} KiB (JSON in UTF-8): a change that would record a larger one is refused with 409 CONFLICT. ` +
        'Paste the token of POST /v1.0/auth/login into Authorize (bearer) to try the agents\' calls.',
    },
    tags: [...new Set(TAGS.map(([, tag]) => tag).reverse()), 'Reference'].map((tag) => ({ name: tag })),
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorEnvelope, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        tokenQuery: { type: 'apiKey', in: 'query', name: 'token' },
        accesskey: { type: 'apiKey', in: 'query', name: 'accesskey' },
        adminKey: { type: 'apiKey', in: 'header', name: 'X-Admin-Key' },
      },
    },
  };
}

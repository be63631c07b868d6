/** The OpenAPI document covers every route, and every documented route is served. */
import { z } from 'zod';
import { ROUTES } from '../src/http/catalogue';
import { startStack, type Stack } from '../../../test/support/stack';

const Document = z.object({
  openapi: z.literal('3.1.0'),
  tags: z.array(z.object({ name: z.string() })),
  paths: z.record(
    z.string(),
    z.record(z.string(), z.looseObject({ operationId: z.string(), tags: z.array(z.string()).length(1), summary: z.string().min(1), responses: z.record(z.string(), z.unknown()) })),
  ),
  components: z.object({ schemas: z.record(z.string(), z.unknown()) }),
});

const SAMPLE_PARAMS: Record<string, string> = { emoji: 'thumbsup' };

describe('API documentation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('openapi');
  });
  afterAll(() => stack.stop());

  it('serves an OpenAPI 3.1 document with every route of the catalogue, generated from the schemas', async () => {
    const response = await stack.api().request('GET', '/v1.0/openapi.json');
    expect(response.status).toBe(200);
    const document = Document.parse(response.body);
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(Object.values(ROUTES).map((spec) => `${spec.method} ${spec.path}`).sort());
    expect(documented).toHaveLength(Object.keys(ROUTES).length);
    // Every operation is in a group the document declares; only the document itself is "Reference".
    const tags = new Set(document.tags.map((tag) => tag.name));
    const groups = Object.entries(document.paths).flatMap(([path, operations]) => Object.values(operations).map((operation) => [path, operation.tags[0] ?? ''] as const));
    for (const [, tag] of groups) expect(tags).toContain(tag);
    expect(groups.filter(([, tag]) => tag === 'Reference').map(([path]) => path)).toEqual(['/v1.0/openapi.json']);
    expect(groups.find(([path]) => path === '/v1.0/messages/{message_id}/reactions')?.[1]).toBe('Reactions');

    const postMessage = JSON.stringify(document.paths['/v1.0/talks/{talk_id}/messages']?.['post']);
    for (const fragment of ['client_message_id', 'parent_id', 'medias', '"201"', '"409"', 'TALK_CLOSED', 'maxLength":16000']) {
      expect(postMessage).toContain(fragment);
    }
    expect(document.components.schemas['Error']).toBeDefined();
  });

  it('states the limits of reactions and events: in the Message schema and in the reaction endpoint\'s 409', async () => {
    const document = Document.parse((await stack.api().request('GET', '/v1.0/openapi.json')).body);
    const addReaction = document.paths['/v1.0/messages/{message_id}/reactions']?.['post'];
    const message = JSON.stringify(addReaction?.responses['201']);
    for (const fragment of ['"maxItems":50', '"maxItems":100', 'first 100 agents', 'exact']) expect(message).toContain(fragment);
    expect(JSON.stringify(addReaction?.responses['409'])).toMatch(/CONFLICT: .*50 different emoji.*larger than 256 KiB/);
    expect(JSON.stringify(document.paths['/v1.0/messages/{message_id}']?.['put']?.responses['409'])).toMatch(/larger than 256 KiB/);
  });

  it('routes every documented operation (none answers "no route")', async () => {
    const unrouted: string[] = [];
    for (const spec of Object.values(ROUTES)) {
      const path = spec.path.replace(/\{([a-z_]+)\}/g, (_match, name: string) => SAMPLE_PARAMS[name] ?? '0b8e8c1a-3f0e-4f43-8c8e-6b0a7b9d6f21');
      const response = await stack.api().request(spec.method.toUpperCase(), path);
      if (JSON.stringify(response.body).includes('no route')) unrouted.push(`${spec.method} ${spec.path}`);
    }
    expect(unrouted).toEqual([]);
  });

  it('serves Swagger UI at /docs, every file of it from the API itself, with scripts from its own origin only', async () => {
    const base = stack.api().baseUrl;
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(4);
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\/assets\//);
      const response = await fetch(`${base}${asset}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect(await (await fetch(`${base}/docs/assets/init.js`)).text()).toContain("url: '/v1.0/openapi.json'");
  });

  it.each(['constructor', '__proto__', 'package.json', '..%2Fpackage.json', 'index.html'])('serves no other file as a docs asset: %s', async (file) => {
    const response = await stack.api().request('GET', `/docs/assets/${file}`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

/**
 * The deployment files against the code they deploy, without Docker: docker-compose.yml passes
 * each service only the variables its config schema reads, with no default secrets, health checks
 * on /readyz and start-up ordered by health; the Dockerfile covers every workspace;
 * deploy/nginx.conf is its template rendered for compose and routes /v1.0/ws to the gateways and
 * the rest to the API replicas. Where nginx is installed, the template also passes `nginx -t`
 * and carries REST and WebSocket traffic to an in-process stack.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { Message } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { connectTestSocket, eventOf, isEvent, type TestSocket } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk } from './support/fixtures';
import { nginxBinary, nginxConfFor, startFrontDoor, type FrontDoor } from './support/front-door';
import { startStack, type Stack } from './support/stack';

const ROOT = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

const ComposeService = z.object({
  image: z.string().optional(),
  build: z.object({ context: z.string(), dockerfile: z.string(), args: z.record(z.string(), z.string()).optional() }).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  healthcheck: z.object({ test: z.array(z.string()).min(2) }).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
});
type ComposeService = z.infer<typeof ComposeService>;
const Compose = z.object({ services: z.record(z.string(), ComposeService) });

const compose = Compose.parse(parse(read('docker-compose.yml'), { merge: true }));
const TALK_SERVICES = ['api', 'gateway', 'notifier'] as const;
type TalkService = (typeof TALK_SERVICES)[number];
const CONTRACT_ENV = ['MONGO_URL', 'MONGO_DB', 'NATS_URL', 'TALK_ADMIN_KEY', 'JWT_SECRET', 'PORT', 'LOG_LEVEL'];
const REQUIRED_ENV: Record<TalkService, readonly string[]> = {
  api: ['MONGO_URL', 'NATS_URL', 'PORT', 'TALK_ADMIN_KEY', 'JWT_SECRET'],
  gateway: ['MONGO_URL', 'NATS_URL', 'PORT', 'JWT_SECRET'],
  notifier: ['MONGO_URL', 'NATS_URL', 'PORT'],
};
const SECRETS = ['TALK_ADMIN_KEY', 'JWT_SECRET'];

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** Compose services of one Talk service, `api-1`, `api-2`, …, with their environment. */
function replicasOf(kind: TalkService): { name: string; env: Record<string, string>; definition: ComposeService }[] {
  return Object.entries(compose.services)
    .filter(([name]) => new RegExp(`^${kind}-\\d+$`).test(name))
    .map(([name, definition]) => ({ name, env: definition.environment ?? {}, definition }));
}

const envKeys = (source: string): string[] => [...source.matchAll(/^\s*([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? '');

/** The variable names a service's zod env schema reads: its own keys plus `commonEnv`'s. */
function schemaEnvNames(kind: TalkService): Set<string> {
  const own = read(`services/${kind}/src/config.ts`);
  const shared = read('packages/shared/src/config.ts');
  const common = /export const commonEnv = \{([\s\S]*?)\n\};/.exec(shared)?.[1];
  if (common === undefined) throw new Error('packages/shared/src/config.ts has no commonEnv object');
  return new Set([...envKeys(own), ...(own.includes('...commonEnv') ? envKeys(common) : [])]);
}

/** The text between the braces of the first block whose header matches. */
function block(conf: string, header: RegExp): string {
  const start = header.exec(conf);
  if (start === null) throw new Error(`nginx.conf has no block ${String(header)}`);
  const open = conf.indexOf('{', start.index);
  let depth = 0;
  for (let i = open; i < conf.length; i += 1) {
    if (conf[i] === '{') depth += 1;
    if (conf[i] === '}') depth -= 1;
    if (depth === 0) return conf.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces after ${String(header)}`);
}

const withoutComments = (conf: string): string => conf.replace(/#.*$/gm, '');
const upstreamServers = (conf: string, name: string): string[] =>
  [...block(conf, new RegExp(`upstream\\s+${name}\\s*\\{`)).matchAll(/^\s*server\s+([^\s;]+)[^;]*;/gm)].map((m) => m[1] ?? '');
const directives = (body: string): string[] =>
  body
    .split(';')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '');

describe('docker-compose.yml', () => {
  it('has the whole topology: MongoDB, NATS, two replicas of each service and nginx', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['mongo', 'nats', 'api-1', 'api-2', 'gateway-1', 'gateway-2', 'notifier-1', 'notifier-2', 'nginx'].sort(),
    );
  });

  it('builds every Talk service from the Dockerfile with SERVICE matching its name', () => {
    const built = Object.entries(compose.services).filter(([name, definition]) => definition.build !== undefined && name !== 'nginx');
    expect(built.map(([name]) => name).sort()).toEqual(['api-1', 'api-2', 'gateway-1', 'gateway-2', 'notifier-1', 'notifier-2']);
    for (const [name, definition] of built) {
      expect({ name, dockerfile: definition.build?.dockerfile, service: definition.build?.args?.['SERVICE'] }).toEqual({
        name,
        dockerfile: 'Dockerfile',
        service: name.replace(/-\d+$/, ''),
      });
    }
  });

  it.each(TALK_SERVICES)('passes %s only variables its config schema reads, with the required ones and no default secrets', (kind) => {
    const names = schemaEnvNames(kind);
    const replicas = replicasOf(kind);
    expect(replicas).toHaveLength(2);
    for (const { name, env } of replicas) {
      expect({ name, unread: Object.keys(env).filter((key) => !names.has(key)) }).toEqual({ name, unread: [] });
      expect({ name, missing: REQUIRED_ENV[kind].filter((key) => env[key] === undefined) }).toEqual({ name, missing: [] });
      for (const secret of SECRETS.filter((key) => env[key] !== undefined)) {
        expect(env[secret]).toMatch(new RegExp(`^\\$\\{${secret}:\\?[^}]+\\}$`));
      }
    }
  });

  it('reads every variable of the contract in some service, and gives api and gateway the same JWT secret', () => {
    const readBySome = new Set(TALK_SERVICES.flatMap((kind) => [...schemaEnvNames(kind)]));
    expect(CONTRACT_ENV.filter((name) => !readBySome.has(name))).toEqual([]);
    const secrets = [...replicasOf('api'), ...replicasOf('gateway')].map(({ env }) => env['JWT_SECRET']);
    expect(new Set(secrets).size).toBe(1);
  });

  it('checks every Talk replica on /readyz at its own PORT, and starts it after healthy MongoDB and NATS', () => {
    for (const kind of TALK_SERVICES) {
      for (const { name, env, definition } of replicasOf(kind)) {
        const test = definition.healthcheck?.test ?? [];
        expect({ name, kind: test[0] }).toEqual({ name, kind: 'CMD' });
        expect(test.join(' ')).toContain(`http://127.0.0.1:${env['PORT'] ?? '?'}/readyz`);
        expect(definition.depends_on).toEqual({ mongo: { condition: 'service_healthy' }, nats: { condition: 'service_healthy' } });
      }
    }
  });

  it('waits only on health: every dependency has a health check and every condition is service_healthy', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(definition.depends_on ?? {})) {
        expect({ name, dependency, condition, checked: service(dependency).healthcheck !== undefined }).toEqual({
          name,
          dependency,
          condition: 'service_healthy',
          checked: true,
        });
      }
    }
  });

  it('publishes nginx on 8080 with deploy/nginx.conf and the console built into its image, after every api and gateway replica is healthy', () => {
    const nginx = service('nginx');
    expect(nginx.build?.dockerfile).toBe('deploy/console.Dockerfile');
    expect(nginx.ports).toEqual(['8080:8080']);
    expect(nginx.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(Object.keys(nginx.depends_on ?? {}).sort()).toEqual(
      [...replicasOf('api'), ...replicasOf('gateway')].map(({ name }) => name).sort(),
    );
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  const workspaces = z.object({ workspaces: z.array(z.string()) }).parse(JSON.parse(read('package.json'))).workspaces;

  it('installs from the manifest of every workspace and copies out its dist (the console goes to the nginx image instead)', () => {
    for (const workspace of workspaces.filter((path) => path !== 'apps/console')) {
      expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
      expect(dockerfile).toContain(`COPY --from=build /app/${workspace}/dist ${workspace}/dist`);
    }
  });

  it('runs the chosen service as the node user, with node as the process that gets SIGTERM', () => {
    expect(dockerfile).toMatch(/^ARG SERVICE$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('CMD ["sh", "-c", "exec node services/$SERVICE/dist/main.js"]');
  });
});

describe('deploy/console.Dockerfile', () => {
  const dockerfile = read('deploy/console.Dockerfile');

  it('installs from the manifest of every workspace, builds the console and puts it where deploy/nginx.conf serves it from', () => {
    const workspaces = z.object({ workspaces: z.array(z.string()) }).parse(JSON.parse(read('package.json'))).workspaces;
    for (const workspace of workspaces) expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    expect(dockerfile).toContain('RUN npm run build -w @talk/console');
    expect(dockerfile).toContain('COPY --from=build /app/apps/console/dist /usr/share/talk/console');
    expect(read('deploy/nginx.conf')).toContain('root /usr/share/talk/console;');
  });
});

describe('deploy/nginx.conf', () => {
  const template = read('deploy/nginx.conf.template');
  const conf = withoutComments(read('deploy/nginx.conf'));

  it('is the template rendered (regenerate with node scripts/stack.mjs --render-compose-nginx)', () => {
    const parts = template.split(/\{\{[A-Z_]+\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    expect(parts.length).toBeGreaterThan(5);
    expect(read('deploy/nginx.conf')).toMatch(new RegExp(`^${parts.join('[^{}]*?')}$`));
  });

  it('sends the rest to every api replica and /v1.0/ws, upgraded, to every gateway replica', () => {
    const at = (kind: TalkService): string[] => replicasOf(kind).map(({ name, env }) => `${name}:${env['PORT'] ?? '?'}`);
    expect(upstreamServers(conf, 'apis')).toEqual(at('api'));
    expect(upstreamServers(conf, 'gateways')).toEqual(at('gateway'));
    // Idle keep-alive connections must close on nginx's side before Node's 5 s, else POSTs race into 502s.
    const keepaliveTimeout = /keepalive_timeout\s+(\d+)s;/.exec(block(conf, /upstream\s+apis\s*\{/))?.[1];
    expect(Number(keepaliveTimeout)).toBeLessThan(5);
    expect(directives(block(conf, /server\s*\{/))).toContain('listen 8080');

    const ws = directives(block(conf, /location\s+(=\s*)?\/v1\.0\/ws\s*\{/));
    expect(ws).toEqual(
      expect.arrayContaining([
        'proxy_pass http://gateways',
        'proxy_http_version 1.1',
        'proxy_set_header Upgrade $http_upgrade',
        'proxy_set_header Connection "upgrade"',
        'proxy_read_timeout 3600s',
        'proxy_set_header X-Request-Id $talk_request_id',
        'proxy_set_header X-Forwarded-For $remote_addr',
      ]),
    );
    const rest = directives(block(conf, /location\s+\/v1\.0\/\s*\{/));
    expect(rest).toEqual(
      expect.arrayContaining([
        'proxy_pass http://apis',
        'proxy_set_header X-Request-Id $talk_request_id',
        'proxy_set_header X-Forwarded-For $remote_addr',
      ]),
    );
  });

  it('serves the console at / with the SPA fallback, and its hashed assets with a long cache', () => {
    const app = directives(block(conf, /location\s+\/\s*\{/));
    expect(app).toEqual(expect.arrayContaining(['root /usr/share/talk/console', 'try_files $uri /index.html', 'add_header Cache-Control "no-cache" always']));
    const assets = directives(block(conf, /location\s+\/assets\/\s*\{/));
    expect(assets).toEqual(expect.arrayContaining(['add_header Cache-Control "public, max-age=31536000, immutable" always', 'try_files $uri =404']));
    const apiPaths = directives(block(conf, /location\s+~\s+\^\/\(docs\|healthz\|readyz\)\(\/\|\$\)\s*\{/));
    expect(apiPaths).toContain('proxy_pass http://apis');
  });

  it('leaves `daemon` to the command line (the nginx image passes daemon off) and keeps query strings out of the access log', () => {
    expect(conf).not.toMatch(/^\s*daemon\s/m);
    const format = /log_format\s+talk([^;]*);/.exec(conf)?.[1] ?? '';
    expect(format).toContain('$uri');
    expect(format).not.toMatch(/\$request\b|\$request_uri|\$args|\$query_string/);
  });
});

const withNginx = nginxBinary === undefined ? describe.skip : describe;

withNginx(`the nginx template with 127.0.0.1 upstreams (needs nginx; found: ${nginxBinary ?? 'none'})`, () => {
  const nginx = nginxBinary ?? 'nginx';
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'talk-nginx-'));
    // nginx's workers drop root; they must reach the temp paths under this folder.
    chmodSync(dir, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes nginx -t', () => {
    const conf = nginxConfFor(dir, 18_080, [3100, 3101], [3110, 3111]);
    const check = spawnSync(nginx, ['-t', '-p', dir, '-c', conf, '-e', 'stderr'], { encoding: 'utf8' });
    expect(check.stderr).toContain('syntax is ok');
    expect(check.status).toBe(0);
  });

  describe('in front of two api and two gateway replicas', () => {
    let stack: Stack;
    let frontDoor: FrontDoor;
    const sockets: TestSocket[] = [];

    beforeAll(async () => {
      stack = await startStack('deployment', { apis: 2, gateways: 2 });
      frontDoor = await startFrontDoor(stack);
    });

    afterAll(async () => {
      await Promise.all(sockets.map((socket) => socket.close()));
      await frontDoor.stop();
      await stack.stop();
    });

    it('carries REST to the API with a request id, and a WebSocket upgrade to a gateway that then streams events', async () => {
      const acme = await createCustomer(frontDoor.rest, ['Agent A', 'Agent B']);
      const [a, b] = acme.agents;
      const talk = await createGroupTalk(frontDoor.rest, a, [b]);

      const socket = await connectTestSocket(frontDoor.wsUrl(b.token));
      sockets.push(socket);
      socket.send({ type: 'subscribe', talk_id: talk.id });
      await socket.next((frame) => frame.type === 'subscribed' && frame['talk_id'] === talk.id);

      const response = await frontDoor.rest.request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'through the front door' } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
      const posted = expectBody(response, 201, Message);
      expect(eventOf(await socket.next(isEvent('message_created', talk.id))).seq).toBe(posted.seq);

      const traced = await frontDoor.rest.request('GET', `/v1.0/talks/${talk.id}`, { token: a.token, headers: { 'x-request-id': 'deploy-test-1' } });
      expect(traced.headers.get('x-request-id')).toBe('deploy-test-1');
    });
  });
});

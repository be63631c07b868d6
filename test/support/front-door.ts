/**
 * The contract's load balancer for tests: deploy/nginx.conf.template rendered with 127.0.0.1
 * upstreams and run by a real nginx in front of an in-process stack, so REST and WebSocket
 * traffic take the same path as in production. Tests that need it skip where nginx is missing.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@talk/shared/testing/eventually';
import { restClient, type RestClient } from '@talk/shared/testing/rest-client';
import type { Stack } from './stack';

const ROOT = join(__dirname, '..', '..');

/** The nginx binary, from /usr/sbin or PATH; undefined where nginx is not installed. */
export const nginxBinary: string | undefined = ['/usr/sbin/nginx', ...(process.env['PATH'] ?? '').split(':').map((dir) => join(dir, 'nginx'))].find(
  (path) => existsSync(path),
);

/** Same rendering as scripts/stack.mjs: lists become one `server …;` line each. */
export function renderNginx(template: string, values: Readonly<Record<string, string | readonly string[]>>): string {
  return template
    .replace(/^([ \t]*)\{\{([A-Z_]+)\}\}$/gm, (line, indent: string, key: string) => {
      const value = values[key];
      return Array.isArray(value) ? value.map((server: string) => `${indent}server ${server};`).join('\n') : line;
    })
    .replace(/\{\{([A-Z_]+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (typeof value !== 'string') throw new Error(`no value for {{${key}}}`);
      return value;
    });
}

/** The console's build (`npm run build -w @talk/console`), which nginx serves at `/`. */
export const CONSOLE_DIST = join(ROOT, 'apps', 'console', 'dist');

/**
 * Writes `dir`/nginx.conf listening on `port` with these upstream ports and the console's files
 * from `consoleRoot`, and returns its path.
 */
export function nginxConfFor(dir: string, port: number, apis: readonly number[], gateways: readonly number[], consoleRoot = CONSOLE_DIST): string {
  const path = join(dir, 'nginx.conf');
  writeFileSync(
    path,
    renderNginx(readFileSync(join(ROOT, 'deploy', 'nginx.conf.template'), 'utf8'), {
      LISTEN: `127.0.0.1:${port}`,
      API_SERVERS: apis.map((p) => `127.0.0.1:${p}`),
      GATEWAY_SERVERS: gateways.map((p) => `127.0.0.1:${p}`),
      PID: join(dir, 'nginx.pid'),
      TEMP_DIR: dir,
      ACCESS_LOG: join(dir, 'access.log'),
      CONSOLE_ROOT: consoleRoot,
    }),
  );
  return path;
}

export interface FrontDoor {
  readonly port: number;
  /** REST through nginx to the API replicas. */
  readonly rest: RestClient;
  /** WebSocket URL through nginx to the gateway replicas. */
  wsUrl(token: string): string;
  /** Sends nginx SIGTERM, waits for it to exit and removes its folder. */
  stop(): Promise<void>;
  /** SIGKILL at once, for a process that is exiting and cannot wait (its folder stays). */
  killNow(): void;
}

/** A loopback port that nobody listened on a moment ago. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('no free port');
  return port;
}

/** `count` different loopback ports, all free a moment ago: every probe listens until all have a port. */
export async function freePorts(count: number): Promise<number[]> {
  const probes = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const probe = createServer().once('error', reject);
          probe.listen(0, '127.0.0.1', () => resolve(probe));
        }),
    ),
  );
  const ports = probes.map((probe) => {
    const address = probe.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return ports;
}

/** Starts nginx in front of the stack's API and gateway replicas; resolves once /readyz answers 200 through it. */
export function startFrontDoor(stack: Stack): Promise<FrontDoor> {
  return startNginx(
    stack.apis.map((api) => api.port),
    stack.gateways.map((gateway) => gateway.port),
  );
}

/**
 * Starts nginx in front of API and gateway replicas on these loopback ports (the upstream lists
 * are fixed: a replica that restarts comes back on its port); resolves once /readyz answers 200
 * through it.
 */
export async function startNginx(apiPorts: readonly number[], gatewayPorts: readonly number[]): Promise<FrontDoor> {
  if (nginxBinary === undefined) throw new Error('nginx is not installed (Debian: apt-get install nginx)');
  const dir = mkdtempSync(join(tmpdir(), 'talk-nginx-'));
  // nginx's workers drop root; they must reach the temp paths under this folder.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const conf = nginxConfFor(dir, port, apiPorts, gatewayPorts);
  // Started as root, nginx's workers would run as `nobody`, who may not read a checkout in a
  // private directory (a CI clone under mktemp -d): they run as the user who started it.
  const globals = process.getuid?.() === 0 ? 'daemon off; user root;' : 'daemon off;';
  const proxy = spawn(nginxBinary, ['-p', dir, '-c', conf, '-e', 'stderr', '-g', globals], { stdio: ['ignore', 'ignore', 'inherit'] });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    proxy.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async (): Promise<void> => {
    if (!exited) proxy.kill('SIGTERM');
    await exit;
    rmSync(dir, { recursive: true, force: true });
  };

  const rest = restClient(`http://127.0.0.1:${port}`);
  try {
    await eventually(async () => {
      if (exited) throw new Error(`nginx exited before it answered on port ${port}`);
      const response = await rest.request('GET', '/readyz');
      if (response.status !== 200) throw new Error(`nginx answered ${response.status}`);
    }, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    rest,
    wsUrl: (token) => `ws://127.0.0.1:${port}/v1.0/ws?token=${encodeURIComponent(token)}`,
    stop,
    killNow: () => {
      if (!exited) proxy.kill('SIGKILL');
    },
  };
}

#!/usr/bin/env node
/**
 * Talk's deployment shape (README, Configuration) on this machine, without Docker: N replicas of
 * the api, the gateway and the notifier as child processes, behind nginx on one front port, the
 * same topology as docker-compose.yml. Run by `npm run stack`, which builds first.
 *
 *   node scripts/stack.mjs [--port 8080] [--replicas 2] [--json-logs]
 *   node scripts/stack.mjs --render-compose-nginx   rewrite deploy/nginx.conf from its template
 *
 * MongoDB and NATS: MONGO_URL and NATS_URL when both are set, else `scripts/dev-servers.sh start`.
 * nginx: from PATH or /usr/sbin; installed from Debian's packages when missing and run as root.
 * Development defaults (override by environment): TALK_ADMIN_KEY, JWT_SECRET, MONGO_DB=talk,
 * LOG_LEVEL=info. Replica ports: api 3100+i, gateway 3110+i, notifier health 3120+i.
 * The agents' console (apps/console/dist, built by `npm run build`) is served by nginx at `/`.
 * Logs are prefixed with the process name. The services write pino JSON, as in every deployment;
 * here each JSON line is shown as a line to read (scripts/dev-log-format.mjs): time, level, message,
 * the other fields as key=value and an error's stack below, with one colour per service, and
 * errors red, warnings yellow. Colour only on a terminal; NO_COLOR turns it off, FORCE_COLOR (not 0)
 * on. --json-logs keeps the JSON lines as they come, behind `name | `, for jq and other tools.
 * Lines that are not JSON (a crash trace, nginx's error log) pass through as they are; nginx's
 * access log is .data/stack/access.log.
 * Ctrl-C (SIGINT), SIGTERM or the end of the parent process stops nginx, then every replica
 * (SIGKILL after 15 s), and exits 0; a child that exits on its own stops everything and exits 1.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { colourWanted, formatLine } from './dev-log-format.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATE = join(ROOT, 'deploy', 'nginx.conf.template');
const STACK_DIR = join(ROOT, '.data', 'stack');
const CONSOLE_DIST = join(ROOT, 'apps', 'console', 'dist');
const SERVICES = [
  { name: 'api', basePort: 3100 },
  { name: 'gateway', basePort: 3110 },
  { name: 'notifier', basePort: 3120 },
];
const STOP_TIMEOUT_MS = 15_000;
const READY_TIMEOUT_MS = 60_000;

/** Fills the template's double-brace placeholders; list values become one `server …;` line each. */
function renderNginx(template, values) {
  const text = template.replace(/^([ \t]*)\{\{([A-Z_]+)\}\}$/gm, (line, indent, key) =>
    Array.isArray(values[key]) ? values[key].map((server) => `${indent}server ${server};`).join('\n') : line,
  );
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (_, key) => {
    if (typeof values[key] !== 'string') throw new Error(`nginx template: no value for {{${key}}}`);
    return values[key];
  });
}

if (process.argv.includes('--render-compose-nginx')) {
  const conf = renderNginx(readFileSync(TEMPLATE, 'utf8'), {
    LISTEN: '8080',
    API_SERVERS: ['api-1:3000', 'api-2:3000'],
    GATEWAY_SERVERS: ['gateway-1:3001', 'gateway-2:3001'],
    PID: '/var/run/nginx.pid',
    TEMP_DIR: '/var/cache/nginx',
    ACCESS_LOG: '/dev/stdout',
    // deploy/console.Dockerfile puts the console's build here in the nginx image.
    CONSOLE_ROOT: '/usr/share/talk/console',
  });
  writeFileSync(join(ROOT, 'deploy', 'nginx.conf'), conf);
  process.exit(0);
}

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    replicas: { type: 'string', default: '2' },
    'json-logs': { type: 'boolean', default: false },
  },
});
const frontPort = Number(options.port);
const replicas = Number(options.replicas);
const pretty = !options['json-logs'];
const logStyle = {
  pretty,
  colour: pretty && colourWanted(process.stdout.isTTY === true, process.env),
  width: Math.max('nginx'.length, 'stack'.length, ...SERVICES.map(({ name }) => `${name}-${replicas}`.length)),
};
const say = (line) => process.stdout.write(formatLine('stack', line, logStyle));
for (const [ok, problem] of [
  [Number.isInteger(frontPort) && frontPort >= 1 && frontPort <= 65_535, '--port must be 1–65535'],
  [Number.isInteger(replicas) && replicas >= 1 && replicas <= 10, '--replicas must be 1–10'],
]) {
  if (!ok) {
    say(problem);
    process.exit(2);
  }
}

const children = [];
let stopping = false;

function startChild(name, command, args, env) {
  if (stopping) return;
  // Own process group: Ctrl-C reaches only this script, which stops the children in order.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(formatLine(name, line, logStyle)));
  }
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    child.once('error', (error) => resolve(`could not start: ${error.message}`));
  });
  exited.then((how) => {
    if (!stopping) void stop(1, `${name} exited unexpectedly (${how}); stopping everything`);
  });
  children.push({ name, child, exited });
}

const running = ({ child }) => child.pid !== undefined && child.exitCode === null && child.signalCode === null;

function terminate(entry) {
  if (running(entry)) entry.child.kill('SIGTERM');
  return entry.exited;
}

async function stop(exitCode, reason) {
  if (stopping) return;
  stopping = true;
  say(reason);
  const timer = setTimeout(() => {
    for (const entry of children.filter(running)) {
      say(`${entry.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
      entry.child.kill('SIGKILL');
    }
  }, STOP_TIMEOUT_MS);
  // The front door first, so that no new request reaches a replica that is shutting down.
  await Promise.all(children.filter((c) => c.name === 'nginx').map(terminate));
  await Promise.all(children.filter((c) => c.name !== 'nginx').map(terminate));
  clearTimeout(timer);
  say('every process stopped');
  process.exit(exitCode);
}

function portFree(port) {
  return new Promise((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

async function waitUntilOk(url, what) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!stopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer 200 on ${url} within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function servers() {
  if (process.env.MONGO_URL && process.env.NATS_URL) return { MONGO_URL: process.env.MONGO_URL, NATS_URL: process.env.NATS_URL };
  say('MONGO_URL and NATS_URL are not both set: starting scripts/dev-servers.sh');
  const stdout = execFileSync('bash', [join(ROOT, 'scripts', 'dev-servers.sh'), 'start'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const vars = Object.fromEntries(stdout.split('\n').map((line) => line.split('=')).filter((pair) => pair.length === 2));
  if (!vars.MONGO_URL || !vars.NATS_URL) throw new Error(`scripts/dev-servers.sh printed no URLs:\n${stdout}`);
  return { MONGO_URL: vars.MONGO_URL, NATS_URL: vars.NATS_URL };
}

function nginxBinary() {
  const found = () => {
    for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin']) {
      if (dir && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
    }
    return undefined;
  };
  const present = found();
  if (present) return present;
  if (process.getuid?.() !== 0) throw new Error('nginx is missing: install it (Debian: sudo apt-get install nginx) and run again');
  say('installing nginx from Debian’s packages');
  const apt = { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  execFileSync('apt-get', ['update', '-qq'], apt);
  execFileSync('apt-get', ['install', '-y', '-qq', 'nginx'], apt);
  const installed = found();
  if (!installed) throw new Error('apt-get installed nginx but no nginx binary was found');
  return installed;
}

async function main() {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
    throw new Error('the console is not built (apps/console/dist): run `npm run build`, or `npm run stack`, which builds first');
  }
  const nginx = nginxBinary();
  const ports = SERVICES.flatMap(({ basePort }) => Array.from({ length: replicas }, (_, i) => basePort + i));
  for (const port of [...ports, frontPort]) {
    if (!(await portFree(port))) throw new Error(`port ${port} is in use (an earlier stack still running?)`);
  }
  const env = {
    ...servers(),
    MONGO_DB: process.env.MONGO_DB ?? 'talk',
    TALK_ADMIN_KEY: process.env.TALK_ADMIN_KEY ?? 'dev-admin-key',
    JWT_SECRET: process.env.JWT_SECRET ?? 'dev-jwt-secret-for-npm-run-stack-only',
    // The two defaults above are published here, so the services accept them only in dev mode.
    TALK_DEV_MODE: process.env.TALK_DEV_MODE ?? '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };

  const replicaPorts = {};
  for (const { name, basePort } of SERVICES) {
    replicaPorts[name] = [];
    for (let i = 0; i < replicas; i += 1) {
      const port = basePort + i;
      replicaPorts[name].push(port);
      startChild(`${name}-${i + 1}`, process.execPath, [join('services', name, 'dist', 'main.js')], { ...env, PORT: String(port) });
    }
  }
  await Promise.all(
    SERVICES.flatMap(({ name }) =>
      replicaPorts[name].map((port, i) => waitUntilOk(`http://127.0.0.1:${port}/readyz`, `${name}-${i + 1}`)),
    ),
  );
  if (stopping) return;

  mkdirSync(join(STACK_DIR, 'temp'), { recursive: true });
  const confPath = join(STACK_DIR, 'nginx.conf');
  writeFileSync(
    confPath,
    renderNginx(readFileSync(TEMPLATE, 'utf8'), {
      LISTEN: `127.0.0.1:${frontPort}`,
      API_SERVERS: replicaPorts.api.map((port) => `127.0.0.1:${port}`),
      GATEWAY_SERVERS: replicaPorts.gateway.map((port) => `127.0.0.1:${port}`),
      PID: join(STACK_DIR, 'nginx.pid'),
      TEMP_DIR: join(STACK_DIR, 'temp'),
      ACCESS_LOG: join(STACK_DIR, 'access.log'),
      CONSOLE_ROOT: CONSOLE_DIST,
    }),
  );
  // Started as root, nginx's workers would run as `nobody`, who may not read a checkout in a
  // private directory: they run as the user who started it.
  const globals = process.getuid?.() === 0 ? 'daemon off; user root;' : 'daemon off;';
  startChild('nginx', nginx, ['-p', STACK_DIR, '-c', confPath, '-e', 'stderr', '-g', globals], {});
  await waitUntilOk(`http://127.0.0.1:${frontPort}/readyz`, 'nginx in front of the api');
  if (stopping) return;

  say('Talk is up');
  for (const line of [
    `console    http://127.0.0.1:${frontPort}/   (agents sign in here; \`npm run demo\` makes a demo customer)`,
    `REST       http://127.0.0.1:${frontPort}/v1.0`,
    `WebSocket  ws://127.0.0.1:${frontPort}/v1.0/ws?token=…`,
    `admin key  ${env.TALK_ADMIN_KEY}   (header X-Admin-Key)`,
    `api        ${replicaPorts.api.map((p) => `127.0.0.1:${p}`).join(', ')}`,
    `gateway    ${replicaPorts.gateway.map((p) => `127.0.0.1:${p}`).join(', ')}`,
    `notifier   ${replicaPorts.notifier.map((p) => `127.0.0.1:${p}`).join(', ')} (health only)`,
    `nginx      ${confPath}`,
    `MongoDB    ${env.MONGO_URL} (database ${env.MONGO_DB}), NATS ${env.NATS_URL}`,
    'Ctrl-C stops everything.',
  ]) {
    say(`  ${line}`);
  }
}

process.on('SIGINT', () => void stop(0, 'SIGINT: stopping'));
process.on('SIGTERM', () => void stop(0, 'SIGTERM: stopping'));
// `npm run stack` runs this under `sh -c`, which dies on SIGTERM without passing it on: an
// orphaned stack stops itself rather than keep the ports.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(0, 'the parent process exited: stopping');
}, 1_000).unref();
main().catch((error) => void stop(1, `cannot start: ${error instanceof Error ? error.message : String(error)}`));

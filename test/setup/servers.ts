/**
 * Where the integration tests find their servers, in this order:
 *  1. MONGO_URL and NATS_URL from the environment;
 *  2. local servers started by scripts/dev-servers.sh (FerretDB built from the Go module proxy,
 *     nats-server from Debian's packages);
 *  3. testcontainers with the official `mongo:7` and `nats` images, when a Docker engine answers;
 *  4. otherwise an error that says what to install.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

declare global {
  // Shared by global-setup and global-teardown, which Jest runs in the same process.
  var talkTestServers: TestServers | undefined;
}

export interface TestServers {
  readonly mongoUrl: string;
  readonly natsUrl: string;
  /** What answers on mongoUrl, for reports: `mongodb`, `ferretdb-postgresql`, `ferretdb-sqlite`, … */
  readonly database: string;
  readonly stop: () => Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

async function fromDevServers(): Promise<TestServers> {
  const { stdout } = await run('bash', [join(ROOT, 'scripts', 'dev-servers.sh'), 'start'], {
    timeout: 10 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const vars = new Map(
    stdout
      .split('\n')
      .map((line) => line.split('='))
      .filter((pair): pair is [string, string] => pair.length === 2),
  );
  const mongoUrl = vars.get('MONGO_URL');
  const natsUrl = vars.get('NATS_URL');
  if (mongoUrl === undefined || natsUrl === undefined) throw new Error(`dev-servers.sh printed no URLs:\n${stdout}`);
  // Left running on purpose: the next test run reuses them (scripts/dev-servers.sh stop ends them).
  return { mongoUrl, natsUrl, database: `ferretdb-${vars.get('FERRETDB_BACKEND') ?? 'unknown'}`, stop: async () => {} };
}

async function fromContainers(): Promise<TestServers> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const mongo = await new GenericContainer('mongo:7').withExposedPorts(27017).withWaitStrategy(Wait.forListeningPorts()).start();
  const nats = await new GenericContainer('nats:2.10').withCommand(['-js']).withExposedPorts(4222).start();
  return {
    mongoUrl: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}/`,
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
    database: 'mongodb',
    stop: async () => {
      await Promise.all([mongo.stop(), nats.stop()]);
    },
  };
}

export async function resolveTestServers(env: NodeJS.ProcessEnv): Promise<TestServers> {
  const { MONGO_URL: mongoUrl, NATS_URL: natsUrl } = env;
  if (mongoUrl !== undefined && natsUrl !== undefined) {
    return { mongoUrl, natsUrl, database: env['TALK_TEST_DATABASE'] ?? 'given', stop: async () => {} };
  }
  const failures: string[] = [];
  try {
    return await fromDevServers();
  } catch (error) {
    failures.push(`scripts/dev-servers.sh start: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await fromContainers();
  } catch (error) {
    failures.push(`testcontainers (mongo:7, nats:2.10): ${error instanceof Error ? error.message : String(error)}`);
  }
  throw new Error(
    [
      'The integration tests need a MongoDB-compatible server and a NATS server with JetStream. Tried:',
      ...failures.map((failure) => `  - ${failure}`),
      'Fix one of them: set MONGO_URL and NATS_URL; or install Go 1.22+ (FerretDB is built from the',
      'Go module proxy) and nats-server (apt-get install nats-server); or start a Docker engine.',
    ].join('\n'),
  );
}

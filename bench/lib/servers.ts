/**
 * MongoDB and NATS for a benchmark run: MONGO_URL and NATS_URL when both are set (a real MongoDB,
 * say), else the dev servers of scripts/dev-servers.sh (FerretDB v1 and nats-server on loopback).
 * Sets them in process.env, where the topology harness of test/faults reads them.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Database } from './results';

const ROOT = join(__dirname, '..', '..');

export interface BenchServers {
  readonly mongoUrl: string;
  readonly natsUrl: string;
  readonly database: Database;
}

const DATABASES: readonly Database[] = ['mongodb', 'ferretdb-postgresql', 'ferretdb-sqlite'];

/** The dev servers' FerretDB backend, as printed by scripts/dev-servers.sh. */
function ferretDbOf(backend: string | undefined): Database {
  return backend === 'sqlite' ? 'ferretdb-sqlite' : 'ferretdb-postgresql';
}

/** What the results call a database given with MONGO_URL: TALK_BENCH_DATABASE, MongoDB unless said. */
function givenDatabase(name: string | undefined): Database {
  if (name === undefined) return 'mongodb';
  const database = DATABASES.find((known) => known === name);
  if (database === undefined) throw new Error(`TALK_BENCH_DATABASE=${name} is not one of ${DATABASES.join(', ')}`);
  return database;
}

export function ensureServers(): BenchServers {
  const { MONGO_URL, NATS_URL, TALK_BENCH_DATABASE } = process.env;
  if (MONGO_URL !== undefined && NATS_URL !== undefined) {
    return { mongoUrl: MONGO_URL, natsUrl: NATS_URL, database: givenDatabase(TALK_BENCH_DATABASE) };
  }
  const stdout = execFileSync('bash', [join(ROOT, 'scripts', 'dev-servers.sh'), 'start'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const vars = new Map(stdout.split('\n').flatMap((line) => {
    const at = line.indexOf('=');
    return at > 0 ? [[line.slice(0, at), line.slice(at + 1)] as const] : [];
  }));
  const mongoUrl = vars.get('MONGO_URL');
  const natsUrl = vars.get('NATS_URL');
  if (mongoUrl === undefined || natsUrl === undefined) throw new Error(`scripts/dev-servers.sh printed no URLs:\n${stdout}`);
  process.env['MONGO_URL'] = mongoUrl;
  process.env['NATS_URL'] = natsUrl;
  return { mongoUrl, natsUrl, database: ferretDbOf(vars.get('FERRETDB_BACKEND')) };
}

/**
 * Scenario 2, connections and memory (issue 5): idle, authenticated connections, each subscribed
 * to one talk, opened to one gateway process; the growth of its RSS per connection is the figure,
 * and the same for a bare `ws` server is the baseline. The clients come from two load processes,
 * since each process may hold only 20,000 file descriptors.
 *
 * Ten connections share an agent (agents in talks of TALK_SIZE). With an agent per connection
 * the set-up takes ~4 minutes instead of one: each connection costs three database reads, and
 * FerretDB v1 reads slow down with the size of the collection (4.8 ms at 19,000 agents, 1.6 ms at
 * 2,000). What an agent adds, the gateway's NATS subscription to its membership changes and its
 * bookkeeping, is ~1.5 KiB of heap (6,000 connections: 9.5 KiB of heap each with an agent per
 * connection, 8.1 with ten per agent): add ~1.4 KiB to the figure for one connection per agent.
 */
import { join } from 'node:path';
import { dropTopologyDatabase } from '../lib/database';
import { startChild, type BenchChild } from '../lib/child';
import type { BenchOptions } from '../lib/options';
import type { ConnectionsResult, Results } from '../lib/results';
import { median, round } from '../lib/stats';
import { IdleClientsOpened, IdleServerListening } from '../load/protocol';
import { startTopology, type Topology } from '../../test/faults/topology';
import { COLLECT_ON_SIGUSR2, collectedRss, settledRss } from './connections-memory';
import { people, TALK_SIZE, type IdleClient } from './connections-people';

interface Plan {
  readonly connections: number;
  /** Connections that share one agent (and its token). */
  readonly connectionsPerAgent: number;
  readonly runs: number;
}

// One run each: the gateway opens ~300 connections a second on this box, so the full run takes
// ~90 s, and a second would not fit the time budget of the bench.
const PLANS = {
  quick: { connections: 2_000, connectionsPerAgent: 10, runs: 1 },
  full: { connections: 19_000, connectionsPerAgent: 10, runs: 1 },
} as const satisfies Record<string, Plan>;

const LOAD_PROCESSES = 2;
/** Connections being opened at once, over all load processes: the gateway checks each in the database. */
const CONCURRENCY = 200;
/** Source addresses per phase (a phase opens one set of connections to one server). */
const ADDRESSES_PER_PHASE = 8;
const OPEN_TIMEOUT_MS = 300_000;
/**
 * The gateway re-checks every connected agent's status with one `$in` query every 30 s. On FerretDB
 * v1 that query takes ~11 s for 19,000 agents (0.4 s for 2,000) and starves the connection set-up,
 * and what it loads is transient, not a cost of holding a connection: the benchmark moves it out
 * of the way. The gateway also collects garbage on request, for the readings.
 */
const GATEWAY_ENV = { WS_AUTH_RECHECK_MS: String(10 * 60_000), NODE_OPTIONS: COLLECT_ON_SIGUSR2 };

interface Target {
  readonly pid: number;
  urlOf(token: string): string;
}

interface Phase {
  readonly count: number;
  /** RSS growth per connection, read after full collections (connections-memory.ts says why). */
  readonly kibPerConn: number;
  /** The same with the RSS read after ~2 s of idleness, with whatever V8 has not collected yet. */
  readonly idleKibPerConn: number;
  readonly failed: number;
  readonly openSeconds: number;
}

/** Loopback addresses of their own for each phase, so that no port is still in TIME_WAIT from an earlier one. */
const addressesOf = (phase: number): string[] =>
  Array.from({ length: ADDRESSES_PER_PHASE }, (_, i) => `127.0.${phase + 1}.${i + 2}`);

/** Opens every client to `target` from the load processes and reads the target's RSS growth. */
async function measure(target: Target, clients: readonly IdleClient[], phase: number): Promise<Phase> {
  const before = await collectedRss(target.pid);
  const addresses = addressesOf(phase);
  const loads: BenchChild[] = Array.from({ length: LOAD_PROCESSES }, () => startChild(join(__dirname, '..', 'load', 'connections-clients.ts')));
  try {
    const started = Date.now();
    const opened = await Promise.all(
      loads.map((load, i) =>
        load.ask(
          {
            type: 'open',
            clients: clients.filter((_, at) => at % LOAD_PROCESSES === i).map((client) => ({ url: target.urlOf(client.token), talkId: client.talkId })),
            localAddresses: addresses.filter((_, at) => at % LOAD_PROCESSES === i),
            concurrency: CONCURRENCY / LOAD_PROCESSES,
          },
          IdleClientsOpened,
          OPEN_TIMEOUT_MS,
        ),
      ),
    );
    const openSeconds = (Date.now() - started) / 1000;
    const count = opened.reduce((sum, reply) => sum + reply.subscribed, 0);
    const failed = opened.reduce((sum, reply) => sum + reply.failed, 0);
    if (failed > 0) process.stdout.write(`   ${failed} connections failed, e.g. ${opened.flatMap((reply) => reply.failures).slice(0, 3).join('; ')}\n`);
    if (count === 0) throw new Error('no connection was subscribed');
    const idle = await settledRss(target.pid);
    const after = await collectedRss(target.pid);
    const kib = (bytes: number): number => (bytes - before) / count / 1024;
    return { count, kibPerConn: kib(after), idleKibPerConn: kib(idle), failed, openSeconds };
  } finally {
    await Promise.all(loads.map((load) => load.stop()));
  }
}

async function baseline(clients: readonly IdleClient[], phase: number): Promise<Phase> {
  const server = startChild(join(__dirname, '..', 'baseline', 'ws-idle-server.ts'), { NODE_OPTIONS: COLLECT_ON_SIGUSR2 });
  try {
    const { port } = await server.ask({ type: 'listen' }, IdleServerListening);
    return await measure({ pid: server.pid, urlOf: () => `ws://127.0.0.1:${port}/` }, clients, phase);
  } finally {
    await server.stop();
  }
}

async function run(plan: Plan, topology: Topology): Promise<{ gateway: Phase[]; ws: Phase[] }> {
  const agents = await people(topology, Math.ceil(plan.connections / plan.connectionsPerAgent));
  const clients = Array.from({ length: plan.connections }, (_, i) => agents[i % agents.length]).filter((client) => client !== undefined);
  const gateway = topology.gateways[0];
  if (gateway === undefined) throw new Error('the topology has no gateway');
  const gateways: Phase[] = [];
  const bare: Phase[] = [];
  for (let i = 0; i < plan.runs; i += 1) {
    // A fresh process each run: a heap that once held N connections would hold the next N for less.
    if (i > 0) await gateway.restart();
    const pid = gateway.pid();
    if (pid === undefined) throw new Error('the gateway has no pid');
    const phase = 2 * i;
    gateways.push(await measure({ pid, urlOf: (token) => `ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${token}` }, clients, phase));
    bare.push(await baseline(clients, phase + 1));
    const describe = (phase: Phase | undefined): string =>
      phase === undefined
        ? ''
        : `${phase.count} connections (opened in ${round(phase.openSeconds)} s), ${round(phase.kibPerConn)} KiB each (${round(phase.idleKibPerConn)} at 2 s idle, before collections)`;
    process.stdout.write(`   run ${i + 1}: gateway ${describe(gateways[i])}; bare ws ${describe(bare[i])}\n`);
  }
  return { gateway: gateways, ws: bare };
}

export async function connections(options: BenchOptions): Promise<Partial<Results>> {
  const plan: Plan = options.quick ? PLANS.quick : PLANS.full;
  const topology = await startTopology('bench_connections', { apis: 1, gateways: 1, notifiers: 0, env: { gateway: GATEWAY_ENV } });
  let measured;
  try {
    measured = await run(plan, topology);
  } finally {
    // The services first: one still running could write to the database after it was dropped.
    try {
      await topology.stop();
    } finally {
      await dropTopologyDatabase(topology);
    }
  }
  const result: ConnectionsResult = {
    count: Math.min(...measured.gateway.map((phase) => phase.count)),
    kib_per_conn: round(median(measured.gateway.map((phase) => phase.kibPerConn))),
    baseline_ws_kib_per_conn: round(median(measured.ws.map((phase) => phase.kibPerConn))),
  };
  process.stdout.write(
    `   ${result.count} idle connections, ${plan.connectionsPerAgent} per agent, in talks of ${TALK_SIZE} agents: ${result.kib_per_conn} KiB each (target ≤ 16), bare ws ${result.baseline_ws_kib_per_conn} KiB (${plan.runs === 1 ? 'one run' : `median of ${plan.runs} runs`})\n`,
  );
  if (options.quick) {
    // Seen in the heap statistics: V8's young generation grows to its 32 MiB maximum, and the code
    // compiled for the connection path is added, whatever the number of connections.
    process.stdout.write('   (quick: one-off growth of ~20 MiB — young generation, compiled code — weighs ~10 KiB a connection at this count; compare full runs with the target)\n');
  }
  return { connections: result };
}

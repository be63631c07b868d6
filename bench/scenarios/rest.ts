/**
 * Scenario 3, the REST write path (issue 5): `POST /v1.0/talks/{id}/messages` from 32 concurrent
 * agents against one API process (straight to its port, not through nginx), and in the same run
 * the rate of the same database work issued straight through the driver by the same 32 writers
 * (bench/load/rest-raw-writes.ts says exactly what that is): the ratio is what the API keeps of
 * what the database allows.
 *
 * Load: 32 agents in 16 talks of 2, both members posting, one message in flight per agent: pairs
 * of agents chatting, both typing. A post then sometimes races the other member's for the talk's
 * next seq, as it does whenever two members write at once; 32 agents in one talk would measure
 * that race rather than the write path, 32 talks of one would hide it. The raw writers use the
 * same talks.
 *
 * A phase is a fixed number of messages per agent, from the same database state (rest-database.ts
 * says why): HTTP and raw do the same writes and meet the same collection sizes. Each run has
 * both phases, alternating which goes first; the figures are the medians over the runs.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { startChild, type BenchChild } from '../lib/child';
import type { BenchOptions } from '../lib/options';
import type { Results, RestResult } from '../lib/results';
import { median, round } from '../lib/stats';
import { PostsReport, RawReport, type Poster } from '../load/rest-protocol';
import { openBenchDatabase, type BenchDatabase } from './rest-database';
import { createPosters } from './rest-people';
import { startTopology } from '../../test/faults/topology';

interface Plan {
  readonly agents: number;
  readonly agentsPerTalk: number;
  /** Discarded: fills the connection pools and warms up the JIT of both sides. */
  readonly warmupPerAgent: number;
  readonly messagesPerAgent: number;
  readonly runs: number;
}

// Short phases of the same size in both plans: quick and full figures compare (a phase's own
// messages slow down its later posts on FerretDB, rest-database.ts), a small database keeps the
// database's share of a post closer to what an indexed MongoDB does, and many short runs give a
// median that a burst of other work on the box moves less. Full only runs more of them.
const PLANS = {
  quick: { agents: 32, agentsPerTalk: 2, warmupPerAgent: 2, messagesPerAgent: 8, runs: 3 },
  full: { agents: 32, agentsPerTalk: 2, warmupPerAgent: 2, messagesPerAgent: 8, runs: 9 },
} as const satisfies Record<string, Plan>;

interface Run {
  readonly http: PostsReport;
  readonly raw: RawReport;
  readonly insert: RawReport;
}

export type RestFigures = RestResult & {
  readonly concurrency: number;
  readonly talks: number;
  readonly agents_per_talk: number;
  readonly messages_per_phase: number;
  readonly runs: number;
  readonly raw_p50_ms: number;
  readonly raw_p99_ms: number;
  readonly raw_insert_p50_ms: number;
  readonly raw_insert_p99_ms: number;
};

/** A phase takes seconds; this is for a load process that hangs. */
const ASK_TIMEOUT_MS = 120_000;
const Ok = z.object({}).loose();

export async function rest(options: BenchOptions): Promise<Partial<Results>> {
  const plan: Plan = options.quick ? PLANS.quick : PLANS.full;
  // nginx needs a gateway upstream; no notifier, which posts do not involve.
  const topology = await startTopology('bench_rest', { apis: 1, gateways: 1, notifiers: 0 });
  const children: BenchChild[] = [];
  let opened: BenchDatabase | undefined;
  try {
    const here = (file: string): string => join(__dirname, '..', 'load', file);
    const http = startChild(here('rest-posts.ts'));
    children.push(http);
    const raw = startChild(here('rest-raw-writes.ts'));
    children.push(raw);
    const mongo = { mongoUrl: topology.stack.env['MONGO_URL'] ?? '', db: topology.stack.env['MONGO_DB'] ?? '' };
    const database = await openBenchDatabase(mongo.mongoUrl, mongo.db);
    opened = database;
    const baseUrl = `http://127.0.0.1:${topology.apis[0]?.port ?? 0}`;
    const posters = await createPosters(baseUrl, plan.agents, plan.agentsPerTalk, 'rest');
    await raw.ask({ type: 'connect', ...mongo }, Ok);

    // A phase must have stored every message it counts, or it measured something else.
    const checkStored = async (counted: number, what: string): Promise<void> => {
      const stored = await database.countMessages();
      if (stored < counted) throw new Error(`${counted} ${what}, but only ${stored} messages in the database`);
    };
    const phases: Phases = {
      async http(perPoster) {
        await database.clearMessages();
        const report = await http.ask({ type: 'posts', baseUrl, posters, perPoster }, PostsReport, ASK_TIMEOUT_MS);
        await checkStored(report.posts, 'posts answered 2xx');
        return report;
      },
      async raw(perPoster) {
        await database.clearMessages();
        const report = await raw.ask({ type: 'raw', posters, perPoster }, RawReport, ASK_TIMEOUT_MS);
        await checkStored(report.writes, 'raw writes');
        return report;
      },
      async insert(perPoster) {
        await database.clearMessages();
        const report = await raw.ask({ type: 'insert', posters, perPoster }, RawReport, ASK_TIMEOUT_MS);
        await checkStored(report.writes, 'single inserts');
        return report;
      },
    };
    const warmUp = await phases.http(plan.warmupPerAgent);
    await phases.raw(plan.warmupPerAgent);
    await phases.insert(plan.warmupPerAgent);
    const runs: Run[] = [];
    for (let run = 0; run < plan.runs; run += 1) runs.push(await measureRun(phases, plan, run));
    await raw.ask({ type: 'close' }, Ok);

    const result = summarise(plan, posters, runs, warmUp.non2xx, options);
    process.stdout.write(
      `   ${result.concurrency} agents in ${result.talks} talks of ${result.agents_per_talk}, ${result.messages_per_phase} messages a phase, ` +
        `median of ${result.runs}: ${result.posts_per_s} posts/s vs ${result.raw_db_writes_per_s} raw writes/s, ` +
        `ratio ${result.ratio}; vs ${result.raw_insert_per_s} single inserts/s, ratio ${result.ratio_to_insert} (${result.database})\n`,
    );
    return { rest: result };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await topology.stop();
    await opened?.dropAndClose();
  }
}

interface Phases {
  http(perPoster: number): Promise<PostsReport>;
  raw(perPoster: number): Promise<RawReport>;
  insert(perPoster: number): Promise<RawReport>;
}

/** The three phases, HTTP first in even runs and last in odd ones. */
async function measureRun(phases: Phases, plan: Plan, run: number): Promise<Run> {
  // The box may be shared: the load average tells a reader how much to trust the run.
  const load = loadavg()[0] ?? 0;
  const early = run % 2 === 0 ? await phases.http(plan.messagesPerAgent) : undefined;
  const raw = await phases.raw(plan.messagesPerAgent);
  const insert = await phases.insert(plan.messagesPerAgent);
  const http = early ?? (await phases.http(plan.messagesPerAgent));
  process.stdout.write(
    `   run ${run + 1} (load average ${load.toFixed(1)}): ${Math.round(http.postsPerSecond)} posts/s ` +
      `(p50 ${round(http.p50Ms)} ms, p99 ${round(http.p99Ms)} ms, ${http.non2xx} non-2xx), ` +
      `raw ${Math.round(raw.writesPerSecond)} writes/s (p50 ${round(raw.p50Ms)} ms, p99 ${round(raw.p99Ms)} ms), ` +
      `single inserts ${Math.round(insert.writesPerSecond)}/s (p50 ${round(insert.p50Ms)} ms), ` +
      `ratio ${round(http.postsPerSecond / raw.writesPerSecond)}, to insert ${round(http.postsPerSecond / insert.writesPerSecond)}\n`,
  );
  return { http, raw, insert };
}

function summarise(plan: Plan, posters: readonly Poster[], runs: readonly Run[], warmUpNon2xx: number, options: BenchOptions): RestFigures {
  const postsPerS = median(runs.map((run) => run.http.postsPerSecond));
  const rawPerS = median(runs.map((run) => run.raw.writesPerSecond));
  const insertPerS = median(runs.map((run) => run.insert.writesPerSecond));
  return {
    posts_per_s: Math.round(postsPerS),
    raw_db_writes_per_s: Math.round(rawPerS),
    ratio: round(postsPerS / rawPerS),
    raw_insert_per_s: Math.round(insertPerS),
    ratio_to_insert: round(postsPerS / insertPerS),
    p50_ms: round(median(runs.map((run) => run.http.p50Ms))),
    p99_ms: round(median(runs.map((run) => run.http.p99Ms))),
    // Every request counts, the warm-up's too.
    non_2xx: runs.reduce((sum, run) => sum + run.http.non2xx, warmUpNon2xx),
    database: options.servers.database,
    concurrency: posters.length,
    talks: new Set(posters.map((poster) => poster.talkId)).size,
    agents_per_talk: plan.agentsPerTalk,
    messages_per_phase: posters.length * plan.messagesPerAgent,
    runs: runs.length,
    raw_p50_ms: round(median(runs.map((run) => run.raw.p50Ms))),
    raw_p99_ms: round(median(runs.map((run) => run.raw.p99Ms))),
    raw_insert_p50_ms: round(median(runs.map((run) => run.insert.p50Ms))),
    raw_insert_p99_ms: round(median(runs.map((run) => run.insert.p99Ms))),
  };
}

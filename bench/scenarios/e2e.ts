/**
 * Scenario 4, end to end (issue 5): messages posted over HTTP at a fixed, moderate rate into talks
 * of 100 members, timed until `message_created` reaches each member's WebSocket — API, MongoDB,
 * NATS, gateway and client, through nginx as deployed. The database is named in the result: the
 * target is for MongoDB, and FerretDB is measured too.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { startChild } from '../lib/child';
import { dropTopologyDatabase } from '../lib/database';
import type { BenchOptions } from '../lib/options';
import { createTalkOf, populate } from '../lib/population';
import type { E2eResult, Results } from '../lib/results';
import { median, round } from '../lib/stats';
import { ClientsReport, PostedReply } from '../load/protocol';
import { startTopology } from '../../test/faults/topology';

interface Plan {
  readonly talks: number;
  readonly talkSize: number;
  readonly postsPerSecond: number;
  readonly durationMs: number;
  readonly runs: number;
}

const PLANS = {
  quick: { talks: 1, talkSize: 100, postsPerSecond: 10, durationMs: 4_000, runs: 1 },
  full: { talks: 2, talkSize: 100, postsPerSecond: 20, durationMs: 10_000, runs: 3 },
} as const satisfies Record<string, Plan>;

/**
 * Posts before measuring, as fan-out does: the first post after start-up takes some 65 ms on
 * FerretDB (pool connections opened, code compiled), which would be the p99 of a short run.
 */
const WARM_UP_MS = 1_000;

const Ok = z.object({}).loose();
const Connected = z.object({ connected: z.number() });

export async function e2e(options: BenchOptions): Promise<Partial<Results>> {
  const plan: Plan = options.quick ? PLANS.quick : PLANS.full;
  const topology = await startTopology('bench_e2e', { apis: 1, gateways: 1, notifiers: 1 });
  const clients = startChild(join(__dirname, '..', 'load', 'ws-clients.ts'));
  const poster = startChild(join(__dirname, '..', 'load', 'poster.ts'));
  try {
    const { agents } = await populate(topology, plan.talkSize);
    const talks: string[] = [];
    for (let t = 0; t < plan.talks; t += 1) talks.push((await createTalkOf(topology, agents, `End to end ${t}`)).talkId);
    const list = talks.flatMap((talkId) => agents.map((agent) => ({ url: topology.wsUrl(agent.token), talkId })));
    const { connected } = await clients.ask({ type: 'connect', clients: list, concurrency: 50 }, Connected, 300_000);
    if (connected !== list.length) throw new Error(`only ${connected} of ${list.length} clients connected`);

    // Ten agents of each talk take turns posting.
    const posters = talks.flatMap((talkId) => agents.slice(0, 10).map((agent) => ({ token: agent.token, talkId })));
    const postFor = async (durationMs: number): Promise<{ readonly report: ClientsReport; readonly failed: number }> => {
      await clients.ask({ type: 'reset' }, Ok);
      const posted = await poster.ask(
        { type: 'post', baseUrl: topology.frontUrl, posters, postsPerSecond: plan.postsPerSecond, durationMs },
        PostedReply,
        durationMs + 60_000,
      );
      const report = await clients.ask({ type: 'report', lastSeqs: posted.lastSeqs, settleMs: 15_000 }, ClientsReport, 60_000);
      return { report, failed: posted.failed };
    };
    let failed = (await postFor(WARM_UP_MS)).failed;
    const runs: ClientsReport[] = [];
    for (let run = 0; run < plan.runs; run += 1) {
      const measured = await postFor(plan.durationMs);
      failed += measured.failed;
      runs.push(measured.report);
    }
    const result: E2eResult & { readonly lost: number; readonly failed_posts: number } = {
      talk_size: plan.talkSize,
      rate_per_s: plan.postsPerSecond,
      p50_ms: round(median(runs.map((run) => run.p50Ms))),
      p99_ms: round(median(runs.map((run) => run.p99Ms))),
      database: options.servers.database,
      lost: runs.reduce((sum, run) => sum + run.lost, 0),
      failed_posts: failed,
    };
    process.stdout.write(`   ${plan.postsPerSecond} posts/s into talks of ${plan.talkSize}: p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms (${result.database})\n`);
    return { e2e: result };
  } finally {
    await Promise.all([clients.stop(), poster.stop()]);
    await topology.stop();
    await dropTopologyDatabase(topology);
  }
}

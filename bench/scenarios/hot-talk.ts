/**
 * Scenario `hot-talk`: a busy incident channel, every agent posting into one talk at once. Every
 * writer to a talk competes for the next seq of its log (packages/store/src/write-pipeline/event-log.ts: an
 * insert at the seq after the state it decided on, deciding again when another writer took it),
 * so the figure is what one talk keeps of the rate the same writers reach when they are spread out.
 *
 * Two phases in the same run, against the same two API processes (straight to their ports, not
 * through nginx; poster i posts to API i mod 2), each a closed loop for a fixed time after a
 * warm-up (bench/load/hot-talk-posts.ts):
 *   - spread: 32 agents in 16 talks of 2, both members posting, as in the REST scenario;
 *   - hot: the same 32 agents, all members of one talk, all posting into it.
 * Both start from the same database state (rest-database.ts says why: messages, their events and
 * the talks' state snapshots are deleted before each). After each phase the logs of its talks are
 * read back through the API and checked: no gaps, and every post answered 2xx in it exactly once
 * (hot-talk-log-check.ts).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startChild } from '../lib/child';
import type { BenchOptions } from '../lib/options';
import type { HotTalkResult, Results } from '../lib/results';
import { round } from '../lib/stats';
import { TimedPostsReport } from '../load/hot-talk-protocol';
import type { Poster } from '../load/rest-protocol';
import { checkLogs, type LogCheck } from './hot-talk-log-check';
import { createHotTalkPeople } from './hot-talk-people';
import { openBenchDatabase, type BenchDatabase } from './rest-database';
import { startTopology } from '../../test/faults/topology';

interface Plan {
  readonly agents: number;
  readonly agentsPerTalk: number;
  readonly apis: number;
  /** Posted and checked, not measured: fills the connection pools and warms up the JIT of both sides. */
  readonly warmupMs: number;
  readonly durationMs: number;
}

const PLANS = {
  quick: { agents: 32, agentsPerTalk: 2, apis: 2, warmupMs: 2_000, durationMs: 5_000 },
  full: { agents: 32, agentsPerTalk: 2, apis: 2, warmupMs: 2_000, durationMs: 10_000 },
} as const satisfies Record<string, Plan>;

/** Beyond the phase itself: a load process that hangs. */
const ASK_MARGIN_MS = 60_000;

interface Phase {
  readonly report: TimedPostsReport;
  readonly log: LogCheck;
}

export type HotTalkFigures = HotTalkResult & {
  readonly concurrency: number;
  readonly apis: number;
  readonly spread_talks: number;
  readonly warmup_ms: number;
  readonly duration_ms: number;
  readonly spread_p50_ms: number;
  readonly spread_p99_ms: number;
  /** 2xx posts found more than once, or at another seq than answered, in the hot talk's log. */
  readonly duplicated: number;
  readonly wrong_seq: number;
  /** Messages in the hot talk's log whose post was not answered 2xx (timed out, say). */
  readonly recorded_without_2xx: number;
  /** The same checks over the spread phase's talks. */
  readonly spread_log: LogCheck;
  readonly hot_log_events: number;
  /** 2xx answers in each second of the measured window. */
  readonly per_second: { readonly spread: readonly number[]; readonly hot: readonly number[] };
  /** 2xx answers within the measured window by API process. */
  readonly posts_by_api: { readonly spread: readonly number[]; readonly hot: readonly number[] };
};

export async function hotTalk(options: BenchOptions): Promise<Partial<Results>> {
  const plan: Plan = options.quick ? PLANS.quick : PLANS.full;
  // nginx needs a gateway upstream; no notifier, which posts do not involve.
  const topology = await startTopology('bench_hot_talk', { apis: plan.apis, gateways: 1, notifiers: 0 });
  const poster = startChild(join(__dirname, '..', 'load', 'hot-talk-posts.ts'));
  let opened: BenchDatabase | undefined;
  try {
    const database = await openBenchDatabase(topology.stack.env['MONGO_URL'] ?? '', topology.stack.env['MONGO_DB'] ?? '');
    opened = database;
    const apiUrls = topology.apis.map((api) => `http://127.0.0.1:${api.port}`);
    const [setupUrl = ''] = apiUrls;
    const people = await createHotTalkPeople(setupUrl, plan.agents, plan.agentsPerTalk, 'hot-talk');

    const runPhase = async (name: string, posters: readonly Poster[]): Promise<Phase> => {
      await database.clearMessages();
      // The box may be shared: the load average tells a reader how much to trust the phase.
      const load = loadavg()[0] ?? 0;
      const report = await poster.ask(
        { type: 'posts', apiUrls, posters, warmupMs: plan.warmupMs, durationMs: plan.durationMs },
        TimedPostsReport,
        plan.warmupMs + plan.durationMs + ASK_MARGIN_MS,
      );
      const log = await checkLogs(setupUrl, posters, report.accepted);
      process.stdout.write(
        `   ${name} (load average ${load.toFixed(1)}): ${round(report.postsPerSecond)} posts/s ` +
          `(p50 ${round(report.p50Ms)} ms, p99 ${round(report.p99Ms)} ms, ${report.non2xx} non-2xx ${JSON.stringify(report.non2xxByStatus)}, ` +
          `by API ${report.postsByApi.join(' / ')}); log of ${log.talks} talk(s), ${log.events} events: ` +
          `${log.gaps} gaps, ${log.missing} missing, ${log.duplicated} duplicated, ${log.wrong_seq} at another seq, ` +
          `${log.recorded_without_2xx} recorded without a 2xx answer\n`,
      );
      return { report, log };
    };
    const spread = await runPhase(`spread, ${plan.agents} posters in talks of ${plan.agentsPerTalk}`, people.spread);
    const hot = await runPhase(`hot, ${plan.agents} posters in one talk`, people.hot);

    const result = summarise(plan, people.spread, spread, hot, options);
    process.stdout.write(
      `   hot ${result.posts_per_s} posts/s vs spread ${result.spread_posts_per_s}: ratio ${result.ratio}${result.ratio >= 0.5 ? '' : ' (below 0.5)'}, ` +
        `${result.non_2xx} non-2xx, hot talk's log: ${result.gaps} gaps, ${result.missing} missing (${result.database})\n`,
    );
    return { hot_talk: result };
  } finally {
    await poster.stop();
    await topology.stop();
    await opened?.dropAndClose();
  }
}

function summarise(plan: Plan, spreadPosters: readonly Poster[], spread: Phase, hot: Phase, options: BenchOptions): HotTalkFigures {
  const non2xxByStatus: Record<string, number> = { ...spread.report.non2xxByStatus };
  for (const [status, count] of Object.entries(hot.report.non2xxByStatus)) non2xxByStatus[status] = (non2xxByStatus[status] ?? 0) + count;
  return {
    posts_per_s: round(hot.report.postsPerSecond),
    spread_posts_per_s: round(spread.report.postsPerSecond),
    ratio: round(hot.report.postsPerSecond / spread.report.postsPerSecond),
    p50_ms: round(hot.report.p50Ms),
    p99_ms: round(hot.report.p99Ms),
    non_2xx: spread.report.non2xx + hot.report.non2xx,
    non_2xx_by_status: non2xxByStatus,
    gaps: hot.log.gaps,
    missing: hot.log.missing,
    database: options.servers.database,
    concurrency: spreadPosters.length,
    apis: plan.apis,
    spread_talks: new Set(spreadPosters.map((poster) => poster.talkId)).size,
    warmup_ms: plan.warmupMs,
    duration_ms: plan.durationMs,
    spread_p50_ms: round(spread.report.p50Ms),
    spread_p99_ms: round(spread.report.p99Ms),
    duplicated: hot.log.duplicated,
    wrong_seq: hot.log.wrong_seq,
    recorded_without_2xx: hot.log.recorded_without_2xx,
    spread_log: spread.log,
    hot_log_events: hot.log.events,
    per_second: { spread: spread.report.perSecond, hot: hot.report.perSecond },
    posts_by_api: { spread: spread.report.postsByApi, hot: hot.report.postsByApi },
  };
}

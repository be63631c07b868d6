/**
 * Scenario `unread` (issue 13): an agent in 500 talks, each with 0–200 messages it has not read,
 * lists its talks. Does the read-state decoration of `GET /v1.0/talks` (each talk's marker and
 * unread counts, kept in a per-reader cache counted on from the talk's log) keep the listing
 * within 1.5 × the plain listing on the same data?
 *
 * The baseline: there is no switch that turns read state off, and the honest plain listing is the
 * data-layer work the listing did before read state. The data-layer process (load/unread-store.ts)
 * does one page's work in-process through the API's own adapters, without and with the page's
 * `readStates.stateOf`, in turn, on the same data; the ratio is their p50s. The HTTP figures are
 * the whole request, from a timing process of their own (load/unread-requests.ts).
 *
 * Measured, in this order: the cold pass (each page of the listing once, count caches empty: an
 * agent back after a long time), twice; then warm, twice each: the first page and a later one over
 * HTTP, and the data layer's two variants; `?unread=true`; `GET /v1.0/me/unread`; and the first
 * page right after one new message in each of its 50 talks (the incremental count). The counts the
 * API answers are checked against what was seeded (unread-checks.ts).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { loadavg } from 'node:os';
import { createTalkApi } from '@talk/client/talk-api';
import { COLLECTIONS } from '@talk/store/documents';
import { startChild, type BenchChild } from '../lib/child';
import type { BenchOptions } from '../lib/options';
import type { LatencyFigures, Results, UnreadResult } from '../lib/results';
import { median, round } from '../lib/stats';
import { Timing, type Repeats } from '../load/history-protocol';
import { messageText } from '../load/rest-texts';
import { CommandCount, Comparison, Walk } from '../load/unread-protocol';
import { openHistoryDatabase, type HistoryDatabase } from './history-database';
import { checkListed, checkSummary, summed, withPosts, type Expected } from './unread-checks';
import { createUnreadPeople } from './unread-people';
import { seedUnreadTalks, type UnreadPlan } from './unread-seed';
import { startTopology } from '../../test/faults/topology';

interface Plan {
  readonly seed: UnreadPlan;
  readonly runs: number;
  readonly list: Repeats;
  /** `?unread=true` and `/me/unread` read every talk of the agent: fewer samples. */
  readonly summary: Repeats;
  readonly storeWarmup: number;
  readonly storeSamples: number;
  readonly activityRounds: number;
  /** Pages of the cold passes after the first: a whole pass takes minutes on FerretDB. */
  readonly laterColdPages: number;
}

const PLANS = {
  quick: {
    seed: { talks: 120, maxMessages: 200, seed: 13 },
    runs: 2,
    list: { warmup: 5, warmupBudgetMs: 5_000, samples: 40, minSamples: 5, budgetMs: 20_000 },
    summary: { warmup: 2, warmupBudgetMs: 5_000, samples: 20, minSamples: 3, budgetMs: 20_000 },
    storeWarmup: 5,
    storeSamples: 40,
    activityRounds: 3,
    laterColdPages: 2,
  },
  full: {
    seed: { talks: 500, maxMessages: 200, seed: 13 },
    runs: 2,
    // Budgets, not counts, end most of these on FerretDB: a warm page of 500 talks takes a second or two there.
    list: { warmup: 5, warmupBudgetMs: 10_000, samples: 200, minSamples: 10, budgetMs: 30_000 },
    summary: { warmup: 2, warmupBudgetMs: 10_000, samples: 100, minSamples: 5, budgetMs: 20_000 },
    storeWarmup: 3,
    storeSamples: 20,
    activityRounds: 5,
    laterColdPages: 2,
  },
} as const satisfies Record<string, Plan>;

const PAGE_SIZE = 50;
const COLLEAGUES = 3;
/** A cold pass on FerretDB reads every event of every talk once: minutes, not seconds. */
const ASK_TIMEOUT_MS = 1_800_000;
const Ok = z.object({}).loose();

const seconds = (since: number): string => `${Math.round((performance.now() - since) / 100) / 10} s`;
const figures = (timing: { readonly p50Ms: number; readonly p99Ms: number; readonly samples: number }): LatencyFigures => ({
  p50_ms: round(timing.p50Ms),
  p99_ms: round(timing.p99Ms),
  samples: timing.samples,
});
const shown = (f: LatencyFigures): string => `p50 ${f.p50_ms} ms, p99 ${f.p99_ms} ms (${f.samples} samples)`;
const load = (): string => `load average ${(loadavg()[0] ?? 0).toFixed(1)}`;

export async function unread(options: BenchOptions): Promise<Partial<Results>> {
  const plan: Plan = options.quick ? PLANS.quick : PLANS.full;
  // No notifier: its system messages would add to the talks between measurements.
  const topology = await startTopology('bench_unread', { apis: 1, gateways: 1, notifiers: 0 });
  const here = (file: string): string => join(__dirname, '..', 'load', file);
  const timer: BenchChild = startChild(here('unread-requests.ts'));
  const layer: BenchChild = startChild(here('unread-store.ts'));
  let opened: HistoryDatabase | undefined;
  try {
    const mongoUrl = topology.stack.env['MONGO_URL'] ?? '';
    const dbName = topology.stack.env['MONGO_DB'] ?? '';
    const database = await openHistoryDatabase(mongoUrl, dbName);
    opened = database;
    const apiUrl = `http://127.0.0.1:${topology.apis[0]?.port ?? 0}`;
    const people = await createUnreadPeople(apiUrl, COLLEAGUES);
    const token = people.reader.token;

    let started = performance.now();
    const seeded = await seedUnreadTalks(database.db, people, plan.seed);
    process.stdout.write(
      `   seeded ${plan.seed.talks} talks, ${seeded.messages.toLocaleString('en')} messages, ${seeded.events.toLocaleString('en')} events: ` +
        `${seeded.report.documents.toLocaleString('en')} documents in ${seeded.report.seconds.toFixed(1)} s\n`,
    );
    let expected: Expected = seeded.expected;
    const sums = summed(expected);
    process.stdout.write(`   the agent has ${sums.talks} talks with news, ${sums.messages} unread messages, ${sums.mentions} unread mentions\n`);

    const listUrl = `${apiUrl}/v1.0/talks?page_size=${PAGE_SIZE}`;
    const http = (url: string, results: number | undefined, repeats: Repeats): Promise<Timing> =>
      timer.ask({ type: 'http', method: 'GET', url, token, status: 200, ...(results === undefined ? {} : { results }), repeats }, Timing, ASK_TIMEOUT_MS);

    // Cold: every reader's cache gone, each page once.
    const cold: UnreadResult['cold'][number][] = [];
    let tokens: readonly string[] = [];
    for (let run = 0; run < plan.runs; run += 1) {
      await database.db.collection(COLLECTIONS.readStates).deleteMany({});
      started = performance.now();
      const pages = run === 0 ? Number.MAX_SAFE_INTEGER : plan.laterColdPages;
      const walk = await timer.ask({ type: 'walk', url: listUrl, token, pages }, Walk, ASK_TIMEOUT_MS);
      checkListed(walk.talks, seeded.order, expected, 'the cold listing');
      if (run === 0) tokens = walk.tokens;
      const pass = { first_page_ms: round(walk.pagesMs[0] ?? Number.NaN), pages_p50_ms: round(median(walk.pagesMs)), pages_max_ms: round(Math.max(...walk.pagesMs)), pages: walk.pagesMs.length };
      cold.push(pass);
      process.stdout.write(
        `   cold pass ${run + 1} (${load()}): first page ${pass.first_page_ms} ms, ${pass.pages} pages p50 ${pass.pages_p50_ms} ms, max ${pass.pages_max_ms} ms (${seconds(started)}); counts as seeded\n`,
      );
    }

    // A page in the middle of the listing, full: the one after the token at `laterAt`.
    const laterAt = Math.floor((tokens.length - 1) / 2);
    const laterToken = tokens[laterAt];
    if (laterToken === undefined) throw new Error('the listing has a single page; no later page to time');
    const laterUrl = `${listUrl}&page_token=${encodeURIComponent(laterToken)}`;
    const laterSize = Math.min(PAGE_SIZE, plan.seed.talks - (laterAt + 1) * PAGE_SIZE);
    await layer.ask({ type: 'connect', mongoUrl, db: dbName, agentId: people.reader.id }, Ok);
    const first: LatencyFigures[] = [];
    const later: LatencyFigures[] = [];
    const plain: LatencyFigures[] = [];
    const withState: LatencyFigures[] = [];
    for (let run = 0; run < plan.runs; run += 1) {
      first.push(figures(await http(listUrl, PAGE_SIZE, plan.list)));
      later.push(figures(await http(laterUrl, laterSize, plan.list)));
      const comparison = await layer.ask({ type: 'compare', warmup: plan.storeWarmup, samples: plan.storeSamples, pageSize: PAGE_SIZE }, Comparison, ASK_TIMEOUT_MS);
      plain.push(figures(comparison.plain));
      withState.push(figures(comparison.read_state));
      process.stdout.write(
        `   warm run ${run + 1} (${load()}): first page ${shown(first[run] ?? figures(comparison.plain))}; later page ${shown(later[run] ?? figures(comparison.plain))}\n` +
          `   data layer run ${run + 1}: plain ${shown(figures(comparison.plain))}, with read state ${shown(figures(comparison.read_state))}, ratio ${round(comparison.read_state.p50Ms / comparison.plain.p50Ms)}\n`,
      );
    }
    const countPlain = await layer.ask({ type: 'count', variant: 'plain', pageSize: PAGE_SIZE }, CommandCount);
    const countWarm = await layer.ask({ type: 'count', variant: 'read_state', pageSize: PAGE_SIZE }, CommandCount);

    const unreadOnly = figures(await http(`${listUrl}&unread=true`, Math.min(PAGE_SIZE, sums.talks), plan.summary));
    const meUnread = figures(await http(`${apiUrl}/v1.0/me/unread`, undefined, plan.summary));
    await checkSummary(apiUrl, token, expected);
    process.stdout.write(`   ?unread=true ${shown(unreadOnly)}; /me/unread ${shown(meUnread)}; summary as seeded\n`);

    // New activity: a colleague posts once into each of the 50 talks that were least recently
    // active, which brings them to the first page, each with one event to count on.
    const poster = people.colleagues[0];
    if (poster === undefined) throw new Error('no colleague to post');
    const posting = createTalkApi({ baseUrl: apiUrl, token: poster.token, timeoutMs: 60_000 });
    const active = seeded.order.slice(-PAGE_SIZE);
    const newOrder = [...active].reverse();
    const post = async (round: number): Promise<void> => {
      for (const talkId of active) await posting.sendMessage(talkId, { text: messageText(round) });
      expected = withPosts(expected, active);
    };
    const afterActivity: number[] = [];
    for (let round = 0; round < plan.activityRounds; round += 1) {
      await post(round);
      const walk = await timer.ask({ type: 'walk', url: listUrl, token, pages: 1 }, Walk, ASK_TIMEOUT_MS);
      checkListed(walk.talks, newOrder, expected, 'the listing after activity');
      afterActivity.push(walk.pagesMs[0] ?? Number.NaN);
    }
    await post(plan.activityRounds);
    const countActivity = await layer.ask({ type: 'count', variant: 'read_state', pageSize: PAGE_SIZE }, CommandCount);
    await checkSummary(apiUrl, token, expected);
    await layer.ask({ type: 'close' }, Ok);

    const ratioRuns = plain.map((base, run) => round((withState[run]?.p50_ms ?? Number.NaN) / base.p50_ms));
    const added = (withState[0]?.p50_ms ?? 0) - (plain[0]?.p50_ms ?? 0);
    const httpP50 = first[0]?.p50_ms ?? Number.NaN;
    const result: UnreadResult = {
      talks: plan.seed.talks,
      messages: seeded.messages,
      events: seeded.events,
      unread_talks: sums.talks,
      unread_messages: sums.messages,
      unread_mentions: sums.mentions,
      page_size: PAGE_SIZE,
      cold,
      list_first_page: first,
      list_later_page: later,
      store_plain: plain,
      store_read_state: withState,
      ratio: ratioRuns[0] ?? Number.NaN,
      ratio_runs: ratioRuns,
      http_ratio_estimate: round(httpP50 / (httpP50 - added)),
      list_unread_only: unreadOnly,
      me_unread: meUnread,
      after_activity: { rounds: afterActivity.length, talks_posted_into: active.length, p50_ms: round(median(afterActivity)), max_ms: round(Math.max(...afterActivity)) },
      commands: {
        plain: countPlain.total,
        read_state_warm: countWarm.total,
        read_state_after_activity: countActivity.total,
        by_kind: { plain: countPlain.byKind, read_state_warm: countWarm.byKind, read_state_after_activity: countActivity.byKind },
      },
      database: options.servers.database,
    };
    process.stdout.write(
      `   after 1 new message in each of ${active.length} talks: first page p50 ${result.after_activity.p50_ms} ms, max ${result.after_activity.max_ms} ms (${afterActivity.length} rounds)\n` +
        `   commands per first page: plain ${countPlain.total}, with read state ${countWarm.total} warm, ${countActivity.total} after activity\n` +
        `   ratio (data layer, p50 with ÷ without read state): ${ratioRuns.join(', ')}${ratioRuns.every((ratio) => ratio <= 1.5) ? '' : ' (above 1.5)'}; ` +
        `HTTP estimate ${result.http_ratio_estimate} (${result.database})\n`,
    );
    return { unread: result };
  } finally {
    await Promise.all([timer.stop(), layer.stop()]);
    await topology.stop();
    await opened?.dropAndClose();
  }
}

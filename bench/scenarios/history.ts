/**
 * Scenario `history`: whether an agent's everyday requests stay as fast when the database holds
 * years of other people's history. The same five requests are timed on a database of ~1,000
 * events and again on one of ~200,000 events over 2,000 talks of 20 customers, with the agent
 * under test's talks exactly the same both times; the figure is large p50 ÷ small p50 (target
 * ≤ 1.5). Then one talk that itself holds 100,000 messages: its newest page, its events near the
 * head, and a post into it.
 *
 * The people under test are made through the API (history-people.ts); the volume around them is
 * inserted straight into MongoDB (history-seed.ts). Requests go one at a time, straight to the
 * API's and the gateway's own ports, from a timing process of their own (load/history-requests.ts).
 */
import { join } from 'node:path';
import { newId } from '@talk/shared/ids';
import { startChild, type BenchChild } from '../lib/child';
import type { BenchOptions } from '../lib/options';
import type { BigTalkRequestResult, HistoryRepeats, HistoryRequestResult, HistoryResult, Results } from '../lib/results';
import { round } from '../lib/stats';
import { Timing, type Repeats, type TimingRequest } from '../load/history-protocol';
import { openHistoryDatabase, type HistoryDatabase } from './history-database';
import { EVENT_SPACING_MS, eventsOf } from './history-documents';
import { createPeopleUnderTest, type PeopleUnderTest } from './history-people';
import { createBackground, seedTalk, type BackgroundPlan, type SeedReport } from './history-seed';
import { startTopology, type Topology } from '../../test/faults/topology';

interface Plan {
  /** Each request on the small and on the large database. */
  readonly repeats: Repeats;
  readonly bigTalkMessages: number;
  /** Few: on FerretDB, which pushes neither sorts nor limits down, a big talk's read takes seconds. */
  readonly bigTalkRepeats: Repeats;
}

const PLANS = {
  quick: {
    repeats: { warmup: 5, warmupBudgetMs: 5_000, samples: 40, minSamples: 2, budgetMs: 20_000 },
    bigTalkMessages: 20_000,
    bigTalkRepeats: { warmup: 1, warmupBudgetMs: 0, samples: 10, minSamples: 2, budgetMs: 20_000 },
  },
  full: {
    repeats: { warmup: 20, warmupBudgetMs: 20_000, samples: 200, minSamples: 5, budgetMs: 120_000 },
    bigTalkMessages: 100_000,
    bigTalkRepeats: { warmup: 2, warmupBudgetMs: 10_000, samples: 20, minSamples: 3, budgetMs: 120_000 },
  },
} as const satisfies Record<string, Plan>;

/**
 * Other customers' talks: with the customer under test, 20 customers and 2,000 talks. The small
 * database holds the first few of them, so that it is not empty but for the talks under test.
 */
const BACKGROUND: BackgroundPlan = { customers: 19, talks: 1_990, agentsPerCustomer: 20, eventsPerTalk: 100 };
const SMALL_BACKGROUND_TALKS = 9;
/** How far behind the head the catching-up requests start: a client that was away for a moment. */
const NEAR_HEAD = 5;
/** A page of messages when no page_size is given (the REST contract (the OpenAPI document at /docs)). */
const PAGE_SIZE = 50;
/** A batch of samples takes seconds to minutes; this is for a timing process that hangs. */
const ASK_TIMEOUT_MS = 1_800_000;

const REQUESTS = ['post_message', 'read_messages', 'read_events', 'list_talks', 'ws_subscribe'] as const;
type RequestName = (typeof REQUESTS)[number];
/** Reads first, posts last: the reads meet the talk as it was seeded. */
const TIMING_ORDER: readonly RequestName[] = ['list_talks', 'read_messages', 'read_events', 'ws_subscribe', 'post_message'];
const BIG_TALK_REQUESTS: readonly RequestName[] = ['read_messages', 'read_events', 'post_message'];

interface Target {
  readonly apiUrl: string;
  readonly wsUrl: string;
  readonly token: string;
  readonly talkId: string;
  readonly headSeq: number;
  readonly talks: number;
}

function requestFor(name: RequestName, target: Target, repeats: Repeats): TimingRequest {
  const talk = `${target.apiUrl}/v1.0/talks/${encodeURIComponent(target.talkId)}`;
  const afterSeq = target.headSeq - NEAR_HEAD;
  const get = (url: string, results: number): TimingRequest => ({ type: 'http', method: 'GET', url, token: target.token, status: 200, results, repeats });
  switch (name) {
    case 'post_message':
      return { type: 'http', method: 'POST', url: `${talk}/messages`, token: target.token, status: 201, repeats };
    case 'read_messages':
      return get(`${talk}/messages`, PAGE_SIZE);
    case 'read_events':
      return get(`${talk}/events?after_seq=${afterSeq}`, NEAR_HEAD);
    case 'list_talks':
      return get(`${target.apiUrl}/v1.0/talks`, target.talks);
    case 'ws_subscribe':
      return { type: 'subscribe', wsUrl: target.wsUrl, talkId: target.talkId, afterSeq, lastSeq: target.headSeq, repeats };
  }
}

const seconds = (since: number): string => `${Math.round((performance.now() - since) / 100) / 10} s`;
const rate = (report: SeedReport): string => `${report.documents.toLocaleString('en')} documents in ${report.seconds.toFixed(1)} s (${Math.round(report.documents / report.seconds)}/s)`;

async function measure(timer: BenchChild, label: string, names: readonly RequestName[], target: Target, repeats: Repeats): Promise<Map<RequestName, Timing>> {
  const timings = new Map<RequestName, Timing>();
  for (const name of names) {
    const started = performance.now();
    const timing = await timer.ask(requestFor(name, target, repeats), Timing, ASK_TIMEOUT_MS);
    timings.set(name, timing);
    process.stdout.write(`   ${label}: ${name} p50 ${round(timing.p50Ms)} ms, p99 ${round(timing.p99Ms)} ms (${timing.samples} samples after ${timing.warmup} warm-up, ${seconds(started)})\n`);
  }
  return timings;
}

export async function history(options: BenchOptions): Promise<Partial<Results>> {
  const plan: Plan = options.quick ? PLANS.quick : PLANS.full;
  // No notifier: its system messages would add to the talks under test between the measurements.
  const topology = await startTopology('bench_history', { apis: 1, gateways: 1, notifiers: 0 });
  const timer = startChild(join(__dirname, '..', 'load', 'history-requests.ts'));
  let opened: HistoryDatabase | undefined;
  try {
    const database = await openHistoryDatabase(topology.stack.env['MONGO_URL'] ?? '', topology.stack.env['MONGO_DB'] ?? '');
    opened = database;
    const apiUrl = `http://127.0.0.1:${topology.apis[0]?.port ?? 0}`;
    const started = performance.now();
    const people = await createPeopleUnderTest(apiUrl, 'history');
    process.stdout.write(`   people under test: ${people.talks} talks, ${people.messages} messages in the talk under test, through the API (${seconds(started)})\n`);
    const target = targetOf(topology, apiUrl, people);

    const background = createBackground(database.db, BACKGROUND, await database.findAgent(people.agent.id));
    process.stdout.write(`   seeding the small background: ${SMALL_BACKGROUND_TALKS} talks of another customer\n`);
    process.stdout.write(`   seeded ${rate(await background.growTo(SMALL_BACKGROUND_TALKS))}\n`);
    const smallEvents = await countEvents(database, 'small');
    const small = await measure(timer, 'small', TIMING_ORDER, target, plan.repeats);
    await database.rewindTalk(people.talkId, people.headSeq);

    process.stdout.write(`   seeding the large background: up to ${BACKGROUND.talks.toLocaleString('en')} talks of ${BACKGROUND.customers} more customers\n`);
    process.stdout.write(`   seeded ${rate(await background.growTo(BACKGROUND.talks))}\n`);
    const largeEvents = await countEvents(database, 'large');
    const large = await measure(timer, 'large', TIMING_ORDER, target, plan.repeats);

    const bigTalk = await seedBigTalk(database, people, plan, options.quick);
    const big = await measure(timer, 'big talk', BIG_TALK_REQUESTS, { ...target, talkId: bigTalk.talkId, headSeq: bigTalk.headSeq }, plan.bigTalkRepeats);

    const result: HistoryResult = {
      small_events: smallEvents,
      large_events: largeEvents,
      requests: REQUESTS.map((name) => compare(name, small, large)),
      big_talk: {
        messages: plan.bigTalkMessages,
        events: bigTalk.headSeq,
        repeats: repeatsFigures(plan.bigTalkRepeats),
        requests: BIG_TALK_REQUESTS.map((name): BigTalkRequestResult => {
          const timing = timingOf(big, name);
          return { name, p50_ms: round(timing.p50Ms), p99_ms: round(timing.p99Ms), samples: timing.samples };
        }),
      },
      database: options.servers.database,
      repeats: repeatsFigures(plan.repeats),
      large_talks: BACKGROUND.talks + people.talks,
      large_customers: BACKGROUND.customers + 1,
      talk_messages: people.messages,
    };
    for (const request of result.requests) {
      process.stdout.write(`   ${request.name}: p50 ${request.small_p50_ms} → ${request.large_p50_ms} ms, ratio ${request.ratio}${request.ratio <= 1.5 ? '' : ' (above 1.5)'}\n`);
    }
    return { history: result };
  } finally {
    await timer.stop();
    await topology.stop();
    await opened?.dropAndClose();
  }
}

/** Counting is not timed, but on FerretDB it reads every event: say how long it took. */
async function countEvents(database: HistoryDatabase, size: string): Promise<number> {
  const started = performance.now();
  const events = await database.countEvents();
  process.stdout.write(`   ${size} database: ${events.toLocaleString('en')} events (counted in ${seconds(started)})\n`);
  return events;
}

function targetOf(topology: Topology, apiUrl: string, people: PeopleUnderTest): Target {
  const token = people.agent.token;
  return {
    apiUrl,
    wsUrl: `ws://127.0.0.1:${topology.gateways[0]?.port ?? 0}/v1.0/ws?token=${encodeURIComponent(token)}`,
    token,
    talkId: people.talkId,
    headSeq: people.headSeq,
    talks: people.talks,
  };
}

/** The talk of many messages, among the people under test, seeded after the large measurement. */
async function seedBigTalk(database: HistoryDatabase, people: PeopleUnderTest, plan: Plan, quick: boolean): Promise<{ talkId: string; headSeq: number }> {
  const members = [people.agent.id, ...people.others.map((other) => other.id)];
  const talkId = newId();
  process.stdout.write(
    `   seeding the big talk: ${plan.bigTalkMessages.toLocaleString('en')} messages${quick ? ' (quick: the full run seeds 100,000)' : ''}\n`,
  );
  const report = await seedTalk(database.db, {
    id: talkId,
    customerId: people.customerId,
    name: 'history big talk',
    members,
    messages: plan.bigTalkMessages,
    // Its last message a day ago, so that it is history rather than the future.
    createdAt: new Date(Date.now() - 86_400_000 - eventsOf(members.length, plan.bigTalkMessages) * EVENT_SPACING_MS),
  });
  process.stdout.write(`   seeded ${rate(report)}\n`);
  return { talkId, headSeq: eventsOf(members.length, plan.bigTalkMessages) };
}

function timingOf(timings: ReadonlyMap<RequestName, Timing>, name: RequestName): Timing {
  const timing = timings.get(name);
  if (timing === undefined) throw new Error(`${name} was not timed`);
  return timing;
}

function compare(name: RequestName, small: ReadonlyMap<RequestName, Timing>, large: ReadonlyMap<RequestName, Timing>): HistoryRequestResult {
  const before = timingOf(small, name);
  const after = timingOf(large, name);
  return {
    name,
    small_p50_ms: round(before.p50Ms),
    small_p99_ms: round(before.p99Ms),
    large_p50_ms: round(after.p50Ms),
    large_p99_ms: round(after.p99Ms),
    ratio: round(after.p50Ms / before.p50Ms),
    small_samples: before.samples,
    large_samples: after.samples,
  };
}

const repeatsFigures = (repeats: Repeats): HistoryRepeats => ({
  warmup: repeats.warmup,
  warmup_budget_ms: repeats.warmupBudgetMs,
  samples: repeats.samples,
  min_samples: repeats.minSamples,
  budget_ms: repeats.budgetMs,
});

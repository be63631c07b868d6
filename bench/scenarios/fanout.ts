/**
 * Scenario 1, fan-out (issue 5): clients subscribed to talks of 100 members, events published to
 * the talks' NATS subjects and delivered by one gateway process; the same clients, payloads and
 * rates against a bare `ws` broadcaster are the baseline. Rates step up to saturation; the
 * deliveries/s of the best step is the figure, latency is read at 10k deliveries/s.
 */
import { join } from 'node:path';
import type { BenchOptions } from '../lib/options';
import { startChild, type BenchChild } from '../lib/child';
import { dropTopologyDatabase } from '../lib/database';
import { createTalkOf, populate, type BenchAgent } from '../lib/population';
import type { FanoutResult, Results } from '../lib/results';
import { median, round } from '../lib/stats';
import { ClientsReport, PublishedReply } from '../load/protocol';
import { startTopology, type Topology } from '../../test/faults/topology';
import { z } from 'zod';

interface Plan {
  readonly talks: number;
  readonly talkSize: number;
  /** Events per second across all talks, one step each. */
  readonly steps: readonly number[];
  readonly stepMs: number;
  readonly runs: number;
}

const LATENCY_DELIVERIES_PER_S = 10_000;
const WARM_UP_MS = 1_000;

const PLANS = {
  quick: { talks: 2, talkSize: 100, steps: [100, 800, 3_200], stepMs: 1_500, runs: 1 },
  full: { talks: 10, talkSize: 100, steps: [100, 400, 1_600, 3_200], stepMs: 3_000, runs: 3 },
  large: { talks: 1, talkSize: 1_000, steps: [10, 40, 160, 320], stepMs: 3_000, runs: 1 },
} as const satisfies Record<string, Plan>;

interface StepResult extends ClientsReport {
  readonly eventsPerSecond: number;
}

interface Series {
  readonly steps: readonly StepResult[];
  readonly saturation: number;
}

const Ok = z.object({}).loose();
const Port = z.object({ port: z.number() });
const Connected = z.object({ connected: z.number() });

export type Talks = readonly { readonly talkId: string; readonly lastSeq: number }[];

/** Runs the plan's steps once: publish at each rate, then wait for every client to have every event. */
async function series(plan: Plan, clients: BenchChild, source: BenchChild): Promise<Series> {
  // A warm-up at the lowest rate first: connections, subscriptions and JIT settle before measuring.
  await source.ask({ type: 'publish', eventsPerSecond: plan.steps[0] ?? 10, durationMs: WARM_UP_MS }, PublishedReply, WARM_UP_MS + 30_000);
  const steps: StepResult[] = [];
  for (const eventsPerSecond of plan.steps) {
    await clients.ask({ type: 'reset' }, Ok);
    const published = await source.ask({ type: 'publish', eventsPerSecond, durationMs: plan.stepMs }, PublishedReply, plan.stepMs + 30_000);
    const report = await clients.ask({ type: 'report', lastSeqs: published.lastSeqs, settleMs: 15_000 }, ClientsReport, 60_000);
    steps.push({ ...report, eventsPerSecond });
  }
  return { steps, saturation: Math.max(...steps.map((step) => step.perSecond)) };
}

export async function connectClients(clients: BenchChild, talks: Talks, agents: readonly BenchAgent[], urlOf: (token: string) => string): Promise<void> {
  const list = talks.flatMap(({ talkId }) => agents.map((agent) => ({ url: urlOf(agent.token), talkId })));
  const { connected } = await clients.ask({ type: 'connect', clients: list, concurrency: 50 }, Connected, 300_000);
  if (connected !== list.length) throw new Error(`only ${connected} of ${list.length} clients connected`);
}

interface Measured {
  readonly talk: readonly Series[];
  readonly baseline: readonly Series[];
  readonly clients: number;
}

async function measure(plan: Plan, topology: Topology): Promise<Measured> {
  const population = await populate(topology, plan.talkSize);
  const agents = population.agents;
  const author = agents[0]?.id ?? '';
  const talks: { talkId: string; lastSeq: number }[] = [];
  for (let t = 0; t < plan.talks; t += 1) talks.push(await createTalkOf(topology, agents, `Fan-out ${t}`));

  const here = (file: string): string => join(__dirname, '..', file);
  const talk: Series[] = [];
  const baseline: Series[] = [];
  {
    const clients = startChild(here('load/ws-clients.ts'));
    const publisher = startChild(here('load/publisher.ts'));
    try {
      const gatewayPort = topology.gateways[0]?.port ?? 0;
      await connectClients(clients, talks, agents, (token) => `ws://127.0.0.1:${gatewayPort}/v1.0/ws?token=${token}`);
      await publisher.ask({ type: 'connect', natsUrl: topology.natsUrl, subjectPrefix: topology.stack.iso.subjectPrefix, authorId: author, talks }, Ok);
      for (let run = 0; run < plan.runs; run += 1) talk.push(await series(plan, clients, publisher));
    } finally {
      await Promise.all([clients.stop(), publisher.stop()]);
    }
  }
  {
    const clients = startChild(here('load/ws-clients.ts'));
    const broadcaster = startChild(here('baseline/ws-broadcaster.ts'));
    try {
      const { port } = await broadcaster.ask({ type: 'listen', authorId: author, talks }, Port);
      await connectClients(clients, talks, agents, () => `ws://127.0.0.1:${port}/`);
      for (let run = 0; run < plan.runs; run += 1) baseline.push(await series(plan, clients, broadcaster));
    } finally {
      await Promise.all([clients.stop(), broadcaster.stop()]);
    }
  }
  return { talk, baseline, clients: plan.talks * plan.talkSize };
}

function summarise(plan: Plan, measured: Measured): FanoutResult & { readonly steps: unknown } {
  const deliveries = median(measured.talk.map((run) => run.saturation));
  const baselinePerS = median(measured.baseline.map((run) => run.saturation));
  const atTenK = measured.talk.flatMap((run) => run.steps.filter((step) => step.eventsPerSecond * plan.talkSize === LATENCY_DELIVERIES_PER_S));
  const all = measured.talk.flatMap((run) => run.steps);
  return {
    clients: measured.clients,
    talk_size: plan.talkSize,
    deliveries_per_s: Math.round(deliveries),
    baseline_ws_per_s: Math.round(baselinePerS),
    ratio: round(deliveries / baselinePerS),
    p50_ms_at_10k: round(median(atTenK.map((step) => step.p50Ms))),
    p99_ms_at_10k: round(median(atTenK.map((step) => step.p99Ms))),
    lost: all.reduce((sum, step) => sum + step.lost, 0),
    duplicated: all.reduce((sum, step) => sum + step.duplicated, 0),
    reordered: all.reduce((sum, step) => sum + step.reordered, 0),
    steps: measured.talk.map((run, i) => ({
      talk: run.steps.map((step) => ({ offered_per_s: step.eventsPerSecond * plan.talkSize, delivered_per_s: Math.round(step.perSecond), p50_ms: round(step.p50Ms), p99_ms: round(step.p99Ms) })),
      baseline: measured.baseline[i]?.steps.map((step) => ({ offered_per_s: step.eventsPerSecond * plan.talkSize, delivered_per_s: Math.round(step.perSecond), p50_ms: round(step.p50Ms), p99_ms: round(step.p99Ms) })),
    })),
  };
}

export async function withTopology<T>(label: string, run: (topology: Topology) => Promise<T>): Promise<T> {
  // No notifier: its system messages for the joins would take seqs the publisher counts on.
  const topology = await startTopology(label, { apis: 1, gateways: 1, notifiers: 0 });
  try {
    return await run(topology);
  } finally {
    await topology.stop();
    await dropTopologyDatabase(topology);
  }
}

export async function fanout(options: BenchOptions): Promise<Partial<Results>> {
  const plan = options.quick ? PLANS.quick : PLANS.full;
  const result = summarise(plan, await withTopology('bench_fanout', (topology) => measure(plan, topology)));
  process.stdout.write(`   talks of ${plan.talkSize}: ${result.deliveries_per_s}/s vs baseline ${result.baseline_ws_per_s}/s (ratio ${result.ratio}); at 10k/s p50 ${result.p50_ms_at_10k} ms, p99 ${result.p99_ms_at_10k} ms\n`);
  if (options.quick) return { fanout: result };
  const large = summarise(PLANS.large, await withTopology('bench_fanout_large', (topology) => measure(PLANS.large, topology)));
  process.stdout.write(`   a talk of 1,000: ${large.deliveries_per_s}/s vs baseline ${large.baseline_ws_per_s}/s (ratio ${large.ratio})\n`);
  return { fanout: { ...result, talk_of_1000: { clients: large.clients, deliveries_per_s: large.deliveries_per_s, baseline_ws_per_s: large.baseline_ws_per_s, ratio: large.ratio, lost: large.lost, duplicated: large.duplicated, reordered: large.reordered } } };
}

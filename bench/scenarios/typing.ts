/**
 * Scenario `typing` (issue "Read state…", Typing): the fan-out scenario's clients, talks of 100 on
 * one gateway, all typing every 2 s, which the gateway forwards to every other subscriber of the
 * talk (49.5 typing deliveries a second per client). Beside that load, events are published at
 * 10k deliveries/s, the rate the fan-out latency target is read at; the same step without typing,
 * in the same run, is the comparison. Figures: typing deliveries/s, and the events' p50/p99.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { BenchOptions } from '../lib/options';
import { startChild, type BenchChild } from '../lib/child';
import { createTalkOf, populate } from '../lib/population';
import type { Results, TypingResult } from '../lib/results';
import { round } from '../lib/stats';
import { ClientsReport, PublishedReply } from '../load/protocol';
import type { Topology } from '../../test/faults/topology';
import { connectClients, withTopology, type Talks } from './fanout';

interface Plan {
  readonly talks: number;
  readonly talkSize: number;
  readonly stepMs: number;
}

const PLANS = {
  quick: { talks: 2, talkSize: 100, stepMs: 3_000 },
  full: { talks: 10, talkSize: 100, stepMs: 6_000 },
} as const satisfies Record<string, Plan>;

const TYPING_EVERY_MS = 2_000;
const DELIVERIES_PER_S = 10_000;
const Ok = z.object({}).loose();

/** Events at 10k deliveries/s for one step; the clients' report of it. */
async function step(plan: Plan, clients: BenchChild, publisher: BenchChild): Promise<ClientsReport> {
  await clients.ask({ type: 'reset' }, Ok);
  const eventsPerSecond = DELIVERIES_PER_S / plan.talkSize;
  const published = await publisher.ask({ type: 'publish', eventsPerSecond, durationMs: plan.stepMs }, PublishedReply, plan.stepMs + 30_000);
  return clients.ask({ type: 'report', lastSeqs: published.lastSeqs, settleMs: 15_000 }, ClientsReport, 60_000);
}

async function measure(plan: Plan, topology: Topology): Promise<TypingResult> {
  const { agents } = await populate(topology, plan.talkSize);
  const talks: { talkId: string; lastSeq: number }[] = [];
  for (let t = 0; t < plan.talks; t += 1) talks.push(await createTalkOf(topology, agents, `Typing ${t}`));
  const here = (file: string): string => join(__dirname, '..', file);
  const clients = startChild(here('load/ws-clients.ts'));
  const publisher = startChild(here('load/publisher.ts'));
  try {
    const gatewayPort = topology.gateways[0]?.port ?? 0;
    await connectClients(clients, talks satisfies Talks, agents, (token) => `ws://127.0.0.1:${gatewayPort}/v1.0/ws?token=${token}`);
    await publisher.ask({ type: 'connect', natsUrl: topology.natsUrl, subjectPrefix: topology.stack.iso.subjectPrefix, authorId: agents[0]?.id ?? '', talks }, Ok);
    await step({ ...plan, stepMs: 1_000 }, clients, publisher); // warm-up
    const quiet = await step(plan, clients, publisher);
    await clients.ask({ type: 'typing', everyMs: TYPING_EVERY_MS }, Ok);
    await new Promise((resolve) => setTimeout(resolve, TYPING_EVERY_MS)); // every client has started
    const busy = await step(plan, clients, publisher);
    await clients.ask({ type: 'typing', everyMs: null }, Ok);
    const clientCount = plan.talks * plan.talkSize;
    return {
      clients: clientCount,
      talk_size: plan.talkSize,
      typing_sent_per_s: round(clientCount / (TYPING_EVERY_MS / 1000)),
      typing_delivered_per_s: Math.round(busy.typingDeliveries / (busy.windowMs / 1000)),
      typing_due_per_s: Math.round((clientCount * (plan.talkSize - 1)) / (TYPING_EVERY_MS / 1000)),
      p50_ms_at_10k: round(busy.p50Ms),
      p99_ms_at_10k: round(busy.p99Ms),
      p50_ms_at_10k_without_typing: round(quiet.p50Ms),
      p99_ms_at_10k_without_typing: round(quiet.p99Ms),
      lost: quiet.lost + busy.lost,
      duplicated: quiet.duplicated + busy.duplicated,
      reordered: quiet.reordered + busy.reordered,
    };
  } finally {
    await Promise.all([clients.stop(), publisher.stop()]);
  }
}

export async function typing(options: BenchOptions): Promise<Partial<Results>> {
  const plan = options.quick ? PLANS.quick : PLANS.full;
  const result = await withTopology('bench_typing', (topology) => measure(plan, topology));
  process.stdout.write(
    `   ${result.clients} clients typing every 2 s: ${result.typing_delivered_per_s} typing deliveries/s (due ${result.typing_due_per_s}); ` +
      `events at 10k/s p50 ${result.p50_ms_at_10k} ms, p99 ${result.p99_ms_at_10k} ms (without typing ${result.p50_ms_at_10k_without_typing} / ${result.p99_ms_at_10k_without_typing} ms)\n`,
  );
  return { typing: result };
}

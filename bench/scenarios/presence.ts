/**
 * Scenario `presence` (issue 13, item 4): 5,000 connections, one per agent, spread over 2
 * gateways, each following the presence of the 100 agents of its group (50 groups of 100, half
 * of each group on either gateway). One gateway is SIGKILLed: the figures are how long until every
 * client of the other gateway, and the API, read each of its agents offline (target ≤ 30 s, with
 * the default timings), and the presence frames per second the survivor sent in that burst.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { createTalkApi } from '@talk/client/talk-api';
import type { BenchOptions } from '../lib/options';
import { startChild } from '../lib/child';
import { dropTopologyDatabase } from '../lib/database';
import { populate } from '../lib/population';
import type { PresenceResult, Results } from '../lib/results';
import { round } from '../lib/stats';
import { OfflineReply } from '../load/presence-protocol';
import { startTopology, type Topology } from '../../test/faults/topology';

interface Plan {
  readonly connections: number;
  readonly groupSize: number;
}

const PLANS = {
  quick: { connections: 1_000, groupSize: 100 },
  full: { connections: 5_000, groupSize: 100 },
} as const satisfies Record<string, Plan>;

const Ok = z.object({}).loose();
const BOUND_MS = 30_000;

async function measure(plan: Plan, topology: Topology): Promise<PresenceResult> {
  const { agents } = await populate(topology, plan.connections);
  const follows = agents.map((_, i) => {
    const start = Math.floor(i / plan.groupSize) * plan.groupSize;
    return agents.slice(start, start + plan.groupSize).map((agent) => agent.id);
  });
  const [victim, survivor] = topology.gateways;
  if (victim === undefined || survivor === undefined) throw new Error('two gateways expected');
  const urls = [victim, survivor].map((gateway) => `ws://127.0.0.1:${gateway.port}/v1.0/ws`);
  const clients = startChild(join(__dirname, '..', 'load', 'presence-clients.ts'));
  try {
    await clients.ask({ type: 'connect', agents, urls, follows }, Ok, 300_000);
    await clients.ask({ type: 'all-online', timeoutMs: 120_000 }, Ok, 130_000);
    // Client i is on gateway i % 2: the victim holds the even ones.
    const dead = agents.filter((_, i) => i % 2 === 0).map((agent) => agent.id);
    const killedAt = Date.now();
    await victim.kill();
    const apiOffline = (async () => {
      const api = createTalkApi({ baseUrl: `http://127.0.0.1:${topology.apis[0]?.port ?? 0}`, token: agents[1]?.token ?? '' });
      const sample = dead.slice(0, 50);
      for (;;) {
        const read = await api.presence(sample);
        if (read.every((presence) => presence.status === 'offline')) return Date.now();
        if (Date.now() - killedAt > 120_000) throw new Error('the API still reads agents of the killed gateway online');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const offline = await clients.ask({ type: 'offline', agentIds: dead, timeoutMs: 120_000 }, OfflineReply, 130_000);
    const apiAt = await apiOffline;
    const burstS = Math.max(0.001, (offline.lastOfflineAt - offline.firstOfflineAt) / 1000);
    return {
      connections: plan.connections,
      gateways: 2,
      follows_per_connection: plan.groupSize,
      agents_on_killed_gateway: dead.length,
      offline_everywhere_ms: Math.max(offline.lastOfflineAt, apiAt) - killedAt,
      offline_first_frame_ms: offline.firstOfflineAt - killedAt,
      offline_api_ms: apiAt - killedAt,
      bound_ms: BOUND_MS,
      presence_frames: offline.frames,
      presence_frames_per_s: Math.round(offline.frames / burstS),
      burst_ms: round(burstS * 1000),
    };
  } finally {
    await clients.ask({ type: 'close' }, Ok).catch(() => undefined);
    await clients.stop();
  }
}

export async function presence(options: BenchOptions): Promise<Partial<Results>> {
  const plan = options.quick ? PLANS.quick : PLANS.full;
  const topology = await startTopology('bench_presence', { apis: 1, gateways: 2, notifiers: 0 });
  let result: PresenceResult;
  try {
    result = await measure(plan, topology);
  } finally {
    await topology.stop();
    await dropTopologyDatabase(topology);
  }
  process.stdout.write(
    `   ${result.connections} connections on 2 gateways, each following ${result.follows_per_connection}: a SIGKILLed gateway's ${result.agents_on_killed_gateway} agents read offline everywhere after ${result.offline_everywhere_ms} ms ` +
      `(first frame ${result.offline_first_frame_ms} ms, API ${result.offline_api_ms} ms; bound ${result.bound_ms} ms); ${result.presence_frames} presence frames in ${result.burst_ms} ms = ${result.presence_frames_per_s}/s\n`,
  );
  return { presence: result };
}

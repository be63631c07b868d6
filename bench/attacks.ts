/**
 * `npm run attacks [-- --url http://127.0.0.1:8080 --admin-key dev-admin-key]`: replays the
 * attacks of the issue "Hardening" against a running `npm run stack` on this machine and prints,
 * for each, what the client got and what it did to the services: the resident memory of every
 * API and gateway process (read from /proc) and the latency of an agent's plain request, before,
 * during and after. docs/security.md lists the limits each attack meets. Not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CreatedCustomer, LoginResponse, Message, Talk } from '@talk/shared/schemas';
import { expectBody, restClient } from '@talk/shared/testing/rest-client';
import { openRawWebSocket } from '../test/support/raw-websocket';

const { values } = parseArgs({
  options: { url: { type: 'string', default: 'http://127.0.0.1:8080' }, 'admin-key': { type: 'string', default: 'dev-admin-key' } },
});
const api = restClient(values.url);
const adminKey = values['admin-key'];
const PASSWORD = 'correct horse battery';

interface Agent {
  readonly id: string;
  readonly token: string;
}

/** Resident memory in MB of each process running `services/<name>/dist/main.js`. */
function residentMb(name: 'api' | 'gateway'): number[] {
  const pids = execFileSync('pgrep', ['-f', `services/${name}/dist/main.js`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  return pids.map((pid) => {
    const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  });
}

/** The slowest of `count` GET /v1.0/talks of a bystander, in ms. */
async function bystanderMs(agent: Agent, count = 5): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await api.request('GET', '/v1.0/talks?page_size=10', { token: agent.token });
    slowest = Math.max(slowest, performance.now() - started);
  }
  return Math.round(slowest);
}

async function newCustomer(usernames: readonly string[]): Promise<{ readonly id: string; readonly agents: Agent[] }> {
  const customer = expectBody(
    await api.request('POST', '/v1.0/customers', { headers: { 'x-admin-key': adminKey }, body: { name: 'Attack replay' } }),
    201,
    CreatedCustomer,
  );
  const agents: Agent[] = [];
  for (const username of usernames) {
    const created = expectBody(
      await api.request('POST', `/v1.0/agents?accesskey=${customer.accesskey}`, { body: { username, password: PASSWORD } }),
      201,
      z.object({ id: z.string() }),
    );
    const login = expectBody(
      await api.request('POST', '/v1.0/auth/login', { body: { customer_id: customer.id, username, password: PASSWORD } }),
      200,
      LoginResponse,
    );
    agents.push({ id: created.id, token: login.token });
  }
  return { id: customer.id, agents };
}

const tally = (statuses: readonly number[]): string => {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${n}× ${status}`).join(', ');
};

interface Row {
  readonly attack: string;
  readonly answer: string;
  readonly gatewayMb: string;
  readonly apiMb: string;
  readonly bystanderMs: string;
}

async function replay(attack: string, bystander: Agent, run: () => Promise<string>): Promise<Row> {
  const before = { gateway: residentMb('gateway'), api: residentMb('api'), ms: await bystanderMs(bystander) };
  let peak = { gateway: before.gateway, api: before.api, ms: 0 };
  const state = { running: true };
  const watching = (async () => {
    while (state.running) {
      const ms = await bystanderMs(bystander, 1);
      const gateway = residentMb('gateway');
      const apiNow = residentMb('api');
      peak = {
        gateway: peak.gateway.map((mb, i) => Math.max(mb, gateway[i] ?? 0)),
        api: peak.api.map((mb, i) => Math.max(mb, apiNow[i] ?? 0)),
        ms: Math.max(peak.ms, ms),
      };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const answer = await run();
  state.running = false;
  await watching;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = { gateway: residentMb('gateway'), api: residentMb('api'), ms: await bystanderMs(bystander) };
  const mb = (name: 'gateway' | 'api') => `${before[name].join('+')} → peak ${peak[name].join('+')} → ${after[name].join('+')}`;
  return { attack, answer, gatewayMb: mb('gateway'), apiMb: mb('api'), bystanderMs: `${before.ms} → peak ${peak.ms} → ${after.ms}` };
}

async function unauthenticatedFlood(): Promise<string> {
  const wsUrl = `${values.url.replace(/^http/, 'ws')}/v1.0/ws?token=bad`;
  // The sockets read what the server sends (so that they see its close through nginx, which ends
  // a connection cleanly) but never answer a close frame, and stream for 5 s.
  const sockets = await Promise.all(Array.from({ length: 10 }, () => openRawWebSocket(wsUrl, { readFrames: true })));
  const started = Date.now();
  const cutAfter = sockets.map((socket) => socket.closed.then(() => Date.now() - started));
  await Promise.all(sockets.map((socket) => socket.flood(60_000, started + 5_000)));
  const cut = await Promise.race([Promise.all(cutAfter), new Promise<null>((resolve) => setTimeout(() => resolve(null), 3_000))]);
  for (const socket of sockets) socket.destroy();
  const codes = tally(sockets.map((socket) => socket.closeCode() ?? 0));
  if (cut === null) return `10 sockets streaming 60 KB frames: close codes ${codes}; some were still open 3 s after`;
  return `10 sockets streaming 60 KB frames: close codes ${codes}, all cut within ${(Math.max(...cut) / 1000).toFixed(1)} s`;
}

async function loginFlood(customerId: string): Promise<string> {
  const until = Date.now() + 3_000;
  const statuses: number[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: 48 }, async () => {
      while (Date.now() < until) {
        const i = (sent += 1);
        const response = await api.request('POST', '/v1.0/auth/login', {
          body: { customer_id: customerId, username: `nobody.${i}`, password: 'guess' },
        });
        statuses.push(response.status);
      }
    }),
  );
  return `48 clients looping for 3 s: ${tally(statuses)}`;
}

async function reactionFlood(agent: Agent, talkId: string): Promise<string> {
  const message = expectBody(await api.request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, body: { text: 'react to me' } }), 201, Message);
  const statuses: number[] = [];
  for (let i = 0; i < 60; i += 1) {
    statuses.push((await api.request('POST', `/v1.0/messages/${message.id}/reactions`, { token: agent.token, body: { emoji: `e${i}` } })).status);
  }
  return `60 distinct emoji on one message: ${tally(statuses)}`;
}

async function agentRateAcrossReplicas(agent: Agent): Promise<string> {
  const started = performance.now();
  const statuses = await Promise.all(Array.from({ length: 200 }, () => api.request('GET', '/v1.0/talks?page_size=1', { token: agent.token }).then((r) => r.status)));
  const seconds = (performance.now() - started) / 1000;
  return `200 requests at once through the load balancer in ${seconds.toFixed(1)} s: ${tally(statuses)} (burst 40 + 20/s for the deployment)`;
}

async function malformed(agent: Agent, talkId: string): Promise<string> {
  const answers = [
    await api.request('DELETE', '/v1.0/agents/%ZZ?accesskey=x'),
    await api.request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, rawBody: '{"text":"a","text":"b"}' }),
    await api.request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, headers: { 'content-encoding': 'gzip' }, rawBody: 'not gzip' }),
    await api.request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, headers: { 'content-encoding': 'gzip' }, rawBody: gzipSync(Buffer.alloc(50 * 1024 * 1024, 32)) }),
    await api.request('GET', `/v1.0/talks?%74oken=${agent.token}`),
  ];
  return `%ZZ, a duplicate key, bad gzip, a gzip bomb, ?%74oken=: ${answers.map((answer) => answer.status).join(', ')}`;
}

async function main(): Promise<void> {
  const customer = await newCustomer(['bystander', 'attacker', 'limited']);
  const [bystander, attacker, limited] = customer.agents;
  if (bystander === undefined || attacker === undefined || limited === undefined) throw new Error('the agents were not created');
  const talk = expectBody(
    await api.request('POST', '/v1.0/talks', { token: attacker.token, body: { type: 'group', name: 'attacks', participant_ids: [bystander.id] } }),
    201,
    Talk,
  );
  const rows = [
    await replay('unauthenticated WebSocket flood', bystander, unauthenticatedFlood),
    await replay('login flood', bystander, () => loginFlood(customer.id)),
    await replay('malformed requests', bystander, () => malformed(attacker, talk.id)),
    await replay('reactions without end', bystander, () => reactionFlood(attacker, talk.id)),
    await replay('one agent, every replica', bystander, () => agentRateAcrossReplicas(limited)),
  ];
  const [load] = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ');
  process.stdout.write(`load average ${load ?? '?'} (1 min) at the end, on ${String(cpus().length)} cores\n`);
  const header = '| attack | what the client got | gateway RSS MB | api RSS MB | bystander ms (slowest) |\n|---|---|---|---|---|';
  const lines = rows.map((row) => `| ${row.attack} | ${row.answer} | ${row.gatewayMb} | ${row.apiMb} | ${row.bystanderMs} |`);
  process.stdout.write(`${header}\n${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`attacks failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

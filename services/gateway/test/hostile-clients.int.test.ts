/**
 * Clients that try to exhaust a gateway before they are even signed in: an unauthenticated socket
 * costs next to nothing, and a signed-in one that sends much at once waits in TCP's buffers (the
 * gateway as a process of its own, its memory read from /proc).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { eventually } from '@talk/shared/testing/eventually';
import { setTimeout as sleep } from 'node:timers/promises';
import { restClient } from '@talk/shared/testing/rest-client';
import { createCustomer } from '../../../test/support/fixtures';
import { maskedTextFrame, openRawWebSocket } from '../../../test/support/raw-websocket';
import { spawnService, type ServiceProcess } from '../../../test/support/service-process';
import { launchApi, stackEnv, type StackEnv } from '../../../test/support/stack';

const ATTACKERS = 10;
const FLOOD_MS = 5_000;
const FRAME_BYTES = 60 * 1024;

function rssBytes(pid: number | undefined): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${String(pid)}`);
  return Number(kib) * 1024;
}

describe('hostile clients of the gateway', () => {
  let env: StackEnv;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    env = stackEnv('gateway_hostile');
    gateway = await spawnService('gateway', env);
  });
  afterAll(() => gateway.kill());

  const wsUrl = (token: string): string => `ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${encodeURIComponent(token)}`;

  it('stays small while unauthenticated sockets stream 60 KB frames and never answer the close, cutting each within about a second', async () => {
    const before = rssBytes(gateway.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(gateway.pid))), 100);
    const until = Date.now() + FLOOD_MS;
    const lifetimes: number[] = [];
    try {
      await Promise.all(
        Array.from({ length: ATTACKERS }, async () => {
          while (Date.now() < until) {
            const opened = Date.now();
            const socket = await openRawWebSocket(wsUrl('bad'));
            await socket.flood(FRAME_BYTES, until);
            await Promise.race([socket.closed, sleep(Math.max(0, until - Date.now()))]);
            if (Date.now() < until) lifetimes.push(Date.now() - opened);
            socket.destroy();
          }
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    expect(peak - before).toBeLessThan(50 * 1024 * 1024);
    // Every refused socket was cut, none lived to the end of the flood.
    expect(lifetimes.length).toBeGreaterThanOrEqual(ATTACKERS);
    expect(Math.max(...lifetimes)).toBeLessThan(2_500);
  }, 30_000);

  it('reads no more than a few KiB of a socket before its token is checked, then serves all it sent', async () => {
    const api = await launchApi(env);
    try {
      const rest = restClient(`http://127.0.0.1:${api.port}`);
      const [a] = (await createCustomer(rest, ['Agent A'])).agents;
      // A client that resubscribes to all its talks at once sends far more than 16 KiB before
      // its token is checked: the gateway pauses the socket and serves every frame once it is in.
      const pings = 300;
      const frames = Array.from({ length: pings }, () => maskedTextFrame(Buffer.from(JSON.stringify({ type: 'ping', padding: 'x'.repeat(200) }))));
      const eager = await openRawWebSocket(wsUrl(a.token), { sentWithUpgrade: frames, readFrames: true });
      await eventually(() => expect(eager.textFrames().filter((text) => text.includes('"pong"'))).toHaveLength(pings), 10_000);
      eager.destroy();
    } finally {
      await api.stop();
    }
  });

  it('answers frames past its rate with RATE_LIMITED, and closes with 1008 a client that goes on', async () => {
    const limited = await spawnService('gateway', env, { WS_MAX_SUBSCRIPTIONS: '10', WS_FRAMES_PER_SECOND: '10' });
    const api = await launchApi(env);
    try {
      const rest = restClient(`http://127.0.0.1:${api.port}`);
      const [a] = (await createCustomer(rest, ['Agent A'])).agents;
      // The burst is the subscription cap plus a second's worth: 20 frames; then 100 refusals; then the close.
      const frames = Array.from({ length: 200 }, () => maskedTextFrame(Buffer.from('{"type":"ping"}')));
      const flooding = await openRawWebSocket(`ws://127.0.0.1:${limited.port}/v1.0/ws?token=${a.token}`, { sentWithUpgrade: frames, readFrames: true });
      await eventually(() => expect(flooding.closeCode()).toBe(1008), 10_000);
      const answers = flooding.textFrames().map((text) => z.object({ type: z.string(), code: z.string().optional() }).parse(JSON.parse(text)));
      expect(answers.filter((frame) => frame.type === 'pong').length).toBeGreaterThanOrEqual(20);
      expect(answers.filter((frame) => frame.code === 'RATE_LIMITED')).toHaveLength(100);
      flooding.destroy();
    } finally {
      await api.stop();
      limited.kill();
    }
  });
});

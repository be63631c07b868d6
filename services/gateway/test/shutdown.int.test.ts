/** SIGTERM: the gateway closes every socket with 1001 and exits 0. */
import WebSocket from 'ws';
import { eventually } from '@talk/shared/testing/eventually';
import { restClient } from '@talk/shared/testing/rest-client';
import { connectTestSocket } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk } from '../../../test/support/fixtures';
import { spawnService } from '../../../test/support/service-process';
import { launchApi, stackEnv } from '../../../test/support/stack';

describe('gateway shutdown', () => {
  it('closes sockets with 1001 and exits 0 on SIGTERM', async () => {
    const env = stackEnv('gateway_shutdown');
    const apiService = await launchApi(env);
    const gateway = await spawnService('gateway', env);
    try {
      const api = restClient(`http://127.0.0.1:${apiService.port}`);
      const acme = await createCustomer(api, ['Agent A', 'Agent B']);
      const [a, b] = acme.agents;
      const talk = await createGroupTalk(api, a, [b]);
      const sockets = await Promise.all(
        [a, b].map((agent) => connectTestSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${agent.token}`)),
      );
      for (const socket of sockets) {
        socket.send({ type: 'subscribe', talk_id: talk.id });
        await socket.next((f) => f.type === 'subscribed');
      }
      const exitCode = gateway.terminate();
      for (const socket of sockets) expect(await socket.closed()).toMatchObject({ code: 1001 });
      expect(await exitCode).toBe(0);
      expect(gateway.lines.map((l) => l.msg)).toContain('stopped');
    } finally {
      gateway.kill();
      await apiService.stop();
    }
  });
});

describe('gateway start-up', () => {
  it('listens before NATS answers: not ready, WebSocket upgrades refused with 503, and a clean exit on SIGTERM', async () => {
    const env = stackEnv('gateway_no_nats');
    const gateway = await spawnService('gateway', env, { NATS_URL: 'nats://127.0.0.1:1' }, 'listening');
    try {
      await eventually(async () => {
        const ready = await fetch(`http://127.0.0.1:${gateway.port}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ checks: { mongo: true, nats: false, started: false } });
      }, 10_000);
      const socket = new WebSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=x`);
      const refused = await new Promise<number>((resolve) => {
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => undefined);
      });
      expect(refused).toBe(503);
      expect(await gateway.terminate()).toBe(0);
    } finally {
      gateway.kill();
    }
  });
});

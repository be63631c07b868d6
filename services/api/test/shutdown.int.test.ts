/** SIGTERM: the API stops accepting, finishes what is in flight, and exits 0. */
import { createServer } from 'node:http';
import { Message } from '@talk/shared/schemas';
import { eventually } from '@talk/shared/testing/eventually';
import { expectBody, restClient } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, expectError } from '../../../test/support/fixtures';
import { spawnService } from '../../../test/support/service-process';
import { stackEnv } from '../../../test/support/stack';

/** A loopback port nobody listens on: it stands in for a server that is down. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

describe('API start-up and shutdown', () => {
  it('finishes in-flight requests, refuses new connections, and exits 0 on SIGTERM', async () => {
    const env = stackEnv('api_shutdown');
    const service = await spawnService('api', env, { LOG_LEVEL: 'debug' });
    try {
      const api = restClient(`http://127.0.0.1:${service.port}`);
      const acme = await createCustomer(api, ['Agent A', 'Agent B']);
      const [a, b] = acme.agents;
      const talk = await createGroupTalk(api, a, [b]);
      expect((await api.request('GET', `/v1.0/talks?token=${a.token}`)).status).toBe(200);

      const started = (): number => service.lines.filter((l) => l.msg === 'request started' && l['method'] === 'POST').length;
      const before = started();
      const inFlight = Promise.all(
        Array.from({ length: 10 }, (_, i) => api.request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: `m${i}` } })),
      );
      // SIGTERM once the server is handling all ten: they are in flight, not merely on the wire.
      await eventually(() => expect(started() - before).toBeGreaterThanOrEqual(10));
      const exitCode = service.terminate();
      for (const response of await inFlight) expectBody(response, 201, Message);
      expect(await exitCode).toBe(0);
      expect(service.lines.map((l) => l.msg)).toContain('stopped');
      await expect(fetch(`http://127.0.0.1:${service.port}/healthz`)).rejects.toThrow();
      // Debug logs name every request's URL, yet never a token or an accesskey.
      const logged = JSON.stringify(service.lines);
      expect(logged).toContain('token=[redacted]');
      expect(logged).not.toContain(a.token);
      expect(logged).not.toContain(acme.accesskey);
    } finally {
      service.kill();
    }
  });

  it('exits 1 and names every bad variable when the configuration is invalid', async () => {
    const env = stackEnv('api_bad_config');
    await expect(spawnService('api', env, { PORT: 'eighty', JWT_SECRET: 'short' })).rejects.toThrow(/exited with 1.*PORT.*JWT_SECRET/s);
  });

  it('listens before MongoDB answers: not ready, 503 UNAVAILABLE for requests, and a clean exit on SIGTERM', async () => {
    const env = stackEnv('api_unreachable');
    const service = await spawnService('api', env, { MONGO_URL: `mongodb://127.0.0.1:${await unusedPort()}/` }, 'listening');
    try {
      const base = `http://127.0.0.1:${service.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not_ready', checks: { mongo: false, nats: false, started: false } });
      expectError(await restClient(base).request('GET', '/v1.0/talks'), 503, 'UNAVAILABLE');
      await eventually(() => expect(service.lines.map((l) => l.msg)).toContain('MongoDB is not available yet; retrying'), 15_000);
      expect(await service.terminate()).toBe(0);
      expect(service.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['start-up abandoned', 'stopped']));
    } finally {
      service.kill();
    }
  });
});

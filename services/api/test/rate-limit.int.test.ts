/**
 * The per-agent rate limit answers 429 RATE_LIMITED with Retry-After, agent by agent, and holds for
 * the deployment: two replicas share one bucket per agent (NATS key-value, shared-records.ts).
 */
import { restClient } from '@talk/shared/testing/rest-client';
import { createCustomer, expectError } from '../../../test/support/fixtures';
import { launchApi, stackEnv } from '../../../test/support/stack';

const fail = (why: string): never => {
  throw new Error(why);
};
const SLOW = { RATE_LIMIT_PER_SECOND: '0.2', RATE_LIMIT_BURST: '3' };

describe('rate limit', () => {
  it('lets a burst through, then refuses with 429 and Retry-After; other agents are not affected', async () => {
    const api = await launchApi(stackEnv('rate_limit'), SLOW);
    try {
      const client = restClient(`http://127.0.0.1:${api.port}`);
      const [a, b] = (await createCustomer(client, ['Agent A', 'Agent B'])).agents;
      for (let i = 0; i < 3; i += 1) expect((await client.request('GET', '/v1.0/talks', { token: a.token })).status).toBe(200);
      const refused = await client.request('GET', '/v1.0/talks', { token: a.token });
      expectError(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await client.request('GET', '/v1.0/talks', { token: b.token })).status).toBe(200);
    } finally {
      await api.stop();
    }
  });

  it('gives an agent the configured burst across two replicas, not twice it, when its requests meet at once', async () => {
    const stack = stackEnv('rate_limit_replicas');
    const replicas = [await launchApi(stack, SLOW), await launchApi(stack, SLOW)];
    try {
      const clients = replicas.map((api) => restClient(`http://127.0.0.1:${api.port}`));
      const agents = (await createCustomer(clients[0] ?? fail('no replica'), ['A1', 'A2', 'A3', 'A4', 'A5'])).agents;
      for (const agent of agents) {
        const answers = await Promise.all(
          Array.from({ length: 12 }, (_, i) => (clients[i % 2] ?? fail('no replica')).request('GET', '/v1.0/talks', { token: agent.token })),
        );
        expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
        expect(answers.filter((answer) => answer.status === 429)).toHaveLength(9);
      }
    } finally {
      await Promise.all(replicas.map((api) => api.stop()));
    }
  });
});

/** The per-agent rate limit answers 429 RATE_LIMITED with Retry-After, agent by agent. */
import { restClient } from '@talk/shared/testing/rest-client';
import { createCustomer, expectError } from '../../../test/support/fixtures';
import { launchApi, stackEnv } from '../../../test/support/stack';

describe('rate limit', () => {
  it('lets a burst through, then refuses with 429 and Retry-After; other agents are not affected', async () => {
    const api = await launchApi(stackEnv('rate_limit'), { RATE_LIMIT_PER_SECOND: '0.2', RATE_LIMIT_BURST: '3' });
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
});

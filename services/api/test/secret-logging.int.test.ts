/**
 * A secret sent in the query never reaches the API's log, however its key is encoded: the log is
 * written from the query as parsed (the API as a process of its own, its log read from stdout).
 */
import { eventually } from '@talk/shared/testing/eventually';
import { restClient } from '@talk/shared/testing/rest-client';
import { createCustomer } from '../../../test/support/fixtures';
import { spawnService } from '../../../test/support/service-process';
import { stackEnv } from '../../../test/support/stack';

describe('secrets in the log', () => {
  it('redacts a token and an accesskey sent with percent-encoded or differently cased keys', async () => {
    const api = await spawnService('api', stackEnv('secret_logging'));
    try {
      const rest = restClient(`http://127.0.0.1:${api.port}`);
      const customer = await createCustomer(rest, ['Agent A']);
      const [a] = customer.agents;
      const answers = await Promise.all([
        rest.request('GET', `/v1.0/talks?%74oken=${a.token}`),
        rest.request('GET', `/v1.0/talks?TOKEN=${a.token}`),
        rest.request('GET', `/v1.0/agents?%61ccesskey=${customer.accesskey}`),
        rest.request('GET', `/v1.0/talks?token=${a.token}&page_size=5`),
      ]);
      // `%74oken` is `token` once parsed: it authenticates, and so it must be redacted.
      expect(answers.map((answer) => answer.status)).toEqual([200, 401, 200, 200]);
      // The log lines come through the process's stdout, a moment after the answers.
      await eventually(() => expect(api.lines.filter((line) => line.msg === 'request' && line['method'] === 'GET')).toHaveLength(4));
      const logged = JSON.stringify(api.lines);
      expect(logged).toContain('page_size=5');
      expect(logged).not.toContain(a.token);
      expect(logged).not.toContain(customer.accesskey);
    } finally {
      api.kill();
    }
  });
});

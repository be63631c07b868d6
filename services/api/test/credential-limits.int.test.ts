/**
 * Sign-in attempts, agent creation and admin keys are limited per client address and per account,
 * lock after failures, and never queue more password hashes than a few: a flood gets 429s at once
 * while the replica goes on answering. The limits are shared by the replicas.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { restClient, type RestClient } from '@talk/shared/testing/rest-client';
import { spawnService } from '../../../test/support/service-process';
import { ADMIN_KEY, launchApi, stackEnv } from '../../../test/support/stack';
import { createCustomer, expectError, type TestCustomer } from '../../../test/support/fixtures';
import type { RunningApi } from '../src/start';

/** The defaults of config.ts: test/support/stack.ts raises them for every other test. */
const DEFAULT_LIMITS = {
  AUTH_ADDRESS_RATE_PER_SECOND: '5',
  AUTH_ADDRESS_BURST: '100',
  AUTH_ACCOUNT_RATE_PER_SECOND: '0.2',
  AUTH_ACCOUNT_BURST: '10',
  AUTH_MAX_WAITING_HASHES: '16',
};

const PASSWORD = 'correct horse battery';
const from = (address: string) => ({ 'x-forwarded-for': address });

function login(api: RestClient, customer: TestCustomer, username: string, password: string, address = '203.0.113.1') {
  return api.request('POST', '/v1.0/auth/login', { headers: from(address), body: { customer_id: customer.id, username, password } });
}

interface FloodAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly ms: number;
}

/**
 * A password-guessing loop: `workers` clients that each send login after login for `seconds`,
 * every one for another username from another address, run by a process of its own so that
 * handling their answers does not delay the health checks of this one.
 */
async function floodFromAnotherProcess(baseUrl: string, customerId: string, workers: number, seconds: number): Promise<FloodAnswer[]> {
  const script = `
    const [baseUrl, customerId, workers, seconds] = process.argv.slice(1);
    const until = Date.now() + Number(seconds) * 1000;
    const answers = [];
    let sent = 0;
    async function worker() {
      while (Date.now() < until) {
        const i = sent++;
        const started = performance.now();
        const response = await fetch(baseUrl + '/v1.0/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.' + ((i >> 8) % 256) + '.' + (i % 256) },
          body: JSON.stringify({ customer_id: customerId, username: 'nobody.' + i, password: 'guess' }),
        });
        await response.text();
        answers.push({ status: response.status, retryAfter: response.headers.get('retry-after'), ms: performance.now() - started });
      }
    }
    Promise.all(Array.from({ length: Number(workers) }, worker)).then(() => process.stdout.write(JSON.stringify(answers)));`;
  const child = spawn(process.execPath, ['-e', script, baseUrl, customerId, String(workers), String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the flood process exited with ${code}`);
  return JSON.parse(output) as FloodAnswer[];
}

/** Polls `/healthz` every 20 ms until `done` settles; the slowest answer. */
async function slowestHealthCheck(api: RestClient, done: Promise<unknown>): Promise<number> {
  const state = { finished: false };
  void done.finally(() => (state.finished = true));
  let slowest = 0;
  while (!state.finished) {
    const started = performance.now();
    expect((await api.request('GET', '/healthz')).status).toBe(200);
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return slowest;
}

describe('credential limits', () => {
  const apis: RunningApi[] = [];
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((api) => api.stop()));
  });

  async function launch(label: string, env: Record<string, string>, replicas = 1): Promise<RestClient[]> {
    const stack = stackEnv(label);
    for (let i = 0; i < replicas; i += 1) apis.push(await launchApi(stack, { ...DEFAULT_LIMITS, ...env }));
    return apis.map((api) => restClient(`http://127.0.0.1:${api.port}`));
  }

  it('answers a login flood from many addresses with 429 at once beyond the hashes it may run, and /healthz within 200 ms throughout', async () => {
    // A process of its own, so that the flood's client does not share the API's event loop.
    const service = await spawnService('api', stackEnv('login_flood'), DEFAULT_LIMITS);
    try {
      await floodLogins(restClient(`http://127.0.0.1:${service.port}`));
    } finally {
      await service.terminate();
    }
  });

  async function floodLogins(api: RestClient): Promise<void> {
    const customer = await createCustomer(api, ['Agent A']);
    const flood = floodFromAnotherProcess(api.baseUrl, customer.id, 48, 3);
    const slowest = await slowestHealthCheck(api, flood);
    const answers = await flood;
    const refused = answers.filter((answer) => answer.status === 429);
    // 2 hashes run and 16 wait; the rest cannot fit. Everything else is the wrong password.
    expect(refused.length).toBeGreaterThan(answers.length / 2);
    expect(answers.every((answer) => answer.status === 429 || answer.status === 401)).toBe(true);
    expect(refused.every((answer) => Number(answer.retryAfter) >= 1)).toBe(true);
    // Refused without waiting for a hash: while the hashes were still going on.
    const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
    const hashed = answers.filter((answer) => answer.status === 401).map((answer) => answer.ms);
    expect(median(refused.map((answer) => answer.ms))).toBeLessThan(median(hashed));
    expect(slowest).toBeLessThan(200);
    // The agent still signs in once the flood is over.
    expect((await login(api, customer, 'agent.a', PASSWORD)).status).toBe(200);
  }

  it('limits attempts from one address, whoever they are for', async () => {
    const [api] = (await launch('address_limit', { AUTH_ADDRESS_BURST: '5', AUTH_ADDRESS_RATE_PER_SECOND: '0.1' })) as [RestClient];
    const customer = await createCustomer(api, ['Agent A']);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => login(api, customer, `nobody.${i}`, 'guess', '192.0.2.7')));
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(5);
    for (const answer of answers.filter((response) => response.status !== 401)) expectError(answer, 429, 'RATE_LIMITED');
    // Another address is not affected.
    expect((await login(api, customer, 'agent.a', PASSWORD, '192.0.2.8')).status).toBe(200);
  });

  it('limits attempts for one account, wherever they come from', async () => {
    const [api] = (await launch('account_limit', { AUTH_ACCOUNT_BURST: '4', AUTH_ACCOUNT_RATE_PER_SECOND: '0.1', AUTH_FREE_FAILURES: '100' })) as [
      RestClient,
    ];
    const customer = await createCustomer(api, ['Agent A', 'Agent B']); // one login each
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => login(api, customer, 'agent.a', 'guess', `192.0.2.${i}`)));
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(3);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(3);
    expect((await login(api, customer, 'agent.b', PASSWORD)).status).toBe(200);
  });

  it('locks an account after failures in a row, on every replica, for a time that doubles, and unlocks it on success', async () => {
    const [a, b] = (await launch('login_lock', { AUTH_FREE_FAILURES: '3', AUTH_ACCOUNT_BURST: '100' }, 2)) as [RestClient, RestClient];
    const customer = await createCustomer(a, ['Agent A']);
    for (const api of [a, b, a]) expect((await login(api, customer, 'agent.a', 'wrong')).status).toBe(401);
    expect((await login(b, customer, 'agent.a', 'wrong')).status).toBe(401); // the fourth locks it for 1 s
    const locked = await login(a, customer, 'agent.a', PASSWORD, '203.0.113.99'); // from anywhere
    expectError(locked, 429, 'RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBe(1);
    expect((await login(b, customer, 'agent.a', 'wrong')).status).toBe(429); // a locked attempt is not checked
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await login(b, customer, 'agent.a', 'wrong')).status).toBe(401); // the fifth locks it for 2 s
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await login(a, customer, 'agent.a', PASSWORD)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await login(a, customer, 'agent.a', PASSWORD)).status).toBe(200);
    // The success cleared the failures: three more are free again.
    for (const api of [a, b, a]) expect((await login(api, customer, 'agent.a', 'wrong')).status).toBe(401);
  });

  it('locks out an address after wrong admin keys in a row, and only that address', async () => {
    const [api] = (await launch('admin_lock', { AUTH_FREE_FAILURES: '3' })) as [RestClient];
    const create = (key: string, address: string) =>
      api.request('POST', '/v1.0/customers', { headers: { 'x-admin-key': key, ...from(address) }, body: { name: 'Acme' } });
    for (let i = 0; i < 4; i += 1) expect((await create('not-the-key', '192.0.2.50')).status).toBe(401);
    expectError(await create(ADMIN_KEY, '192.0.2.50'), 429, 'RATE_LIMITED');
    expect((await create(ADMIN_KEY, '192.0.2.51')).status).toBe(201);
  });

  it('takes the client address from X-Forwarded-For only when the peer is a trusted proxy', async () => {
    const [api] = (await launch('untrusted_proxy', { TRUST_PROXY: '', AUTH_ADDRESS_BURST: '4', AUTH_ADDRESS_RATE_PER_SECOND: '0.1' })) as [RestClient];
    // createCustomer spends 3 attempts of the address (admin key, agent, login): one is left.
    const customer = await createCustomer(api, ['Agent A']);
    expect((await login(api, customer, 'agent.a', PASSWORD, '192.0.2.1')).status).toBe(200);
    // A client that claims another address each time is still the loopback peer.
    expectError(await login(api, customer, 'agent.a', PASSWORD, '192.0.2.2'), 429, 'RATE_LIMITED');
  });
});

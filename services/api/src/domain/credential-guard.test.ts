import { createLocalRecords } from '@talk/shared/shared-records';
import { AppError } from '@talk/shared/errors';
import { afterFailure, createCredentialGuard, lockedSeconds, type CredentialLimits } from './credential-guard';

const limits: CredentialLimits = {
  perAddress: { ratePerSecond: 1_000, burst: 1_000 },
  perAccount: { ratePerSecond: 1_000, burst: 1_000 },
  freeFailures: 2,
  maxLockSeconds: 10,
  hashes: { concurrent: 1, waiting: 1 },
};

describe('failure lock', () => {
  it('is free for the first failures, then doubles from 1 s up to the maximum', () => {
    let record = null;
    const locks: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      record = afterFailure(record, limits, 0);
      locks.push(lockedSeconds(record, 0));
    }
    expect(locks).toEqual([0, 0, 1, 2, 4, 8, 10, 10]);
  });

  it('ends when its time has passed', () => {
    const record = { failures: 9, lockedUntilMs: 5_000 };
    expect(lockedSeconds(record, 4_001)).toBe(1);
    expect(lockedSeconds(record, 5_000)).toBe(0);
  });
});

describe('credential guard', () => {
  it('limits the creations of one username per customer in a bucket of their own', async () => {
    const guard = createCredentialGuard(createLocalRecords({ ttlMs: 60_000, maxRecords: 100 }), {
      ...limits,
      perAccount: { ratePerSecond: 0.001, burst: 2 },
    }, () => 0);
    const create = (customerId: string, username: string) =>
      guard.attempt({ kind: 'agent-creation', clientAddress: 'a', customerId, username }, () => Promise.resolve({ passed: true, value: 'hash' } as const));
    await create('c', 'ada');
    await create('c', 'ada');
    await expect(create('c', 'ada')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(create('c', 'bea')).resolves.toBe('hash');
    await expect(create('d', 'ada')).resolves.toBe('hash');
    // Logins of that username have their own bucket.
    await expect(guard.attempt({ kind: 'login', clientAddress: 'a', customerId: 'c', username: 'ada' }, () => Promise.resolve({ passed: true, value: 'token' } as const))).resolves.toBe('token');
  });

  const login = { kind: 'login', clientAddress: '192.0.2.1', customerId: 'c', username: 'u' } as const;
  const wrong = () => Promise.resolve({ passed: false, error: new AppError('UNAUTHENTICATED', 'wrong') } as const);

  it('refuses at once, without running the check, an attempt past the hashes running and waiting', async () => {
    const guard = createCredentialGuard(createLocalRecords({ ttlMs: 60_000, maxRecords: 100 }), limits);
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let checks = 0;
    const check = async () => {
      checks += 1;
      await slow;
      return { passed: true, value: 'ok' } as const;
    };
    const creation = (clientAddress: string, username: string) => ({ kind: 'agent-creation', clientAddress, customerId: 'c', username }) as const;
    const running = guard.attempt(creation('a', 'ada'), check);
    const waiting = guard.attempt(creation('b', 'bea'), check);
    await expect(guard.attempt(creation('c', 'cyd'), check)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // An admin key is not hashed: it is not held up by the hash queue.
    await expect(guard.attempt({ kind: 'admin-key', clientAddress: 'd' }, () => Promise.resolve({ passed: true, value: 'ok' }))).resolves.toBe('ok');
    release();
    await expect(Promise.all([running, waiting])).resolves.toEqual(['ok', 'ok']);
    expect(checks).toBe(2);
  });

  it('locks an account after its free failures, refusing without checking, and a success clears the count', async () => {
    let now = 0;
    const guard = createCredentialGuard(createLocalRecords({ ttlMs: 60_000, maxRecords: 100 }), limits, () => now);
    for (let i = 0; i < 3; i += 1) await expect(guard.attempt(login, wrong)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    let checked = false;
    const right = () => {
      checked = true;
      return Promise.resolve({ passed: true, value: 'token' } as const);
    };
    await expect(guard.attempt(login, right)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 1 } });
    expect(checked).toBe(false);
    now = 1_000;
    await expect(guard.attempt(login, right)).resolves.toBe('token');
    for (let i = 0; i < 2; i += 1) await expect(guard.attempt(login, wrong)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(guard.attempt(login, right)).resolves.toBe('token');
  });
});

/**
 * What stands before a password hash or a key check. Signing in and creating agents run scrypt
 * (tens of milliseconds of a libuv thread each) and the admin key opens customer creation, so:
 * - attempts are rate-limited per client address, and logins and agent creations also per
 *   (customer, username), each in a bucket of its own;
 * - after `freeFailures` failed logins of an account in a row (or wrong admin keys from one
 *   address) each further failure locks it for twice as long as the one before, from 1 s up to
 *   `maxLockSeconds`; a success unlocks it;
 * - at most `hashes.concurrent` hashes run in the process, `hashes.waiting` more wait, and any
 *   beyond get 429 at once, without looking up the account or hashing.
 * Every refusal is 429 RATE_LIMITED with Retry-After. The buckets and failure counts are shared
 * records, so they hold across the API replicas. A lock is an attacker's way to keep an agent
 * from signing in for at most `maxLockSeconds`; the agent's tokens keep working meanwhile.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '@talk/shared/errors';
import type { SharedRecords } from '@talk/shared/shared-records';
import { createSlots } from '@talk/shared/slots';
import { createRateLimiter, type RateDecision, type RateLimit } from './rate-limit';

export interface CredentialLimits {
  readonly perAddress: RateLimit;
  readonly perAccount: RateLimit;
  readonly freeFailures: number;
  readonly maxLockSeconds: number;
  readonly hashes: { readonly concurrent: number; readonly waiting: number };
}

/** Failures of one account in a row, and until when it is locked. */
export interface FailureRecord {
  readonly failures: number;
  readonly lockedUntilMs: number;
}

const StoredFailures = z.object({ failures: z.number().int().min(0), lockedUntilMs: z.number() });

export function decodeFailures(stored: unknown): FailureRecord | null {
  const parsed = StoredFailures.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** The record after one more failure at `nowMs`. Pure. */
export function afterFailure(record: FailureRecord | null, limits: CredentialLimits, nowMs: number): FailureRecord {
  const failures = (record?.failures ?? 0) + 1;
  const beyond = failures - limits.freeFailures;
  if (beyond <= 0) return { failures, lockedUntilMs: 0 };
  const lockSeconds = Math.min(limits.maxLockSeconds, 2 ** Math.min(beyond - 1, 30));
  return { failures, lockedUntilMs: nowMs + lockSeconds * 1000 };
}

/** Whole seconds until the account may try again (0: now). Pure. */
export const lockedSeconds = (record: FailureRecord | null, nowMs: number): number =>
  record === null ? 0 : Math.max(0, Math.ceil((record.lockedUntilMs - nowMs) / 1000));

const digest = (...parts: readonly string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 40);

/** A credential check a client asks for, and where it comes from. */
export type CredentialAttempt =
  | { readonly kind: 'login'; readonly clientAddress: string; readonly customerId: string; readonly username: string }
  | { readonly kind: 'agent-creation'; readonly clientAddress: string; readonly customerId: string; readonly username: string }
  | { readonly kind: 'admin-key'; readonly clientAddress: string };

/** Logins and agent creation hash a password; an admin key is compared by its digest. */
const hashesAPassword = (attempt: CredentialAttempt): boolean => attempt.kind !== 'admin-key';

/** What a credential check found: the value it produces, or the error that refuses the attempt. */
export type CheckOutcome<T> = { readonly passed: true; readonly value: T } | { readonly passed: false; readonly error: AppError };

const refused = (what: string, retryAfterSeconds: number): AppError =>
  new AppError('RATE_LIMITED', `${what}; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });

export function createCredentialGuard(records: SharedRecords, limits: CredentialLimits, now: () => number = Date.now) {
  const hashSlots = createSlots(limits.hashes.concurrent);
  const byAddress = createRateLimiter(records, limits.perAddress, now);
  const byAccount = createRateLimiter(records, limits.perAccount, now);

  function failuresKey(attempt: CredentialAttempt): string | null {
    if (attempt.kind === 'login') return `failures.login.${digest(attempt.customerId, attempt.username)}`;
    if (attempt.kind === 'admin-key') return `failures.admin.${digest(attempt.clientAddress)}`;
    return null;
  }

  /** Attempts on their way to a hash: admitted, waiting for a slot, or hashing. */
  let hashBound = 0;
  const hashCapacity = limits.hashes.concurrent + limits.hashes.waiting;

  const enforce = (decision: RateDecision, what: string): void => {
    if (!decision.allowed) throw refused(what, decision.retryAfterSeconds);
  };

  async function admit(attempt: CredentialAttempt): Promise<void> {
    enforce(await byAddress.take(`address.${digest(attempt.clientAddress)}`), 'too many sign-in attempts from this address');
    if (attempt.kind === 'login') {
      enforce(await byAccount.take(`account.${digest(attempt.customerId, attempt.username)}`), 'too many sign-in attempts for this username');
    }
    if (attempt.kind === 'agent-creation') {
      enforce(await byAccount.take(`creation.${digest(attempt.customerId, attempt.username)}`), 'too many attempts to create this username');
    }
    const key = failuresKey(attempt);
    if (key === null) return;
    const wait = await records.change(key, decodeFailures, (record) => ({ write: 'keep', answer: lockedSeconds(record, now()) }));
    if (wait > 0) throw refused('too many failed attempts in a row', wait);
  }

  async function record(attempt: CredentialAttempt, passed: boolean): Promise<void> {
    const key = failuresKey(attempt);
    if (key === null) return;
    await records.change(key, decodeFailures, (failures) => ({
      write: passed ? (failures === null ? 'keep' : 'remove') : { put: afterFailure(failures, limits, now()) },
      answer: undefined,
    }));
  }

  async function checkInSlot<T>(check: () => Promise<CheckOutcome<T>>): Promise<CheckOutcome<T>> {
    const release = await hashSlots.acquire();
    try {
      return await check();
    } finally {
      release();
    }
  }

  return {
    /**
     * Runs `check` (the lookup and the password hash or key comparison) if the attempt is let
     * through, and counts its outcome; throws RATE_LIMITED when it is not, and `check`'s error
     * when the credentials are wrong. An attempt that would hash takes its place in the process's
     * hash queue first, before any shared record is read: in a flood most end there, at no cost.
     */
    async attempt<T>(attempt: CredentialAttempt, check: () => Promise<CheckOutcome<T>>): Promise<T> {
      const hashes = hashesAPassword(attempt);
      if (hashes && hashBound >= hashCapacity) throw refused('the server is busy checking passwords', 1);
      if (hashes) hashBound += 1;
      try {
        await admit(attempt);
        const outcome = hashes ? await checkInSlot(check) : await check();
        await record(attempt, outcome.passed);
        if (!outcome.passed) throw outcome.error;
        return outcome.value;
      } finally {
        if (hashes) hashBound -= 1;
      }
    },
  };
}

export type CredentialGuard = ReturnType<typeof createCredentialGuard>;

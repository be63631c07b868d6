import { z } from 'zod';
import { commonConfig, commonEnv, parseEnv, port, type CommonConfig, type Env } from '@talk/shared/config';
import { presenceConfig, presenceEnv, refusePresenceTimeoutBelowHeartbeats, type PresenceConfig } from '@talk/shared/presence-config';
import { jwtSecret, refusePublishedSecrets } from '@talk/shared/secrets';
import type { CredentialLimits } from './domain/credential-guard';
import type { RateLimit } from './domain/rate-limit';

const rate = (fallback: number) => z.coerce.number().positive().max(100_000).default(fallback);
const count = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export interface ApiConfig extends CommonConfig {
  readonly port: number;
  readonly adminKey: string;
  readonly jwtSecret: string;
  readonly tokenTtlSeconds: number;
  /** Per agent, for the whole deployment (the replicas share the buckets). */
  readonly rateLimit: RateLimit;
  /** Sign-in attempts, agent creation and admin keys (domain/credential-guard.ts). */
  readonly credentials: CredentialLimits;
  /** Express's `trust proxy`: whose `X-Forwarded-For` names the client (false: nobody's). */
  readonly trustProxy: string | false;
  /** The NATS key-value bucket of rate limits and sign-in failures, in bytes (reserved by JetStream). */
  readonly sharedRecordsMaxBytes: number;
  /** The presence bucket: how gateways are aged out (the same values as the gateways'), its size. */
  readonly presence: PresenceConfig;
}

const ApiEnv = z
  .object({
    ...commonEnv,
    PORT: port(3000),
    TALK_ADMIN_KEY: z
      .string({ message: 'is required (at least 12 characters), e.g. a long random string' })
      .min(12, 'must be at least 12 characters'),
    JWT_SECRET: jwtSecret('the output of openssl rand -hex 32'),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(24 * 3600),
    RATE_LIMIT_PER_SECOND: rate(20),
    RATE_LIMIT_BURST: count(1, 100_000, 40),
    AUTH_ADDRESS_RATE_PER_SECOND: rate(5),
    AUTH_ADDRESS_BURST: count(1, 100_000, 100),
    AUTH_ACCOUNT_RATE_PER_SECOND: rate(0.2),
    AUTH_ACCOUNT_BURST: count(1, 100_000, 10),
    AUTH_FREE_FAILURES: count(1, 1_000, 5),
    AUTH_MAX_LOCK_SECONDS: count(1, 24 * 3600, 900),
    AUTH_MAX_CONCURRENT_HASHES: count(1, 64, 2),
    AUTH_MAX_WAITING_HASHES: count(0, 10_000, 16),
    // Empty: no proxy is trusted, and X-Forwarded-For is ignored.
    TRUST_PROXY: z
      .string()
      .default('loopback, linklocal, uniquelocal')
      .transform((value) => (value.trim() === '' ? false : value)),
    SHARED_RECORDS_MAX_BYTES: count(64 * 1024, 4 * 1024 ** 3, 64 * 1024 * 1024),
    ...presenceEnv,
  })
  .superRefine(refusePublishedSecrets(['TALK_ADMIN_KEY', 'JWT_SECRET']))
  .superRefine(refusePresenceTimeoutBelowHeartbeats)
  .transform(
    (env): ApiConfig => ({
      ...commonConfig(env),
      port: env.PORT,
      adminKey: env.TALK_ADMIN_KEY,
      jwtSecret: env.JWT_SECRET,
      tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
      rateLimit: { ratePerSecond: env.RATE_LIMIT_PER_SECOND, burst: env.RATE_LIMIT_BURST },
      credentials: {
        perAddress: { ratePerSecond: env.AUTH_ADDRESS_RATE_PER_SECOND, burst: env.AUTH_ADDRESS_BURST },
        perAccount: { ratePerSecond: env.AUTH_ACCOUNT_RATE_PER_SECOND, burst: env.AUTH_ACCOUNT_BURST },
        freeFailures: env.AUTH_FREE_FAILURES,
        maxLockSeconds: env.AUTH_MAX_LOCK_SECONDS,
        hashes: { concurrent: env.AUTH_MAX_CONCURRENT_HASHES, waiting: env.AUTH_MAX_WAITING_HASHES },
      },
      trustProxy: env.TRUST_PROXY,
      sharedRecordsMaxBytes: env.SHARED_RECORDS_MAX_BYTES,
      presence: presenceConfig(env),
    }),
  );

export const loadApiConfig = (env: Env): ApiConfig => parseEnv(ApiEnv, env);

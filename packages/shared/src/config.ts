/**
 * Environment parsing shared by the services (README, Configuration). Each service composes the
 * fields it needs into its own schema and transforms them into a nested typed object; an invalid
 * environment fails at start-up with every problem listed.
 */
import { z } from 'zod';
import { devModeFlag } from './secrets';

export type Env = Readonly<Record<string, string | undefined>>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const mongoUrl = z
  .string({ message: 'is required, e.g. mongodb://127.0.0.1:27017' })
  .regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// or mongodb+srv:// URL');

const natsUrl = z
  .string({ message: 'is required, e.g. nats://127.0.0.1:4222' })
  .regex(/^(nats|tls|ws|wss):\/\/[^,]+(,(nats|tls|ws|wss):\/\/[^,]+)*$/, 'must be nats:// URLs, comma-separated');

export const port = (fallback: number) =>
  z.coerce.number().int().min(0, 'must be 0–65535').max(65_535, 'must be 0–65535').default(fallback);

/** Fields every service reads: where MongoDB and NATS are, and how loud to log. */
export const commonEnv = {
  MONGO_URL: mongoUrl,
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1–63 letters, digits, _ or -').default('talk'),
  NATS_URL: natsUrl,
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\.)*$/, 'must be empty or tokens each followed by a dot, like "staging."')
    .default(''),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
  OUTBOX_GRACE_MS: z.coerce.number().int().min(0).default(5_000),
  TALK_DEV_MODE: devModeFlag,
};

export interface CommonConfig {
  readonly mongo: { readonly url: string; readonly db: string };
  readonly nats: { readonly url: string; readonly subjectPrefix: string };
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  /** The outbox relay of the services that record events (see packages/store/src/write-pipeline/outbox-relay.ts). */
  readonly outbox: { readonly intervalMs: number; readonly graceMs: number };
  /** Published development secrets are accepted (secrets.ts); the service warns at start. */
  readonly devMode: boolean;
}

export function commonConfig(env: {
  MONGO_URL: string;
  MONGO_DB: string;
  NATS_URL: string;
  NATS_SUBJECT_PREFIX: string;
  LOG_LEVEL: LogLevel;
  SHUTDOWN_TIMEOUT_MS: number;
  OUTBOX_INTERVAL_MS: number;
  OUTBOX_GRACE_MS: number;
  TALK_DEV_MODE: boolean;
}): CommonConfig {
  return {
    mongo: { url: env.MONGO_URL, db: env.MONGO_DB },
    nats: { url: env.NATS_URL, subjectPrefix: env.NATS_SUBJECT_PREFIX },
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    outbox: { intervalMs: env.OUTBOX_INTERVAL_MS, graceMs: env.OUTBOX_GRACE_MS },
    devMode: env.TALK_DEV_MODE,
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Parses `env` with `schema`; throws a `ConfigError` that names every bad variable. */
export function parseEnv<T>(schema: z.ZodType<T>, env: Env): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(env)'}: ${issue.message}`),
  );
}

import { z } from 'zod';
import { commonConfig, commonEnv, parseEnv, port, type CommonConfig, type Env } from '@talk/shared/config';
import { jwtSecret, refusePublishedSecrets } from '@talk/shared/secrets';

export interface ApiConfig extends CommonConfig {
  readonly port: number;
  readonly adminKey: string;
  readonly jwtSecret: string;
  readonly tokenTtlSeconds: number;
  /** Per agent and per API replica. */
  readonly rateLimit: { readonly ratePerSecond: number; readonly burst: number };
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
    RATE_LIMIT_PER_SECOND: z.coerce.number().positive().max(100_000).default(20),
    RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(100_000).default(40),
  })
  .superRefine(refusePublishedSecrets(['TALK_ADMIN_KEY', 'JWT_SECRET']))
  .transform(
    (env): ApiConfig => ({
      ...commonConfig(env),
      port: env.PORT,
      adminKey: env.TALK_ADMIN_KEY,
      jwtSecret: env.JWT_SECRET,
      tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
      rateLimit: { ratePerSecond: env.RATE_LIMIT_PER_SECOND, burst: env.RATE_LIMIT_BURST },
    }),
  );

export const loadApiConfig = (env: Env): ApiConfig => parseEnv(ApiEnv, env);

import { z } from 'zod';
import { commonConfig, commonEnv, parseEnv, port, type CommonConfig, type Env } from '@talk/shared/config';

export interface NotifierConfig extends CommonConfig {
  /** Port of the health endpoints. */
  readonly port: number;
  /** Name of the JetStream durable consumer; replicas with the same name share the work. */
  readonly durableName: string;
}

const NotifierEnv = z
  .object({
    ...commonEnv,
    PORT: port(3002),
    NOTIFIER_DURABLE: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -').default('talk-notifier'),
  })
  .transform((env): NotifierConfig => ({ ...commonConfig(env), port: env.PORT, durableName: env.NOTIFIER_DURABLE }));

export const loadNotifierConfig = (env: Env): NotifierConfig => parseEnv(NotifierEnv, env);

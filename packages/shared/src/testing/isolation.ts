/**
 * Every test file gets its own database and NATS subject prefix, so that Jest workers share one
 * MongoDB-compatible server and one NATS server without seeing each other's data.
 */
import { randomBytes } from 'node:crypto';

export interface TestServersEnv {
  readonly mongoUrl: string;
  readonly natsUrl: string;
}

export function testServersFromEnv(env: NodeJS.ProcessEnv = process.env): TestServersEnv {
  const mongoUrl = env['MONGO_URL'];
  const natsUrl = env['NATS_URL'];
  if (mongoUrl === undefined || natsUrl === undefined) {
    throw new Error('MONGO_URL and NATS_URL are not set: run integration tests through jest (test/setup/global-setup.ts)');
  }
  return { mongoUrl, natsUrl };
}

export interface Isolation {
  /** A database name of its own (FerretDB and MongoDB allow 63 characters). */
  readonly db: string;
  /** A subject prefix of its own, like `t3f9a1c.`. */
  readonly subjectPrefix: string;
}

export function isolation(label: string): Isolation {
  const suffix = randomBytes(4).toString('hex');
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40);
  return { db: `t_${safe}_${suffix}`, subjectPrefix: `t${suffix}.` };
}

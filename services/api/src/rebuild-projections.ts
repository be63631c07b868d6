/**
 * `npm run rebuild-projections`: drops every projection of the database named by MONGO_URL and
 * MONGO_DB and derives it again from the event log (packages/store/src/write-pipeline/projection-rebuild.ts).
 * Stop the API and notifier replicas first: nothing may write while the projections are rebuilt.
 * The process edge: the environment is read here, and only here may the process exit.
 */
import { z } from 'zod';
import { commonEnv, ConfigError, parseEnv } from '@talk/shared/config';
import { createLogger } from '@talk/shared/logger';
import { connectDatabase } from '@talk/runtime/database';
import { rebuildProjections } from '@talk/store/write-pipeline/projection-rebuild';

const RebuildEnv = z.object({ MONGO_URL: commonEnv.MONGO_URL, MONGO_DB: commonEnv.MONGO_DB, LOG_LEVEL: commonEnv.LOG_LEVEL });

async function main(): Promise<number> {
  let env: z.infer<typeof RebuildEnv>;
  try {
    env = parseEnv(RebuildEnv, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`rebuild-projections: ${error.message}\n`);
    return 2;
  }
  const log = createLogger('talk-rebuild-projections', env.LOG_LEVEL);
  const database = await connectDatabase(env.MONGO_URL, env.MONGO_DB, 'talk-rebuild-projections');
  try {
    const started = Date.now();
    log.info({ db: env.MONGO_DB }, 'dropping the projections and applying the event log again');
    const report = await rebuildProjections(database.db, (talkId, events) => log.debug({ talkId, events }, 'talk rebuilt'));
    log.info({ ...report, ms: Date.now() - started }, 'projections rebuilt from the event log');
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`rebuild-projections failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

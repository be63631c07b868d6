import { resolveTestServers } from './servers';

/** Jest runs this once before the integration project; workers inherit the environment it sets. */
async function globalSetup(): Promise<void> {
  const servers = await resolveTestServers(process.env);
  process.env['MONGO_URL'] = servers.mongoUrl;
  process.env['NATS_URL'] = servers.natsUrl;
  process.env['TALK_TEST_DATABASE'] = servers.database;
  globalThis.talkTestServers = servers;
}

// Jest requires the module itself to be the function.
export = globalSetup;

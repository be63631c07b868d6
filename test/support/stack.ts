/**
 * Starts Talk's services in-process against the test servers, each replica on its own port, all
 * sharing one isolated database and subject prefix. Used by the integration and e2e tests.
 */
import { createLogger } from '@talk/shared/logger';
import { LOG_LEVELS, type LogLevel } from '@talk/shared/config';
import { isolation, testServersFromEnv, type Isolation } from '@talk/shared/testing/isolation';
import { restClient, type RestClient } from '@talk/shared/testing/rest-client';
import { loadApiConfig } from '../../services/api/src/config';
import { startApi, type RunningApi } from '../../services/api/src/start';
import { loadGatewayConfig } from '../../services/gateway/src/config';
import { startGateway, type RunningGateway } from '../../services/gateway/src/start';
import { loadNotifierConfig } from '../../services/notifier/src/config';
import { startNotifier, type RunningNotifier } from '../../services/notifier/src/start';

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const JWT_SECRET = 'test-jwt-secret-0123456789abcdefghijklmnop';

function logLevel(): LogLevel {
  const wanted = process.env['TEST_LOG_LEVEL'];
  return LOG_LEVELS.find((level) => level === wanted) ?? 'silent';
}

export interface StackEnv {
  readonly iso: Isolation;
  readonly env: Readonly<Record<string, string>>;
}

export function stackEnv(label: string): StackEnv {
  const servers = testServersFromEnv();
  const iso = isolation(label);
  return {
    iso,
    env: {
      MONGO_URL: servers.mongoUrl,
      MONGO_DB: iso.db,
      NATS_URL: servers.natsUrl,
      NATS_SUBJECT_PREFIX: iso.subjectPrefix,
      TALK_ADMIN_KEY: ADMIN_KEY,
      JWT_SECRET,
      PORT: '0',
      LOG_LEVEL: logLevel(),
      // Tests fire requests faster than any person; the limit itself has its own test.
      RATE_LIMIT_PER_SECOND: '10000',
      RATE_LIMIT_BURST: '10000',
      AUTH_ADDRESS_RATE_PER_SECOND: '10000',
      AUTH_ADDRESS_BURST: '10000',
      AUTH_ACCOUNT_RATE_PER_SECOND: '10000',
      AUTH_ACCOUNT_BURST: '10000',
      AUTH_MAX_WAITING_HASHES: '10000',
      // JetStream reserves a bucket's bytes of its memory, and every test stack has its own bucket.
      SHARED_RECORDS_MAX_BYTES: String(256 * 1024),
    },
  };
}

/** Resolves once the service is ready (its dependencies answer), like a load balancer waits. */
async function whenReady<T extends { ready: Promise<void> }>(starting: Promise<T>): Promise<T> {
  const running = await starting;
  await running.ready;
  return running;
}

export const launchApi = (stack: StackEnv, env: Record<string, string> = {}): Promise<RunningApi> =>
  whenReady(startApi(loadApiConfig({ ...stack.env, ...env }), createLogger('talk-api', logLevel())));

export const launchGateway = (stack: StackEnv, env: Record<string, string> = {}): Promise<RunningGateway> =>
  whenReady(startGateway(loadGatewayConfig({ ...stack.env, ...env }), createLogger('talk-gateway', logLevel())));

export const launchNotifier = (stack: StackEnv, env: Record<string, string> = {}): Promise<RunningNotifier> =>
  whenReady(startNotifier(loadNotifierConfig({ ...stack.env, ...env }), createLogger('talk-notifier', logLevel())));

export interface Stack extends StackEnv {
  readonly apis: readonly RunningApi[];
  readonly gateways: readonly RunningGateway[];
  readonly notifiers: readonly RunningNotifier[];
  /** REST client of API replica `i`. */
  api(i?: number): RestClient;
  /** WebSocket URL of gateway replica `i` for a token. */
  wsUrl(token: string, i?: number): string;
  stop(): Promise<void>;
}

export async function startStack(
  label: string,
  replicas: { apis?: number; gateways?: number; notifiers?: number } = {},
): Promise<Stack> {
  const env = stackEnv(label);
  const stoppers: { stop(): Promise<void> }[] = [];
  const start = async <T extends { stop(): Promise<void> }>(count: number, launch: () => Promise<T>): Promise<T[]> => {
    const started: T[] = [];
    for (let i = 0; i < count; i += 1) {
      const running = await launch();
      stoppers.push(running);
      started.push(running);
    }
    return started;
  };
  try {
    const apis = await start(replicas.apis ?? 1, () => launchApi(env));
    const gateways = await start(replicas.gateways ?? 0, () => launchGateway(env));
    const notifiers = await start(replicas.notifiers ?? 0, () => launchNotifier(env));
    return {
      ...env,
      apis,
      gateways,
      notifiers,
      api: (i = 0) => restClient(`http://127.0.0.1:${apis[i]?.port ?? 0}`),
      wsUrl: (token, i = 0) => `ws://127.0.0.1:${gateways[i]?.port ?? 0}/v1.0/ws?token=${encodeURIComponent(token)}`,
      stop: () => stopAll(stoppers),
    };
  } catch (error) {
    await stopAll(stoppers);
    throw error;
  }
}

/** Stops every service, newest first, even when one fails, so that no test leaves handles open. */
async function stopAll(stoppers: readonly { stop(): Promise<void> }[]): Promise<void> {
  const failures: unknown[] = [];
  for (const running of [...stoppers].reverse()) {
    try {
      await running.stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'some services did not stop cleanly');
}

/**
 * Ordered start-up and shutdown. Every resource has an owner and a `stop()`; a service's
 * `start()` returns one `stop()` that runs the steps in order and reports every failure.
 */
import { ConfigError, type Env, type LogLevel } from './config';
import { createLogger, type Logger } from './logger';

export interface StopStep {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** Runs every step in order, even after a failure, and throws once at the end if any failed. */
export async function runStopSteps(steps: readonly StopStep[], log: Logger): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step.run();
      log.debug({ step: step.name }, 'stopped');
    } catch (error) {
      log.error({ err: error, step: step.name }, 'stop step failed');
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} stop step(s) failed`);
}

/** Resolves like `promise`, or rejects when `ms` passes first. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunningService {
  /** Rejects when the service could not start; it resolves for a start-up that was abandoned. */
  readonly ready: Promise<void>;
  readonly stop: () => Promise<void>;
}

/**
 * Calls `stop()` once on the first SIGTERM or SIGINT and reports the outcome; a second signal
 * while stopping is logged and ignored. Used only by `main.ts`, which decides the exit code.
 */
export function onShutdownSignal(
  service: RunningService,
  log: Logger,
  timeoutMs: number,
  done: (outcome: 'stopped' | 'failed') => void,
): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'already stopping');
      return;
    }
    stopping = true;
    log.info({ signal }, 'stopping');
    withTimeout(service.stop(), timeoutMs, 'shutdown').then(
      () => {
        log.info('stopped');
        done('stopped');
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        done('failed');
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

interface ServiceConfig {
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  readonly devMode: boolean;
}

export interface ServiceDefinition<C extends ServiceConfig> {
  readonly name: string;
  readonly env: Env;
  readonly loadConfig: (env: Env) => C;
  readonly start: (config: C, log: Logger) => Promise<RunningService>;
  /** The process edge decides how to end: `main.ts` passes `process.exit`. */
  readonly exit: (code: number) => void;
}

/**
 * The life of a service process: parse the environment (exit 1 listing every problem), start,
 * and on SIGTERM or SIGINT stop in order (exit 0, or 1 if a step failed or took too long). A
 * start-up that fails, then or later (`ready` rejects), is logged, stopped, and exits 1, so that a
 * supervisor restarts the service instead of it staying up "not ready" for ever.
 */
export function runService<C extends ServiceConfig>(service: ServiceDefinition<C>): void {
  let config: C;
  try {
    config = service.loadConfig(service.env);
  } catch (error) {
    const reason = error instanceof ConfigError ? error.message : String(error);
    process.stderr.write(`${service.name} cannot start: ${reason}\n`);
    service.exit(1);
    return;
  }
  const log = createLogger(service.name, config.logLevel);
  if (config.devMode) log.warn('TALK_DEV_MODE is on: secrets published in the repository are accepted; never run a deployment like this');
  service.start(config, log).then(
    (running) => {
      onShutdownSignal(running, log, config.shutdownTimeoutMs, (outcome) => service.exit(outcome === 'stopped' ? 0 : 1));
      running.ready.catch(async (error: unknown) => {
        log.fatal({ err: error }, 'start-up failed; stopping and exiting for a supervisor to restart the service');
        await withTimeout(running.stop(), config.shutdownTimeoutMs, 'shutdown').catch((stopError: unknown) => {
          log.error({ err: stopError }, 'shutdown after the failed start-up failed');
        });
        service.exit(1);
      });
    },
    (error: unknown) => {
      log.fatal({ err: error }, 'start failed');
      service.exit(1);
    },
  );
}

/** A `stop()` that runs the steps once; later calls wait for, and share, the first run's outcome. */
export function stopOnce(steps: readonly StopStep[], log: Logger): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= runStopSteps(steps, log);
    return stopping;
  };
}

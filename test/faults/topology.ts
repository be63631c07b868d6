/**
 * Talk's production topology as separate OS processes, for the fault-injection suite: a
 * nats-server of its own (JetStream, store in a temp folder), N api, gateway and notifier
 * processes built from services/<name>/dist, each on a port fixed up front, and nginx from
 * deploy/nginx.conf.template as the one front door. MongoDB is the shared test server, with a
 * database of the topology's own. A test kills, pauses and restarts the processes through
 * `ManagedProcess`; a restarted process comes back on the same port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RestClient } from '@talk/shared/testing/rest-client';
import { freePorts, startNginx, type FrontDoor } from '../support/front-door';
import { spawnService, type ServiceName } from '../support/service-process';
import { stackEnv, type StackEnv } from '../support/stack';
import { manageProcess, type ManagedProcess, type OwnedProcess } from './managed-process';
import { spawnNatsServer } from './nats-server';

type Env = Readonly<Record<string, string>>;

export interface TopologyOptions {
  /** Replicas of each service; 2 each by default. */
  readonly apis?: number;
  readonly gateways?: number;
  readonly notifiers?: number;
  /**
   * Extra environment per service kind, over the stack's (e.g. `gateway: { WS_PING_INTERVAL_MS:
   * '1000' }`, `api: { OUTBOX_INTERVAL_MS: '100', OUTBOX_GRACE_MS: '500' }`). PORT and NATS_URL
   * are the topology's; LOG_LEVEL must stay `info` or lower, since readiness is read from the log.
   */
  readonly env?: Partial<Readonly<Record<ServiceName, Env>>>;
  /** How long a (re)start may take to be ready; 30 s by default. */
  readonly readyTimeoutMs?: number;
  /** How long SIGTERM may take before SIGKILL; 12 s by default, above the services' 10 s SHUTDOWN_TIMEOUT_MS. */
  readonly stopTimeoutMs?: number;
}

export interface Topology {
  /** The isolated database and subject prefix, and the services' environment (NATS_URL is the topology's nats-server). */
  readonly stack: StackEnv;
  /** nats://127.0.0.1:<port> of the topology's nats-server, for a test that watches the bus. */
  readonly natsUrl: string;
  /** http://127.0.0.1:<nginx port> */
  readonly frontUrl: string;
  /** REST through nginx. */
  readonly rest: RestClient;
  /** ws://127.0.0.1:<nginx port>/v1.0/ws?token=… */
  wsUrl(token: string): string;
  readonly nats: ManagedProcess;
  readonly apis: readonly ManagedProcess[];
  readonly gateways: readonly ManagedProcess[];
  readonly notifiers: readonly ManagedProcess[];
  /** Every process's last output, for a failure message. */
  output(): string;
  /**
   * Stops nginx, then every service (SIGCONT first for paused ones, SIGTERM, SIGKILL after the
   * stop timeout), then nats-server, and removes the temp folders. Safe to call more than once.
   */
  stop(): Promise<void>;
}

const DEFAULT_REPLICAS = 2;

export async function startTopology(label: string, options: TopologyOptions = {}): Promise<Topology> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 12_000;
  const counts: Record<ServiceName, number> = {
    api: options.apis ?? DEFAULT_REPLICAS,
    gateway: options.gateways ?? DEFAULT_REPLICAS,
    notifier: options.notifiers ?? DEFAULT_REPLICAS,
  };
  // Every port up front, all different: a process restarts on its own, and nginx's upstream
  // lists and the services' NATS_URL never change.
  const [natsPort = 0, ...servicePorts] = await freePorts(1 + counts.api + counts.gateway + counts.notifier);
  const portsOf = (kind: ServiceName): number[] => {
    const before = kind === 'api' ? 0 : kind === 'gateway' ? counts.api : counts.api + counts.gateway;
    return servicePorts.slice(before, before + counts[kind]);
  };

  const natsUrl = `nats://127.0.0.1:${natsPort}`;
  const base = stackEnv(label);
  const stack: StackEnv = { iso: base.iso, env: { ...base.env, NATS_URL: natsUrl } };
  const storeDir = mkdtempSync(join(tmpdir(), 'talk-faults-nats-'));

  const nats = manageProcess('nats', natsPort, () => spawnNatsServer(natsPort, storeDir, readyTimeoutMs), stopTimeoutMs);
  const replicas = (kind: ServiceName): OwnedProcess[] =>
    portsOf(kind).map((port, i) =>
      manageProcess(
        `${kind}-${i + 1}`,
        port,
        () => spawnService(kind, stack, { ...options.env?.[kind], PORT: String(port) }, 'ready', readyTimeoutMs),
        stopTimeoutMs,
      ),
    );
  const apis = replicas('api');
  const gateways = replicas('gateway');
  const notifiers = replicas('notifier');
  const services = [...apis, ...gateways, ...notifiers];
  const output = (): string =>
    [nats, ...services].map((process) => `--- ${process.name} (port ${process.port}) ---\n${process.output()}`).join('\n');

  let frontDoor: FrontDoor | undefined;
  let stopping: Promise<void> | undefined;
  // A parent that exits without stop() (a timeout's SIGTERM, an uncaught error) must not leave
  // the topology running: on exit, only synchronous work is possible, so SIGKILL.
  const killOnExit = (): void => {
    frontDoor?.killNow();
    for (const managed of [nats, ...services]) {
      const pid = managed.pid();
      if (pid === undefined || !managed.running()) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killOnExit);
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      try {
        // The front door first, so that no new request reaches a replica that is going away.
        await frontDoor?.stop();
      } finally {
        await Promise.all(services.map((service) => service.shutdown()));
        // nats-server last: the services drain their connections to it while stopping.
        await nats.shutdown();
        rmSync(storeDir, { recursive: true, force: true });
      }
    })();
    return stopping;
  };

  try {
    await nats.start();
    // Like scripts/stack.mjs, every replica at once; allSettled, so that none is still starting
    // when a failure stops the others.
    const started = await Promise.allSettled(services.map((service) => service.start()));
    const failures: unknown[] = [];
    for (const outcome of started) if (outcome.status === 'rejected') failures.push(outcome.reason);
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} service process(es) did not become ready`);
    frontDoor = await startNginx(portsOf('api'), portsOf('gateway'));
  } catch (error) {
    await stop();
    throw new Error(`the fault topology "${label}" did not start: ${describeError(error)}`, { cause: error });
  }

  const door = frontDoor;
  return {
    stack,
    natsUrl,
    frontUrl: door.rest.baseUrl,
    rest: door.rest,
    wsUrl: (token) => door.wsUrl(token),
    nats,
    apis,
    gateways,
    notifiers,
    output,
    stop,
  };
}

/** An error with the messages inside it, which carry each failed process's last output. */
function describeError(error: unknown): string {
  if (error instanceof AggregateError) {
    const inner: unknown[] = error.errors;
    return [error.message, ...inner.map(describeError)].join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}

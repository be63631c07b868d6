/**
 * One process of the fault topology under a test's control: it can be killed, paused, resumed
 * and restarted, always on the same port, because nginx's upstream lists and the services'
 * NATS_URL are fixed when the topology starts.
 */
import type { WatchedChild } from '../support/watched-child';

export interface ManagedProcess {
  /** Like `gateway-1` or `nats`. */
  readonly name: string;
  readonly port: number;
  /** The pid of the current (or last) run; undefined before the first start. */
  pid(): number | undefined;
  /** Started and not exited; a paused process still runs. */
  running(): boolean;
  paused(): boolean;
  /** SIGKILL; resolves once the process has exited. */
  kill(): Promise<void>;
  /** SIGSTOP: the process keeps its sockets but answers nothing, like a hung machine. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** SIGTERM (after SIGCONT when paused), SIGKILL if it has not exited within the stop timeout; resolves once it has exited. */
  terminate(): Promise<void>;
  /** Starts it again on its port; resolves once it is ready. Throws if it still runs. */
  start(): Promise<void>;
  /** `terminate()` if it runs, then `start()`. */
  restart(): Promise<void>;
  /** The last lines the current (or last) run wrote, and how it ended. */
  output(): string;
}

/** What the topology holds: a `ManagedProcess` it can also shut down for good. */
export interface OwnedProcess extends ManagedProcess {
  /** Waits for a start in progress, terminates, and refuses to start again. */
  shutdown(): Promise<void>;
}

/** `launch` starts one run on `port` and resolves once it is ready (or rejects, leaving nothing running). */
export function manageProcess(name: string, port: number, launch: () => Promise<WatchedChild>, stopTimeoutMs: number): OwnedProcess {
  let current: WatchedChild | undefined;
  let starting: Promise<void> | undefined;
  let isPaused = false;
  let closed = false;

  const running = (): boolean => current?.alive() ?? false;

  const terminate = async (): Promise<void> => {
    const run = current;
    if (run === undefined || !run.alive()) return;
    // A stopped process keeps SIGTERM pending: it must run again to handle it.
    run.signal('SIGCONT');
    isPaused = false;
    run.signal('SIGTERM');
    const timer = setTimeout(() => run.signal('SIGKILL'), stopTimeoutMs);
    await run.exited;
    clearTimeout(timer);
  };

  const start = async (): Promise<void> => {
    if (closed) throw new Error(`${name}: the topology is stopping`);
    if (running()) throw new Error(`${name} is already running`);
    if (starting !== undefined) throw new Error(`${name} is already starting`);
    starting = launch().then((run) => {
      current = run;
      isPaused = false;
    });
    try {
      await starting;
    } finally {
      starting = undefined;
    }
  };

  return {
    name,
    port,
    pid: () => current?.pid,
    running,
    paused: () => isPaused && running(),
    async kill() {
      const run = current;
      if (run === undefined) return;
      run.signal('SIGKILL');
      await run.exited;
      isPaused = false;
    },
    pause() {
      if (current === undefined || !running()) throw new Error(`${name} is not running`);
      current.signal('SIGSTOP');
      isPaused = true;
    },
    resume() {
      current?.signal('SIGCONT');
      isPaused = false;
    },
    terminate,
    start,
    async restart() {
      await terminate();
      await start();
    },
    output: () => current?.output() ?? '',
    async shutdown() {
      closed = true;
      // A run still starting is waited for (its launch gives up within its own timeout), so that
      // it cannot come up after the topology is gone. Its failure is the starter's to report.
      await starting?.then(
        () => undefined,
        () => undefined,
      );
      await terminate();
    },
  };
}

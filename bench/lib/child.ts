/**
 * Runs a piece of a benchmark in a process of its own (the load generator, a baseline server), so
 * that it never shares an event loop with what it measures. The child is a TypeScript module run
 * through tsx; parent and child talk over Node's IPC channel with typed messages.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';

const ROOT = join(__dirname, '..', '..');

const Failure = z.object({ error: z.string() });

export interface BenchChild {
  readonly pid: number;
  /** Sends a request and resolves with the child's next reply, parsed with `reply`. */
  ask<Reply>(request: object, reply: z.ZodType<Reply>, timeoutMs?: number): Promise<Reply>;
  /** Kills the child (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

export function startChild(modulePath: string, env: Readonly<Record<string, string>> = {}): BenchChild {
  const child: ChildProcess = fork(modulePath, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', '--max-old-space-size=8192'],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.test.json'), ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let queue: Promise<unknown> = Promise.resolve();

  function once<Reply>(request: object, schema: z.ZodType<Reply>, timeoutMs: number): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${modulePath} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (reply: unknown): void => {
        cleanup();
        const failure = Failure.safeParse(reply);
        if (failure.success) {
          reject(new Error(`${modulePath} failed: ${failure.data.error}`));
          return;
        }
        const parsed = schema.safeParse(reply);
        if (parsed.success) resolve(parsed.data);
        else reject(new Error(`${modulePath} answered ${JSON.stringify(reply)}: ${parsed.error.message}`));
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`${modulePath} exited (${code}) before answering`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(request);
    });
  }

  return {
    pid: child.pid ?? 0,
    ask(request, reply, timeoutMs = 120_000) {
      const answer = queue.then(() => once(request, reply, timeoutMs));
      queue = answer.catch(() => undefined);
      return answer;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a child: parses each request from the parent with `schema` and answers with `handle`'s result. */
export function serveParent<Request>(schema: z.ZodType<Request>, handle: (request: Request) => Promise<object>): void {
  // Imported by a scenario by mistake, it would take over the runner's SIGTERM: refuse loudly.
  if (process.send === undefined) throw new Error('serveParent runs only in a process started by startChild; import schemas from a protocol module');
  process.on('message', (raw: unknown) => {
    const request = schema.safeParse(raw);
    if (!request.success) {
      process.send?.({ error: `bad request ${JSON.stringify(raw)}: ${request.error.message}` });
      return;
    }
    handle(request.data).then(
      (reply) => process.send?.(reply),
      (error: unknown) => process.send?.({ error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
  process.on('SIGTERM', () => process.exit(0));
}

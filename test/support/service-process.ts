/**
 * Runs a built service (`services/<name>/dist/main.js`) as a real process, for the tests that send
 * it signals (SIGTERM here, SIGKILL and SIGSTOP in test/faults). `npm test` builds first; the log
 * lines are pino JSON on stdout.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import type { StackEnv } from './stack';
import { watchChild, type WatchedChild } from './watched-child';

const ROOT = join(__dirname, '..', '..');
/** Log lines kept per process. */
const MAX_LINES = 2_000;
const LogLine = z.object({ msg: z.string(), port: z.number().optional() }).loose();
type LogLine = z.infer<typeof LogLine>;

export type ServiceName = 'api' | 'gateway' | 'notifier';

export interface ServiceProcess extends WatchedChild {
  readonly port: number;
  readonly lines: readonly LogLine[];
  /** Sends SIGTERM and resolves with the exit code. */
  terminate(): Promise<number | null>;
  kill(): void;
}

/** A stdout line that is not JSON (a crash trace, say) stays in the output tail only. */
function parseJsonLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Starts the service and resolves once it logs `ready` (MongoDB and NATS answer), or, with
 * `until: 'listening'`, as soon as it listens. Rejects, with the process's last output, when it
 * exits first or is not there within `timeoutMs`; it is then killed, so nothing is left running.
 */
export async function spawnService(
  name: ServiceName,
  stack: StackEnv,
  env: Record<string, string> = {},
  until: 'ready' | 'listening' = 'ready',
  timeoutMs = 20_000,
): Promise<ServiceProcess> {
  const lines: LogLine[] = [];
  let listening: number | undefined;
  let reached: ((port: number) => void) | undefined;
  const child = spawn(process.execPath, [join(ROOT, 'services', name, 'dist', 'main.js')], {
    env: { ...process.env, ...stack.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = watchChild(child, (text) => {
    const parsed = LogLine.safeParse(parseJsonLine(text));
    if (!parsed.success) return;
    lines.push(parsed.data);
    // A long-running process (a benchmark's) logs a line per request: keep the recent ones only.
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
    if (parsed.data.port !== undefined && parsed.data.msg.endsWith('listening')) listening = parsed.data.port;
    const wanted = until === 'ready' ? parsed.data.msg === 'ready' : parsed.data.msg.endsWith('listening');
    if (wanted && listening !== undefined) reached?.(listening);
  });

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    watched.signal('SIGKILL');
  }, timeoutMs);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      reached = resolve;
      void watched.exited.then((code) => {
        const why = timedOut ? `was not ${until} within ${timeoutMs} ms` : `exited with ${code} before it was ${until}`;
        reject(new Error(`${name} ${why}:\n${watched.output()}`));
      });
    });
    return {
      ...watched,
      port,
      lines,
      terminate() {
        watched.signal('SIGTERM');
        return watched.exited;
      },
      kill: () => {
        watched.signal('SIGKILL');
      },
    };
  } finally {
    clearTimeout(timer);
  }
}

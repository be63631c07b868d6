/**
 * Runs a built service (`services/<name>/dist/main.js`) as a real process, for the tests that send
 * it SIGTERM. `npm test` builds first; the log lines are pino JSON on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import type { StackEnv } from './stack';

const ROOT = join(__dirname, '..', '..');
const LogLine = z.object({ msg: z.string(), port: z.number().optional() }).loose();
type LogLine = z.infer<typeof LogLine>;

export interface ServiceProcess {
  readonly port: number;
  readonly lines: readonly LogLine[];
  /** Sends SIGTERM and resolves with the exit code. */
  terminate(): Promise<number | null>;
  kill(): void;
}

/**
 * Starts the service and resolves once it logs `ready` (MongoDB and NATS answer), or, with
 * `until: 'listening'`, as soon as it listens.
 */
export async function spawnService(
  name: 'api' | 'gateway' | 'notifier',
  stack: StackEnv,
  env: Record<string, string> = {},
  until: 'ready' | 'listening' = 'ready',
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'services', name, 'dist', 'main.js')], {
    env: { ...process.env, ...stack.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let listening: number | undefined;
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const text of complete) {
        const parsed = LogLine.safeParse(JSON.parse(text));
        if (!parsed.success) continue;
        lines.push(parsed.data);
        if (parsed.data.port !== undefined && parsed.data.msg.endsWith('listening')) listening = parsed.data.port;
        const wanted = until === 'ready' ? parsed.data.msg === 'ready' : parsed.data.msg.endsWith('listening');
        if (wanted && listening !== undefined) resolve(listening);
      }
    });
    void exited.then((code) => reject(new Error(`${name} exited with ${code} before it was ${until}: ${stderr}`)));
  });
  return {
    port,
    lines,
    async terminate() {
      child.kill('SIGTERM');
      return exited;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

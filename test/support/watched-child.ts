/**
 * A child process seen from a test: when it ended, whether it still runs, and the last lines it
 * wrote, so that a failure message can show why a service or server went away.
 */
import type { ChildProcess } from 'node:child_process';

export interface WatchedChild {
  /** Undefined only when the process could not be started at all. */
  readonly pid: number | undefined;
  /** Resolves with the exit code (null when a signal ended it) once the process and its pipes closed. */
  readonly exited: Promise<number | null>;
  alive(): boolean;
  /** Sends a signal (SIGSTOP, SIGCONT, …); does nothing once the process has exited. */
  signal(signal: NodeJS.Signals): void;
  /** The last lines of stdout and stderr, and how the process ended. */
  output(): string;
}

/**
 * Watches `child`, whose stdout and stderr must be pipes. `onStdoutLine` sees every complete
 * stdout line; only the last `keep` lines of both streams are kept.
 */
export function watchChild(child: ChildProcess, onStdoutLine: (line: string) => void = () => undefined, keep = 40): WatchedChild {
  const kept: string[] = [];
  const remember = (line: string): void => {
    kept.push(line);
    if (kept.length > keep) kept.shift();
  };
  const splitLines = (prefix: string, onLine: (line: string) => void): ((chunk: Buffer) => void) => {
    let partial = '';
    return (chunk) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        remember(`${prefix}${line}`);
        onLine(line);
      }
    };
  };
  child.stdout?.on('data', splitLines('', onStdoutLine));
  child.stderr?.on('data', splitLines('stderr: ', () => undefined));

  let ended = false;
  const exited = new Promise<number | null>((resolve) => {
    // 'close', not 'exit': by then every line the process wrote has been read.
    child.once('close', (code, signal) => {
      ended = true;
      remember(`[exited: ${signal ?? `code ${code ?? 'unknown'}`}]`);
      resolve(code);
    });
    // A process that could not be spawned emits 'error' and never 'close'; a failed kill() of a
    // live one emits 'error' too, and is no reason to think it ended.
    child.on('error', (error) => {
      if (child.pid !== undefined) return;
      ended = true;
      remember(`[could not start: ${error.message}]`);
      resolve(null);
    });
  });

  const alive = (): boolean => !ended && child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid,
    exited,
    alive,
    signal: (signal) => {
      if (alive()) child.kill(signal);
    },
    output: () => kept.join('\n'),
  };
}

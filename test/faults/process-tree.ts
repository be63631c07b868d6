/**
 * Which processes descend from one, read from /proc (Linux), so that a test can tell that a
 * topology left nothing behind, nginx's workers included.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** R, S, T (stopped), Z (zombie), … */
  readonly state: string;
}

/** Fields of /proc/<pid>/stat after the command name, which is in parentheses and may hold spaces. */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    // The process ended between listing /proc and reading it. (Not `instanceof Error`: Node's
    // errors come from another realm than jest's sandbox.)
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (state === undefined || ppid === undefined) return undefined;
  return { pid, ppid: Number(ppid), state };
}

function allProcesses(): ProcStat[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readStat(Number(entry)))
    .filter((stat) => stat !== undefined);
}

/** Pids of every living descendant of `pid` (children, their children, …). */
export function descendantsOf(pid: number): number[] {
  const processes = allProcesses().filter((stat) => stat.state !== 'Z');
  const found: number[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const children = processes.filter((stat) => parents.has(stat.ppid)).map((stat) => stat.pid);
    found.push(...children);
    parents = new Set(children);
  }
  return found;
}

/** Whether `pid` still runs (a zombie, dead but not yet reaped, does not). */
export function processAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/**
 * The resident memory of another process, read from /proc the way `ps` and the kernel see it.
 *
 * Right after a burst of connection set-ups V8 still holds their garbage, a young generation
 * grown to its maximum and fragmented old-space pages: 19,000 connections read 12–27 KiB each
 * from one run to the next, depending on when the last full collection happened. An idle process
 * gets rid of that by itself when V8's memory reducer runs, seen 20–40 s into idleness. Rather
 * than wait for it, the measured process collects on request (SIGUSR2), a few times until its RSS
 * stops falling: the figure an idle process settles at, the same from one run to the next.
 */
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const SAMPLE_MS = 250;
/** Time for the sweeper to finish and free pages to be unmapped after a collection. */
const AFTER_COLLECTION_MS = 500;
const MAX_COLLECTIONS = 8;
/** A collection that frees less than this fraction of the RSS counts as no change. */
const STEADY = 0.01;

/**
 * NODE_OPTIONS for a process whose memory is read: SIGUSR2 makes it run two full collections.
 * (Not the `last-resort` flavour of gc(): it left twice the live heap in place in this process.)
 * Only double quotes and spaces are special in NODE_OPTIONS, so the data: URL has neither.
 */
export const COLLECT_ON_SIGUSR2 = "--expose-gc --import=data:text/javascript,process.on('SIGUSR2',()=>{gc();gc()})";

/** VmRSS of `pid` in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`/proc/${pid}/status has no VmRSS`);
  return Number(kib) * 1024;
}

/**
 * The RSS once the process is idle: sampled every 250 ms until it has not moved by more than
 * `tolerance` (a fraction) for `idleMs`, or `maxMs` have passed; the last sample.
 */
export async function settledRss(pid: number, idleMs = 2_000, maxMs = 10_000, tolerance = 0.005): Promise<number> {
  const window = Math.ceil(idleMs / SAMPLE_MS) + 1;
  const samples: number[] = [];
  const deadline = Date.now() + maxMs;
  for (;;) {
    samples.push(rssBytes(pid));
    const recent = samples.slice(-window);
    const last = recent[recent.length - 1] ?? 0;
    const steady = recent.length === window && Math.max(...recent) - Math.min(...recent) <= last * tolerance;
    if (steady || Date.now() >= deadline) return last;
    await sleep(SAMPLE_MS);
  }
}

/** The RSS of a process started with COLLECT_ON_SIGUSR2 once collections no longer lower it. */
export async function collectedRss(pid: number): Promise<number> {
  let previous = rssBytes(pid);
  let unchanged = 0;
  for (let round = 0; round < MAX_COLLECTIONS && unchanged < 2; round += 1) {
    process.kill(pid, 'SIGUSR2');
    await sleep(AFTER_COLLECTION_MS);
    if (!existsSync(`/proc/${pid}`)) throw new Error(`process ${pid} ended on SIGUSR2: was it started with COLLECT_ON_SIGUSR2?`);
    const now = rssBytes(pid);
    unchanged = previous - now < previous * STEADY ? unchanged + 1 : 0;
    previous = now;
  }
  return previous;
}

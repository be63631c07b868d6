/**
 * Emits at a steady rate for a while: every tick (5 ms) it emits as many as the rate says are due
 * by then, so a slow tick is caught up on the next one instead of lowering the rate.
 */
import { setTimeout as sleep } from 'node:timers/promises';

const TICK_MS = 5;

/** Calls `emit(i)` for i = 0, 1, … at `perSecond` for `durationMs`; resolves with how many were emitted. */
export async function pace(perSecond: number, durationMs: number, emit: (i: number) => void): Promise<number> {
  const start = performance.now();
  let emitted = 0;
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= durationMs) return emitted;
    const due = Math.floor((elapsed / 1000) * perSecond);
    while (emitted < due) emit(emitted++);
    await sleep(TICK_MS);
  }
}

/**
 * How long the fuzz suites run. `npm test` runs a fixed seed and a few runs, so that CI is
 * repeatable and quick; `npm run fuzz` sets `FUZZ_SEED=random` and `FUZZ_RUNS` (many). The seed
 * is printed, so that a failure found in a long run can be replayed with `FUZZ_SEED=<seed>`.
 */
import { stdout } from 'node:process';
import fc from 'fast-check';

/** The seed `npm test` runs with: a failure in CI is the same failure on a laptop. */
const CI_SEED = 20_240_601;

export interface FuzzSettings {
  readonly seed: number;
  readonly numRuns: number;
}

function integerFrom(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`${name} must be an integer, got ${value}`);
  return parsed;
}

/** `defaultRuns`: what the suite runs in `npm test`; `FUZZ_RUNS` replaces it. */
export function fuzzSettings(suite: string, defaultRuns: number, env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const seed = env['FUZZ_SEED'] === 'random' ? Math.floor(Math.random() * 2 ** 31) : (integerFrom(env['FUZZ_SEED'], 'FUZZ_SEED') ?? CI_SEED);
  const numRuns = integerFrom(env['FUZZ_RUNS'], 'FUZZ_RUNS') ?? defaultRuns;
  // Straight to stdout: jest's console would add a stack trace to every line.
  stdout.write(`fuzz ${suite}: seed ${seed}, ${numRuns} runs (replay with FUZZ_SEED=${seed} FUZZ_RUNS=${numRuns})\n`);
  return { seed, numRuns };
}

/** How long shrinking a failure may take: against real servers each step is a few requests. */
const SHRINK_MS = 60_000;

/** What a property may take in all: its runs at `perRunMs` each (a generous bound), then shrinking. */
const budgetMs = (settings: FuzzSettings, perRunMs: number): number => settings.numRuns * perRunMs + SHRINK_MS;

/**
 * fast-check's parameters for one property. Shrinking stays on (a small failing input is the
 * report) but the whole property stops at its budget, reporting the smallest failure found by then
 * (or failing, when it had not finished its runs).
 */
export function propertyParameters<T>(settings: FuzzSettings, perRunMs: number): fc.Parameters<T> {
  // The plugin works for any property; its declared type is of `unknown` values only.
  const timeLimit = fc.interruptAfterTimeLimit(budgetMs(settings, perRunMs), { failOnInterrupt: true }) as fc.Plugin<T>;
  return { seed: settings.seed, numRuns: settings.numRuns, plugins: [timeLimit] };
}

/** The jest timeout of a test that runs one such property, after its own set-up. */
export const testTimeoutMs = (settings: FuzzSettings, perRunMs: number): number => budgetMs(settings, perRunMs) + 30_000;

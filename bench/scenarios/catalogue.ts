/** Every benchmark scenario by name, in the order `npm run bench` runs them. */
import type { BenchOptions } from '../lib/options';
import type { Results } from '../lib/results';

export type Scenario = (options: BenchOptions) => Promise<Partial<Results>>;

export const SCENARIOS = {
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;

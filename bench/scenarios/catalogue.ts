/** Every benchmark scenario by name, in the order `npm run bench` runs them. */
import type { BenchOptions } from '../lib/options';
import type { Results } from '../lib/results';
import { connections } from './connections';
import { e2e } from './e2e';
import { fanout } from './fanout';
import { history } from './history';
import { hotTalk } from './hot-talk';
import { presence } from './presence';
import { rest } from './rest';
import { typing } from './typing';
import { unread } from './unread';

export type Scenario = (options: BenchOptions) => Promise<Partial<Results>>;

export const SCENARIO_NAMES = ['fanout', 'connections', 'rest', 'hot-talk', 'typing', 'presence', 'e2e', 'history', 'unread'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const SCENARIOS: Partial<Record<ScenarioName, Scenario>> = {
  fanout,
  connections,
  rest,
  'hot-talk': hotTalk,
  typing,
  presence,
  e2e,
  history,
  unread,
};

/**
 * `npm run bench [-- --quick] [-- --only fanout,rest]`: runs the scenarios of issue 5 one after
 * another, each against the real services as separate processes with the load in a process of
 * its own, prints a markdown table and writes bench/results/latest.json (`"quick": true` after
 * --quick, which runs smaller counts).
 * Benchmarks never run as part of `npm test`.
 */
import { parseArgs } from 'node:util';
import { writeResults, type Results } from './lib/results';
import type { BenchOptions } from './lib/options';
import { ensureServers } from './lib/servers';
import { reportTable } from './lib/table';
import { SCENARIO_NAMES, SCENARIOS } from './scenarios/catalogue';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const names = SCENARIO_NAMES;
  const wanted = values.only === undefined ? [...names] : values.only.split(',').map((name) => name.trim());
  const unknown = wanted.filter((name) => !names.some((known) => known === name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; the scenarios are ${names.join(', ')}`);

  const options: BenchOptions = { quick: values.quick, servers: ensureServers() };
  const fresh: { -readonly [K in keyof Results]?: Results[K] } = { quick: options.quick };
  const started = Date.now();
  for (const name of names.filter((candidate) => wanted.includes(candidate))) {
    const scenario = SCENARIOS[name];
    if (scenario === undefined) {
      process.stdout.write(`\n== ${name}: not built yet, skipped\n`);
      continue;
    }
    process.stdout.write(`\n== ${name}${options.quick ? ' (quick)' : ''}\n`);
    const scenarioStarted = Date.now();
    Object.assign(fresh, await scenario(options));
    process.stdout.write(`   ${name} took ${Math.round((Date.now() - scenarioStarted) / 1000)} s\n`);
  }
  const written = writeResults('latest.json', { quick: options.quick, ...fresh });
  process.stdout.write(`\n${reportTable(written)}\n\nall scenarios took ${Math.round((Date.now() - started) / 1000)} s\n`);
}

// Exiting runs the topologies' exit hooks, which kill what a scenario started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(1));

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

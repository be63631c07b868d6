/** The fault suite's report: a table on stdout and bench/results/faults.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseReport } from './case-checker';

const RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'faults.json');

const COLUMNS = ['name', 'lost', 'duplicated', 'reordered', 'system_missing', 'system_doubled', 'events', 'deliveries', 'acknowledged_sends', 'repeated_requests'] as const;

export function reportTable(cases: readonly CaseReport[]): string {
  const rows = cases.map((report) => COLUMNS.map((column) => String(report[column])));
  return [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

export function writeReport(cases: readonly CaseReport[]): string {
  mkdirSync(join(RESULTS, '..'), { recursive: true });
  const when = new Date().toISOString();
  writeFileSync(RESULTS, `${JSON.stringify({ when, cases: cases.map(({ problems: _problems, ...counts }) => counts) }, null, 2)}\n`);
  return RESULTS;
}

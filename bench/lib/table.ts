/** The markdown table of a results file, one row per figure, target beside it. */

interface Row {
  readonly scenario: string;
  readonly figure: string;
  readonly value: unknown;
  readonly target: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const get = (results: Record<string, unknown>, scenario: string, key: string): unknown => {
  const section = results[scenario];
  return isRecord(section) ? section[key] : undefined;
};

const ROWS: readonly Omit<Row, 'value'>[] = [
  { scenario: 'fanout', figure: 'clients', target: '' },
  { scenario: 'fanout', figure: 'deliveries_per_s', target: '' },
  { scenario: 'fanout', figure: 'baseline_ws_per_s', target: '' },
  { scenario: 'fanout', figure: 'ratio', target: '≥ 0.8' },
  { scenario: 'fanout', figure: 'p50_ms_at_10k', target: '≤ 2' },
  { scenario: 'fanout', figure: 'p99_ms_at_10k', target: '≤ 10' },
  { scenario: 'fanout', figure: 'lost', target: '0' },
  { scenario: 'fanout', figure: 'duplicated', target: '0' },
  { scenario: 'fanout', figure: 'reordered', target: '0' },
  { scenario: 'connections', figure: 'count', target: '19,000' },
  { scenario: 'connections', figure: 'kib_per_conn', target: '≤ 16' },
  { scenario: 'connections', figure: 'baseline_ws_kib_per_conn', target: '' },
  { scenario: 'rest', figure: 'posts_per_s', target: '' },
  { scenario: 'rest', figure: 'raw_db_writes_per_s', target: '' },
  { scenario: 'rest', figure: 'ratio', target: '≥ 0.5' },
  { scenario: 'rest', figure: 'raw_insert_per_s', target: '' },
  { scenario: 'rest', figure: 'ratio_to_insert', target: '' },
  { scenario: 'rest', figure: 'p50_ms', target: '' },
  { scenario: 'rest', figure: 'p99_ms', target: '' },
  { scenario: 'rest', figure: 'non_2xx', target: '0' },
  { scenario: 'rest', figure: 'database', target: '' },
  { scenario: 'e2e', figure: 'rate_per_s', target: '' },
  { scenario: 'e2e', figure: 'p50_ms', target: '' },
  { scenario: 'e2e', figure: 'p99_ms', target: '≤ 50 (MongoDB)' },
  { scenario: 'e2e', figure: 'database', target: '' },
];

export function reportTable(results: Record<string, unknown>): string {
  const rows = ROWS.map((row) => ({ ...row, value: get(results, row.scenario, row.figure) })).filter((row) => row.value !== undefined);
  return [
    `Talk benchmarks, ${String(results['machine'])}, ${String(results['when'])}${results['quick'] === true ? ' (quick)' : ''}`,
    '',
    '| scenario | figure | value | target |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.scenario} | ${row.figure} | ${String(row.value)} | ${row.target} |`),
  ].join('\n');
}

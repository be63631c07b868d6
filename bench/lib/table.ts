/** The markdown table of a results file, one row per figure, target beside it. */
import { z } from 'zod';

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
  { scenario: 'hot_talk', figure: 'posts_per_s', target: '' },
  { scenario: 'hot_talk', figure: 'spread_posts_per_s', target: '' },
  { scenario: 'hot_talk', figure: 'ratio', target: '≥ 0.5' },
  { scenario: 'hot_talk', figure: 'p50_ms', target: '' },
  { scenario: 'hot_talk', figure: 'p99_ms', target: '' },
  { scenario: 'hot_talk', figure: 'non_2xx', target: '0' },
  { scenario: 'hot_talk', figure: 'gaps', target: '0' },
  { scenario: 'hot_talk', figure: 'missing', target: '0' },
  { scenario: 'hot_talk', figure: 'database', target: '' },
  { scenario: 'typing', figure: 'clients', target: '1,000' },
  { scenario: 'typing', figure: 'typing_delivered_per_s', target: '' },
  { scenario: 'typing', figure: 'typing_due_per_s', target: '' },
  { scenario: 'typing', figure: 'p50_ms_at_10k', target: '' },
  { scenario: 'typing', figure: 'p99_ms_at_10k', target: '≤ 10' },
  { scenario: 'typing', figure: 'p99_ms_at_10k_without_typing', target: '' },
  { scenario: 'typing', figure: 'lost', target: '0' },
  { scenario: 'presence', figure: 'connections', target: '5,000' },
  { scenario: 'presence', figure: 'offline_everywhere_ms', target: '≤ 30,000' },
  { scenario: 'presence', figure: 'offline_first_frame_ms', target: '' },
  { scenario: 'presence', figure: 'presence_frames_per_s', target: '' },
  { scenario: 'presence', figure: 'presence_frames', target: '' },
  { scenario: 'e2e', figure: 'rate_per_s', target: '' },
  { scenario: 'e2e', figure: 'p50_ms', target: '' },
  { scenario: 'e2e', figure: 'p99_ms', target: '≤ 50 (MongoDB)' },
  { scenario: 'e2e', figure: 'database', target: '' },
  { scenario: 'unread', figure: 'talks', target: '500' },
  { scenario: 'unread', figure: 'ratio', target: '≤ 1.5' },
  { scenario: 'unread', figure: 'http_ratio_estimate', target: '' },
  { scenario: 'unread', figure: 'database', target: '' },
];

/** What the history rows show; a section of another shape (an older file) shows none. */
const HistorySection = z.object({
  small_events: z.number(),
  large_events: z.number(),
  requests: z.array(
    z.object({
      name: z.string(),
      small_p50_ms: z.number(),
      small_p99_ms: z.number(),
      large_p50_ms: z.number(),
      large_p99_ms: z.number(),
      ratio: z.number(),
      small_samples: z.number(),
      large_samples: z.number(),
    }),
  ),
  big_talk: z.object({ messages: z.number(), requests: z.array(z.object({ name: z.string(), p50_ms: z.number(), p99_ms: z.number(), samples: z.number() })) }),
  database: z.string(),
});

/** One row per request: its ratio, with the p50, p99 and samples of both sizes beside it. */
function historyRows(results: Record<string, unknown>): Row[] {
  const parsed = HistorySection.safeParse(results['history']);
  if (!parsed.success) return [];
  const history = parsed.data;
  const row = (figure: string, value: unknown, target = ''): Row => ({ scenario: 'history', figure, value, target });
  return [
    row('small_events', history.small_events, '~1,000'),
    row('large_events', history.large_events, '~200,000'),
    ...history.requests.map((request) =>
      row(
        `${request.name} ratio`,
        `${request.ratio} (p50 ${request.small_p50_ms} → ${request.large_p50_ms} ms, p99 ${request.small_p99_ms} → ${request.large_p99_ms} ms, ` +
          `${request.small_samples} → ${request.large_samples} samples)`,
        '≤ 1.5',
      ),
    ),
    row('big_talk messages', history.big_talk.messages),
    ...history.big_talk.requests.map((request) => row(`big_talk ${request.name}`, `p50 ${request.p50_ms} ms, p99 ${request.p99_ms} ms (${request.samples} samples)`)),
    row('database', history.database),
  ];
}

export function reportTable(results: Record<string, unknown>): string {
  const rows = [
    ...ROWS.map((row) => ({ ...row, value: get(results, row.scenario, row.figure) })).filter((row) => row.value !== undefined),
    ...historyRows(results),
  ];
  return [
    `Talk benchmarks, ${String(results['machine'])}, ${String(results['when'])}${results['quick'] === true ? ' (quick)' : ''}`,
    '',
    '| scenario | figure | value | target |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.scenario} | ${row.figure} | ${String(row.value)} | ${row.target} |`),
  ].join('\n');
}

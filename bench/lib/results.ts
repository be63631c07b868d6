/** The shape of bench/results/latest.json (issue 5), and writing it. */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export type Database = 'ferretdb-sqlite' | 'ferretdb-postgresql' | 'mongodb';

export interface FanoutResult {
  readonly clients: number;
  readonly talk_size: number;
  readonly deliveries_per_s: number;
  readonly baseline_ws_per_s: number;
  readonly ratio: number;
  readonly p50_ms_at_10k: number;
  readonly p99_ms_at_10k: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  /** The same with a single talk of 1,000 members (full runs only). */
  readonly talk_of_1000?: {
    readonly clients: number;
    readonly deliveries_per_s: number;
    readonly baseline_ws_per_s: number;
    readonly ratio: number;
    readonly lost: number;
    readonly duplicated: number;
    readonly reordered: number;
  };
  /** Every step of every run, for a closer look. */
  readonly steps?: unknown;
}

export interface ConnectionsResult {
  readonly count: number;
  readonly kib_per_conn: number;
  readonly baseline_ws_kib_per_conn: number;
}

export interface RestResult {
  readonly posts_per_s: number;
  readonly raw_db_writes_per_s: number;
  readonly ratio: number;
  /** One `insertOne` of a message-sized document per post, same writers: the limit of a post. */
  readonly raw_insert_per_s: number;
  readonly ratio_to_insert: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly non_2xx: number;
  readonly database: Database;
}

/** Scenario `hot-talk`: 32 posters in one talk against the same 32 spread over 16 talks of 2. */
export interface HotTalkResult {
  /** Hot phase: every poster in one talk. */
  readonly posts_per_s: number;
  /** Spread phase: the same posters in talks of 2, same APIs, same run. */
  readonly spread_posts_per_s: number;
  /** posts_per_s ÷ spread_posts_per_s. */
  readonly ratio: number;
  /** Of the hot phase's posts answered 2xx. */
  readonly p50_ms: number;
  readonly p99_ms: number;
  /** Both phases, warm-ups included. */
  readonly non_2xx: number;
  /** By HTTP status; `error` for a request without an answer. */
  readonly non_2xx_by_status: Readonly<Record<string, number>>;
  /** In the hot talk's log after the run: seqs without an event, and 2xx posts not in it. */
  readonly gaps: number;
  readonly missing: number;
  readonly database: Database;
}

/** Scenario `typing`: the fan-out clients all typing every 2 s, beside events at 10k deliveries/s. */
export interface TypingResult {
  readonly clients: number;
  readonly talk_size: number;
  readonly typing_sent_per_s: number;
  /** Typing frames the clients received per second, and what the contract's forwarding makes due. */
  readonly typing_delivered_per_s: number;
  readonly typing_due_per_s: number;
  /** Events at 10k deliveries/s with the typing load, and in the same run without it. */
  readonly p50_ms_at_10k: number;
  readonly p99_ms_at_10k: number;
  readonly p50_ms_at_10k_without_typing: number;
  readonly p99_ms_at_10k_without_typing: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
}

/** Scenario `presence`: connections over 2 gateways following 100 agents each; one gateway SIGKILLed. */
export interface PresenceResult {
  readonly connections: number;
  readonly gateways: number;
  readonly follows_per_connection: number;
  readonly agents_on_killed_gateway: number;
  /** From the SIGKILL until every surviving client and the API read each of its agents offline. */
  readonly offline_everywhere_ms: number;
  readonly offline_first_frame_ms: number;
  readonly offline_api_ms: number;
  readonly bound_ms: number;
  /** Presence frames the surviving clients received from the first offline frame to the last, and their rate. */
  readonly presence_frames: number;
  readonly presence_frames_per_s: number;
  readonly burst_ms: number;
}

export interface E2eResult {
  readonly talk_size: number;
  readonly rate_per_s: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly database: Database;
}

/** One request timed on a small and on a large database (scenario `history`). */
export interface HistoryRequestResult {
  readonly name: string;
  readonly small_p50_ms: number;
  readonly small_p99_ms: number;
  readonly large_p50_ms: number;
  readonly large_p99_ms: number;
  /** large p50 ÷ small p50. */
  readonly ratio: number;
  /** Fewer than planned when a request took so long that its time budget ran out. */
  readonly small_samples: number;
  readonly large_samples: number;
}

export interface BigTalkRequestResult {
  readonly name: string;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly samples: number;
}

/** How often each request was sent: at most `samples` after `warmup`, within time budgets. */
export interface HistoryRepeats {
  readonly warmup: number;
  readonly warmup_budget_ms: number;
  readonly samples: number;
  readonly min_samples: number;
  readonly budget_ms: number;
}

export interface HistoryResult {
  /** Events in the database during the small and the large measurement. */
  readonly small_events: number;
  readonly large_events: number;
  readonly requests: readonly HistoryRequestResult[];
  /** One talk that itself holds many messages, timed on the large database. */
  readonly big_talk: {
    readonly messages: number;
    readonly events: number;
    readonly repeats: HistoryRepeats;
    readonly requests: readonly BigTalkRequestResult[];
  };
  readonly database: Database;
  /** Per request and size. */
  readonly repeats: HistoryRepeats;
  readonly large_talks: number;
  readonly large_customers: number;
  /** How many messages the talk under test holds at the start of both measurements. */
  readonly talk_messages: number;
}

/** p50 / p99 of one timed request, and how many samples they are of. */
export interface LatencyFigures {
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly samples: number;
}

/** Scenario `unread`: an agent in many talks with unread messages, listing them. */
export interface UnreadResult {
  readonly talks: number;
  readonly messages: number;
  readonly events: number;
  /** Talks with an unread message or mention, and the agent's sums, as seeded. */
  readonly unread_talks: number;
  readonly unread_messages: number;
  readonly unread_mentions: number;
  readonly page_size: number;
  /** Each page of the whole listing once, count caches empty; one entry per run. */
  readonly cold: readonly { readonly first_page_ms: number; readonly pages_p50_ms: number; readonly pages_max_ms: number; readonly pages: number }[];
  /** `GET /v1.0/talks?page_size=…`, warm caches; first page and a later one, one entry per run. */
  readonly list_first_page: readonly LatencyFigures[];
  readonly list_later_page: readonly LatencyFigures[];
  /** The data layer of one first page in-process, without and with read state, one entry per run. */
  readonly store_plain: readonly LatencyFigures[];
  readonly store_read_state: readonly LatencyFigures[];
  /** store_read_state p50 ÷ store_plain p50 per run (target ≤ 1.5); `ratio` is the first run's. */
  readonly ratio: number;
  readonly ratio_runs: readonly number[];
  /** HTTP p50 ÷ (HTTP p50 − what read state adds in the data layer): the listing's end-to-end ratio, estimated. */
  readonly http_ratio_estimate: number;
  readonly list_unread_only: LatencyFigures;
  readonly me_unread: LatencyFigures;
  /** The first page right after one new message in each of its talks, one sample per round. */
  readonly after_activity: { readonly rounds: number; readonly talks_posted_into: number; readonly p50_ms: number; readonly max_ms: number };
  /** Database commands of one first page. */
  readonly commands: { readonly plain: number; readonly read_state_warm: number; readonly read_state_after_activity: number; readonly by_kind: Readonly<Record<string, Readonly<Record<string, number>>>> };
  readonly database: Database;
}

export interface Results {
  readonly machine: string;
  readonly when: string;
  readonly quick: boolean;
  readonly fanout?: FanoutResult;
  readonly connections?: ConnectionsResult;
  readonly rest?: RestResult;
  readonly e2e?: E2eResult;
  readonly history?: HistoryResult;
  readonly hot_talk?: HotTalkResult;
  readonly typing?: TypingResult;
  readonly unread?: UnreadResult;
  readonly presence?: PresenceResult;
}

export const RESULTS_DIR = join(__dirname, '..', 'results');

export function machine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Writes the scenarios that ran, keeping those of the last run that did not run this time. */
export function writeResults(file: string, fresh: Omit<Results, 'machine' | 'when'>): Record<string, unknown> {
  const path = join(RESULTS_DIR, file);
  const previous: unknown = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  const kept = z.object({ fanout: z.unknown(), connections: z.unknown(), rest: z.unknown(), e2e: z.unknown(), history: z.unknown(), hot_talk: z.unknown(), typing: z.unknown(), unread: z.unknown(), presence: z.unknown() }).partial().loose().parse(previous);
  const results = { ...kept, ...fresh, machine: machine(), when: new Date().toISOString() };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

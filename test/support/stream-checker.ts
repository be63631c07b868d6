/**
 * Compares what a client handed out for one talk with the talk's durable event log, in the
 * categories of Jepsen's queue checker: lost (in the log, never received), duplicated (received
 * more than once), reordered (received after a later seq), plus unexpected (received, not in the log).
 */

export interface StreamReport {
  readonly expected: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  readonly unexpected: number;
}

export function checkStream(logSeqs: readonly number[], receivedSeqs: readonly number[]): StreamReport {
  const inLog = new Set(logSeqs);
  const seen = new Set<number>();
  let duplicated = 0;
  let reordered = 0;
  let unexpected = 0;
  let newest = -Infinity;
  for (const seq of receivedSeqs) {
    if (seen.has(seq)) duplicated += 1;
    else if (seq < newest) reordered += 1;
    if (!inLog.has(seq) && !seen.has(seq)) unexpected += 1;
    seen.add(seq);
    newest = Math.max(newest, seq);
  }
  const lost = logSeqs.filter((seq) => !seen.has(seq)).length;
  return { expected: logSeqs.length, received: receivedSeqs.length, lost, duplicated, reordered, unexpected };
}

/** Adds reports up, for a total over talks and clients. */
export function sumReports(reports: readonly StreamReport[]): StreamReport {
  const total = { expected: 0, received: 0, lost: 0, duplicated: 0, reordered: 0, unexpected: 0 };
  for (const report of reports) {
    for (const key of Object.keys(total) as (keyof StreamReport)[]) total[key] += report[key];
  }
  return total;
}

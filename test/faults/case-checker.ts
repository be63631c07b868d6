/**
 * After a fault case: waits until the system has settled (every participant event has its system
 * message, every observer has caught up with its talk's log), then compares. Per talk and client:
 * lost, duplicated and reordered deliveries against the durable event log (stream-checker.ts),
 * plus acknowledged sends missing from the log, and system messages missing or doubled.
 */
import type { TalkChangeEvent } from '@talk/shared/events';
import { idFromKey } from '@talk/shared/ids';
import { eventually } from '@talk/shared/testing/eventually';
import type { TalkApi } from '@talk/client/talk-api';
import type { SocketRecording } from '../support/socket-recorder';
import { checkStream, sumReports, type StreamReport } from '../support/stream-checker';
import type { LoadResult } from './load';

export interface CheckedTalk {
  readonly talkId: string;
  /** A member that can read the whole log. */
  readonly reader: TalkApi;
}

export interface Observer {
  readonly name: string;
  readonly talkId: string;
  readonly recording: SocketRecording;
}

export interface CaseReport {
  readonly name: string;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  readonly system_missing: number;
  readonly system_doubled: number;
  /** Events in the logs of the case's talks, and deliveries checked against them. */
  readonly events: number;
  readonly deliveries: number;
  /** Sends acknowledged to the load, and HTTP requests repeated after a failure (by the load or the client). */
  readonly acknowledged_sends: number;
  readonly repeated_requests: number;
  /** What went wrong, for the failure message; empty when every count is 0. */
  readonly problems: readonly string[];
}

const SETTLE_TIMEOUT_MS = 45_000;

async function readLog(talk: CheckedTalk): Promise<TalkChangeEvent[]> {
  const events: TalkChangeEvent[] = [];
  for await (const event of talk.reader.eventsAfter(talk.talkId)) events.push(event);
  return events;
}

interface SystemCheck {
  readonly missing: number;
  readonly doubled: number;
}

/** Each participant event has one system message, whose id derives from the event's (services/notifier). */
function checkSystemMessages(log: readonly TalkChangeEvent[]): SystemCheck {
  const expected = new Set(
    log.filter((event) => event.type === 'participant_joined' || event.type === 'participant_left').map((event) => idFromKey('system_message', event.id)),
  );
  const written = new Map<string, number>();
  for (const event of log) {
    if (event.type === 'message_created' && event.data.type === 'system') written.set(event.data.id, (written.get(event.data.id) ?? 0) + 1);
  }
  let doubled = 0;
  for (const [id, count] of written) doubled += expected.has(id) ? count - 1 : count;
  const missing = [...expected].filter((id) => !written.has(id)).length;
  return { missing, doubled };
}

function acknowledgedMissing(log: readonly TalkChangeEvent[], acknowledged: readonly string[]): number {
  const created = new Set(log.flatMap((event) => (event.type === 'message_created' ? [event.data.id] : [])));
  return acknowledged.filter((id) => !created.has(id)).length;
}

export async function checkCase(name: string, talks: readonly CheckedTalk[], observers: readonly Observer[], load: LoadResult): Promise<CaseReport> {
  const problems: string[] = [...load.abandoned.map((line) => `never acknowledged: ${line}`)];
  const logs = new Map<string, TalkChangeEvent[]>();

  // Settled: system messages all written, and every observer through its talk's newest seq.
  try {
    await eventually(
      async () => {
        for (const talk of talks) {
          const log = await readLog(talk);
          logs.set(talk.talkId, log);
          const system = checkSystemMessages(log);
          if (system.missing > 0) throw new Error(`talk ${talk.talkId}: ${system.missing} system messages not written yet`);
        }
        for (const observer of observers) {
          const newest = logs.get(observer.talkId)?.at(-1)?.seq ?? 0;
          const got = observer.recording.seqsOf(observer.talkId).at(-1) ?? 0;
          if (got < newest) throw new Error(`${observer.name} is at seq ${got} of ${newest}`);
        }
      },
      SETTLE_TIMEOUT_MS,
      250,
    );
  } catch (error) {
    problems.push(`not settled within ${SETTLE_TIMEOUT_MS / 1000} s: ${error instanceof Error ? error.message : String(error)}`);
  }

  const streams: StreamReport[] = [];
  let systemMissing = 0;
  let systemDoubled = 0;
  let missingSends = 0;
  for (const talk of talks) {
    const log = logs.get(talk.talkId) ?? (await readLog(talk));
    const system = checkSystemMessages(log);
    systemMissing += system.missing;
    systemDoubled += system.doubled;
    missingSends += acknowledgedMissing(log, load.acknowledged.get(talk.talkId) ?? []);
    for (const observer of observers.filter((candidate) => candidate.talkId === talk.talkId)) {
      const report = checkStream(
        log.map((event) => event.seq),
        observer.recording.seqsOf(talk.talkId),
      );
      streams.push(report);
      if (report.lost + report.duplicated + report.reordered + report.unexpected > 0) problems.push(`${observer.name}: ${JSON.stringify(report)}`);
    }
  }
  if (missingSends > 0) problems.push(`${missingSends} acknowledged sends are not in the log`);
  if (systemMissing + systemDoubled > 0) problems.push(`system messages: ${systemMissing} missing, ${systemDoubled} doubled`);

  const total = sumReports(streams);
  const acknowledged = [...load.acknowledged.values()].reduce((sum, ids) => sum + ids.length, 0);
  return {
    name,
    lost: total.lost + missingSends + load.abandoned.length,
    duplicated: total.duplicated,
    reordered: total.reordered + total.unexpected,
    system_missing: systemMissing,
    system_doubled: systemDoubled,
    events: [...logs.values()].reduce((sum, log) => sum + log.length, 0),
    deliveries: total.received,
    acknowledged_sends: acknowledged,
    repeated_requests: load.retried,
    problems,
  };
}

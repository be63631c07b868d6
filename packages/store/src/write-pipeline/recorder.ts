/**
 * Records changes: decides each against the talk's log and appends its events (event-log.ts, the
 * source of truth), applies them to the projections, then publishes them. Whatever does not happen
 * (a failed publish, or a process that dies after appending) stays pending on the event for the
 * outbox relay; the change itself stands.
 */
import type { EventPublisher } from '@talk/shared/bus';
import type { TalkChangeEvent } from '@talk/shared/events';
import type { Logger } from '@talk/shared/logger';
import type { Decide, Decided } from '@talk/decisions/decision';
import type { AppendResult, EventDraft } from '@talk/decisions/event-draft';
import type { EventLog } from './event-log';
import type { ProgressNotes } from './progress-notes';
import type { Projector } from './projector';

export interface ChangeRecorder {
  /** Decides a change of the talk and records, projects and publishes its events. */
  decide<R>(talkId: string, decide: Decide<R>, log: Logger, requestId?: string): Promise<Decided<R>>;
  /**
   * Records one event whatever the talk's state, for changes that need no decision (a system
   * message narrates what was decided already).
   */
  record(draft: EventDraft, log: Logger, requestId?: string): Promise<AppendResult>;
}

export interface ChangeRecorderDeps {
  readonly events: EventLog;
  readonly projector: Projector;
  readonly publisher: EventPublisher;
  readonly progress: ProgressNotes;
}

export function createChangeRecorder({ events, projector, publisher, progress }: ChangeRecorderDeps): ChangeRecorder {
  async function publishAll(recorded: readonly TalkChangeEvent[], log: Logger, requestId: string | undefined): Promise<void> {
    for (const event of recorded) {
      let published = false;
      try {
        await publisher.publish(event, requestId);
        published = true;
      } catch (error) {
        log.warn({ err: error, eventId: event.id, talkId: event.talk_id }, 'event recorded but not yet published');
      }
      progress.note(event.id, { applied: true, published });
    }
  }

  async function decide<R>(talkId: string, decision: Decide<R>, log: Logger, requestId?: string): Promise<Decided<R>> {
    // The projections are written beside the log's own last step: a message is readable by the
    // time its event is published, and a client that fetches on an event finds it.
    const decided = await events.decide(talkId, decision, (event) => projector.apply(event));
    await publishAll(decided.recorded, log, requestId);
    return decided;
  }

  return {
    decide,
    async record(draft, log, requestId) {
      const result = await events.append(draft, (event) => projector.apply(event));
      if (result.kind === 'recorded') await publishAll([result.event], log, requestId);
      return result;
    },
  };
}

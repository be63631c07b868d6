/**
 * Records a change: appends its event to the talk's log (the source of truth), applies it to the
 * projections, then publishes it. Whatever does not happen (a failed publish, or a process that
 * dies after appending) stays marked on the event for the outbox relay; the change itself stands.
 */
import type { EventPublisher } from '@talk/shared/bus';
import type { Logger } from '@talk/shared/logger';
import type { AppendResult, EventDraft, EventLog } from './event-log';
import type { ProgressNotes } from './progress-notes';
import type { Projector } from './projector';

export interface ChangeRecorder {
  record(draft: EventDraft, log: Logger, requestId?: string): Promise<AppendResult>;
}

export interface ChangeRecorderDeps {
  readonly events: EventLog;
  readonly projector: Projector;
  readonly publisher: EventPublisher;
  readonly progress: ProgressNotes;
}

export function createChangeRecorder({ events, projector, publisher, progress }: ChangeRecorderDeps): ChangeRecorder {
  return {
    async record(draft, log, requestId) {
      // The projection goes out beside the log's own last step: a message is readable by the
      // time its event is published, and a client that fetches on an event finds it.
      const result = await events.append(draft, (event) => projector.apply(event));
      if (result.kind === 'already_recorded') return result;
      let published = false;
      try {
        await publisher.publish(result.event, requestId);
        published = true;
      } catch (error) {
        log.warn({ err: error, eventId: result.event.id, talkId: result.event.talk_id }, 'event recorded but not yet published');
      }
      progress.note(result.event.id, { applied: true, published });
      return result;
    },
  };
}

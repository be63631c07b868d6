/**
 * Records a change: appends its event to the talk's log (the source of truth), applies it to the
 * projections, then publishes it. Whatever does not happen (a failed publish, or a process that
 * dies after appending) stays marked on the event for the outbox relay; the change itself stands.
 */
import type { EventPublisher } from '@talk/shared/bus';
import type { Logger } from '@talk/shared/logger';
import type { AppendResult, EventDraft, EventLog } from './event-log';
import type { Projector } from './projector';

export interface ChangeRecorder {
  record(draft: EventDraft, log: Logger, requestId?: string): Promise<AppendResult>;
}

export function createChangeRecorder(eventLog: EventLog, projector: Projector, publisher: EventPublisher): ChangeRecorder {
  return {
    async record(draft, log, requestId) {
      const result = await eventLog.append(draft);
      await projector.apply(result.event);
      if (result.kind === 'already_recorded') return result;
      let published = false;
      try {
        await publisher.publish(result.event, requestId);
        published = true;
      } catch (error) {
        log.warn({ err: error, eventId: result.event.id, talkId: result.event.talk_id }, 'event recorded but not yet published');
      }
      await eventLog.markProgress(result.event.id, { applied: true, published });
      return result;
    },
  };
}

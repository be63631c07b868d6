/**
 * Notes how far recorded events got (applied, published) off the request path. A request that
 * recorded, projected and published its event answers without waiting for the note: a note that
 * is never written (the process dies first, or the write fails) only leaves the event to the
 * outbox relay, which applies and publishes it again, and both are idempotent (projections write
 * absolute values; JetStream and the gateways drop copies).
 *
 * One batch is written at a time; notes taken meanwhile form the next one, so an idle writer
 * writes each note at once and a busy one never has more than a batch of notes in flight.
 */
import type { Logger } from '@talk/shared/logger';
import type { EventLog, EventProgress, ProgressNote } from './event-log';

/** Notes per command: a bound on what one failed write leaves to the relay. */
const MAX_NOTES_PER_WRITE = 500;

export interface ProgressNotes {
  note(eventId: string, progress: EventProgress): void;
  /** Writes what was noted and takes no more notes: the relay finishes any event noted later. */
  close(): Promise<void>;
}

export function createProgressNotes(events: Pick<EventLog, 'markProgress'>, log: Logger): ProgressNotes {
  let queue: ProgressNote[] = [];
  let writing: Promise<void> | undefined;
  let closed = false;

  async function writeAll(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_NOTES_PER_WRITE);
      queue = queue.slice(batch.length);
      try {
        await events.markProgress(batch);
      } catch (error) {
        log.warn({ err: error, events: batch.length }, 'could not note the progress of recorded events; the outbox relay will finish them');
      }
    }
    writing = undefined;
  }

  return {
    note(eventId, progress) {
      if (closed) {
        log.debug({ eventId }, 'progress noted after close; left to the outbox relay');
        return;
      }
      queue.push({ eventId, ...progress });
      writing ??= writeAll();
    },
    async close() {
      closed = true;
      await writing;
    },
  };
}

/**
 * The outbox relay: finishes events that were recorded but not applied to the projections (the
 * process died right after appending) or not acknowledged by the bus (NATS was down, or the
 * process died before publishing). Every writer runs one, also right after start-up; the one that
 * holds the lease of the moment (relay-lease.ts) does the work. Two relays, or a relay and a late
 * inline publish, may still publish an event twice: JetStream drops the copy by
 * its `Nats-Msg-Id` (the event id) and gateways drop it by `(talk_id, seq)`, so at-least-once
 * here is exactly-once for clients.
 *
 * An event that NATS refuses for what it is (larger than its `max_payload`, say) is parked: taken
 * off the pending list with the reason, logged as an error and counted, so that one poison event
 * never holds back the others. Any other failure (NATS away) ends the pass; the next retries.
 */
import { EventRejectedError, type EventPublisher } from '@talk/shared/bus';
import type { TalkChangeEvent } from '@talk/shared/events';
import type { Logger } from '@talk/shared/logger';
import type { Clock } from '@talk/shared/time';
import type { EventLog } from './event-log';
import type { Projector } from './projector';
import type { RelayLease } from './relay-lease';

export interface OutboxRelayOptions {
  /** How often to look for unpublished events. */
  readonly intervalMs: number;
  /** Events younger than this are left to the inline publish of the request that recorded them. */
  readonly graceMs: number;
  readonly batch: number;
}

export interface OutboxRelayDeps {
  readonly events: EventLog;
  readonly projector: Projector;
  readonly publisher: EventPublisher;
  readonly lease: RelayLease;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface OutboxRelay {
  /** One pass: finishes what is pending when this relay holds the lease; resolves with how many events it finished. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

export function startOutboxRelay(deps: OutboxRelayDeps, options: OutboxRelayOptions): OutboxRelay {
  const { events, projector, publisher, lease, clock, log } = deps;
  let pass: Promise<number> = Promise.resolve(0);
  let stopped = false;
  /** Events this relay parked since it started: every park's log line carries the total. */
  let parked = 0;

  async function park(event: TalkChangeEvent, error: EventRejectedError): Promise<void> {
    await events.park(event.id, error.message, clock());
    parked += 1;
    log.error(
      { err: error, eventId: event.id, talkId: event.talk_id, seq: event.seq, type: event.type, parkedTotal: parked },
      'outbox relay parked an event the bus refused; it stays in the log, and clients get it through replay and gap fill',
    );
  }

  async function publishPending(): Promise<number> {
    if (!(await lease.held())) return 0;
    let finished = 0;
    for (;;) {
      const pending = await events.listPending(new Date(clock().getTime() - options.graceMs), options.batch);
      for (const { event, applied, published } of pending) {
        if (!applied) await projector.apply(event);
        try {
          if (!published) await publisher.publish(event);
        } catch (error) {
          if (!(error instanceof EventRejectedError)) throw error;
          await park(event, error);
          continue;
        }
        await events.markProgress([{ eventId: event.id, applied: true, published: true }]);
        finished += 1;
      }
      if (pending.length < options.batch || stopped) break;
    }
    if (finished > 0) log.info({ finished }, 'outbox relay finished pending events');
    return finished;
  }

  function runOnce(): Promise<number> {
    pass = pass.then(publishPending, publishPending);
    return pass;
  }

  const runLogged = (): void => {
    runOnce().catch((error: unknown) => log.warn({ err: error }, 'outbox relay pass failed; retrying on the next one'));
  };
  runLogged(); // at start-up: what a previous process left unfinished
  const timer = setInterval(runLogged, options.intervalMs);

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      // A failed pass was already reported to whoever ran it; stopping only waits for it to end.
      await pass.catch(() => 0);
    },
  };
}

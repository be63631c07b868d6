/**
 * The outbox relay: finishes events that were recorded but not applied to the projections (the
 * process died right after appending) or not acknowledged by the bus (NATS was down, or the
 * process died before publishing). Every writer runs one, also right after start-up; the one that
 * holds the lease of the moment (relay-lease.ts) does the work. Two relays, or a relay and a late
 * inline publish, may still publish an event twice: JetStream drops the copy by
 * its `Nats-Msg-Id` (the event id) and gateways drop it by `(talk_id, seq)`, so at-least-once
 * here is exactly-once for clients.
 */
import type { EventPublisher } from '@talk/shared/bus';
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

  async function publishPending(): Promise<number> {
    if (!(await lease.held())) return 0;
    let published = 0;
    for (;;) {
      const pending = await events.listPending(new Date(clock().getTime() - options.graceMs), options.batch);
      for (const { event, applied, published: wasPublished } of pending) {
        if (!applied) await projector.apply(event);
        if (!wasPublished) await publisher.publish(event);
        await events.markProgress([{ eventId: event.id, applied: true, published: true }]);
        published += 1;
      }
      if (pending.length < options.batch || stopped) break;
    }
    if (published > 0) log.info({ finished: published }, 'outbox relay finished pending events');
    return published;
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

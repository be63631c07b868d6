/**
 * The outbox relay: publishes events that were recorded but not acknowledged by the bus (NATS was
 * down, or the process died between recording and publishing). Every writer runs one. Two relays,
 * or a relay and a late inline publish, may publish an event twice: JetStream drops the copy by
 * its `Nats-Msg-Id` (the event id) and gateways drop it by `(talk_id, seq)`, so at-least-once
 * here is exactly-once for clients.
 */
import type { EventPublisher } from '@talk/shared/bus';
import type { Logger } from '@talk/shared/logger';
import type { Clock } from '@talk/shared/time';
import type { EventLog } from './event-log';

export interface OutboxRelayOptions {
  /** How often to look for unpublished events. */
  readonly intervalMs: number;
  /** Events younger than this are left to the inline publish of the request that recorded them. */
  readonly graceMs: number;
  readonly batch: number;
}

export interface OutboxRelay {
  /** One pass: publishes what is pending; resolves with how many events it published. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

export function startOutboxRelay(
  events: EventLog,
  publisher: EventPublisher,
  clock: Clock,
  log: Logger,
  options: OutboxRelayOptions,
): OutboxRelay {
  let pass: Promise<number> = Promise.resolve(0);
  let stopped = false;

  async function publishPending(): Promise<number> {
    let published = 0;
    for (;;) {
      const pending = await events.listUnpublished(new Date(clock().getTime() - options.graceMs), options.batch);
      for (const event of pending) {
        await publisher.publish(event);
        await events.markPublished(event.id);
        published += 1;
      }
      if (pending.length < options.batch || stopped) break;
    }
    if (published > 0) log.info({ published }, 'outbox relay published pending events');
    return published;
  }

  function runOnce(): Promise<number> {
    pass = pass.then(publishPending, publishPending);
    return pass;
  }

  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => log.warn({ err: error }, 'outbox relay pass failed; retrying on the next one'));
  }, options.intervalMs);

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

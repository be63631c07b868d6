/** Watches a talk's events on NATS directly, as a gateway would, to see what reached the bus. */
import { connect } from '@nats-io/transport-node';
import { parseEventJson, type TalkChangeEvent } from '@talk/shared/events';
import { createSubjects } from '@talk/shared/subjects';
import { testServersFromEnv } from '@talk/shared/testing/isolation';

export interface BusObserver {
  /** Every event seen so far, in arrival order. */
  readonly events: readonly TalkChangeEvent[];
  close(): Promise<void>;
}

/** `natsUrl`: the shared test server unless given (the fault topology runs its own). */
export async function observeTalkOnBus(
  subjectPrefix: string,
  talkId: string,
  natsUrl: string = testServersFromEnv().natsUrl,
): Promise<BusObserver> {
  const nc = await connect({ servers: natsUrl });
  const events: TalkChangeEvent[] = [];
  nc.subscribe(createSubjects(subjectPrefix).talkEvents(talkId), {
    callback: (_error, msg) => {
      const parsed = parseEventJson(msg.string());
      if (parsed.kind === 'event') events.push(parsed.event);
    },
  });
  await nc.flush();
  return { events, close: () => nc.drain() };
}

/**
 * Read notices: an API replica that moved a read marker tells every gateway, which sends the
 * `read` frames (docs/websocket.md). Core NATS on `read.<talk_id>.<agent_id>` (subjects.ts): not
 * stored, not replayed, a lost one is lost, and the next marker move or a REST read says the same.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { ReadState } from './schemas';
import type { Subjects } from './subjects';

/** What a read notice carries: the reader's state after the move. Parsed by the gateways. */
export const ReadNotice = ReadState;

export interface ReadNoticePublisher {
  /** Hands the notice to the NATS client, which sends it soon after; throws if the connection is closed. */
  publish(state: ReadState): void;
}

export function createReadNoticePublisher(nc: NatsConnection, subjects: Subjects): ReadNoticePublisher {
  return {
    publish(state) {
      nc.publish(subjects.read(state.talk_id, state.agent_id), JSON.stringify(state));
    },
  };
}

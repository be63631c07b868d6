/** Readers' markers and unread counts in contract shapes: what the API's use cases read (services/api/src/domain/ports.ts). */
import type { ReadState } from '@talk/shared/schemas';
import type { CountedReadState, Reader, ReadStates } from '../read-state/read-states';

export interface ReadStateDirectory {
  stateOf(reader: Reader): Promise<ReadState>;
  markerOf(reader: Reader): Promise<number>;
  markRead(reader: Reader, seq: number, at: Date): Promise<{ readonly state: ReadState; readonly moved: boolean }>;
}

const toReadState = (reader: Reader, { lastReadSeq, counts }: CountedReadState): ReadState => ({
  talk_id: reader.talkId,
  agent_id: reader.agentId,
  last_read_seq: lastReadSeq,
  unread_count: counts.unread,
  unread_mention_count: counts.mentions,
});

export function createReadStateDirectory(readStates: ReadStates): ReadStateDirectory {
  return {
    stateOf: async (reader) => toReadState(reader, await readStates.stateOf(reader)),
    markerOf: (reader) => readStates.markerOf(reader),
    async markRead(reader, seq, at) {
      const { state, moved } = await readStates.markRead(reader, seq, at);
      return { state: toReadState(reader, state), moved };
    },
  };
}

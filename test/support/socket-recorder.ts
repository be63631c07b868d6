/** Records what a reference-client socket hands out, for tests that compare it with the event log. */
import type { TalkChangeEvent } from '@talk/shared/events';
import type { SessionError } from '@talk/client/session';
import type { TalkSocket } from '@talk/client/talk-socket';

export interface SocketRecording {
  readonly events: readonly TalkChangeEvent[];
  readonly errors: readonly SessionError[];
  /** The seqs handed out for one talk, in the order they came. */
  seqsOf(talkId: string): number[];
}

export function record(socket: TalkSocket): SocketRecording {
  const events: TalkChangeEvent[] = [];
  const errors: SessionError[] = [];
  socket.onEvent((event) => events.push(event));
  socket.onError((error) => errors.push(error));
  return { events, errors, seqsOf: (talkId) => events.filter((event) => event.talk_id === talkId).map((event) => event.seq) };
}

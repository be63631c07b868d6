/**
 * Read frames (docs/websocket.md, Read state): an API replica that moved a read marker publishes
 * the reader's state on `read.<talk_id>.<agent_id>` (@talk/shared/read-notices); a gateway hands
 * the talk's subscribers the marker, and the reader's own connections its counts too.
 */
import { ReadNotice } from '@talk/shared/read-notices';
import { textWireFrame, type WireFrame } from '../ws/wire-frame';

export interface ReadItem {
  readonly talkId: string;
  readonly agentId: string;
  /** For the talk's subscribers: whose marker, and where. */
  readonly shared: WireFrame;
  /** For the reader's own connections: with its unread counts. */
  readonly own: WireFrame;
}

/** The frames of a read notice; null for a message that is not one. */
export function readItemOf(json: string): ReadItem | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = ReadNotice.safeParse(raw);
  if (!parsed.success) return null;
  const { talk_id, agent_id, last_read_seq, unread_count, unread_mention_count } = parsed.data;
  const shared = { type: 'read', talk_id, agent_id, last_read_seq };
  return {
    talkId: talk_id,
    agentId: agent_id,
    shared: textWireFrame(JSON.stringify(shared)),
    own: textWireFrame(JSON.stringify({ ...shared, unread_count, unread_mention_count })),
  };
}

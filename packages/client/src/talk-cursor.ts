/**
 * Where a client stands in one talk's change stream. Events are released once each and in seq
 * order: a repeat (from a replay overlapping live delivery, or a re-published event) is dropped;
 * an event past a gap is held until the gap is filled, and the caller is told to resubscribe.
 * Generic over the event so that events of a type this client does not know still move it on.
 */
/** More held events than this are dropped; the resubscription that fills the gap sends them again. */
const MAX_HELD = 1_000;

export interface Sequenced {
  readonly seq: number;
}

export type CursorVerdict<E> =
  /** In seq order: the event, then any held events it made contiguous. */
  | { readonly kind: 'deliver'; readonly events: readonly E[] }
  | { readonly kind: 'duplicate' }
  /** Held: events after `lastSeq` are missing; resubscribe with `after_seq: lastSeq`. */
  | { readonly kind: 'gap'; readonly lastSeq: number };

export interface TalkCursor<E extends Sequenced> {
  /** The newest seq released, undefined until the stream's position is known. */
  lastSeq(): number | undefined;
  /** Takes the position from a `subscribed` frame when none was known yet. */
  startAt(lastSeq: number): void;
  accept(event: E): CursorVerdict<E>;
}

export function createTalkCursor<E extends Sequenced>(afterSeq?: number): TalkCursor<E> {
  let last = afterSeq;
  const held = new Map<number, E>();

  function releaseFrom(event: E): E[] {
    const released = [event];
    last = event.seq;
    for (let next = held.get(last + 1); next !== undefined; next = held.get(last + 1)) {
      held.delete(next.seq);
      released.push(next);
      last = next.seq;
    }
    for (const seq of held.keys()) if (seq <= last) held.delete(seq);
    return released;
  }

  return {
    lastSeq: () => last,
    startAt(lastSeq) {
      last ??= lastSeq;
    },
    accept(event) {
      if (last === undefined || event.seq === last + 1) return { kind: 'deliver', events: releaseFrom(event) };
      if (event.seq <= last || held.has(event.seq)) return { kind: 'duplicate' };
      if (held.size < MAX_HELD) held.set(event.seq, event);
      return { kind: 'gap', lastSeq: last };
    },
  };
}

/**
 * The protocol state of one agent's WebSocket session, kept across reconnects: which talks are
 * subscribed and how far each has been delivered. Pure: it turns frames received into frames to
 * send and events to hand out, and the transport (talk-socket.ts) carries them out.
 */
import { z } from 'zod';
import { parseEvent, type TalkChangeEvent } from '@talk/shared/events';
import type { ClientFrame, SessionFrame } from './frames';
import { createReadMarkers, type Read } from './read-markers';
import { createTalkCursor, type TalkCursor } from './talk-cursor';
import { createTalkDiscovery, type ListedTalk } from './talk-discovery';

export interface SessionOptions {
  /** The agent the token belongs to: its own membership notices arrive without a subscription. */
  readonly agentId: string;
  /** Subscribe by itself to a talk the agent is added to. */
  readonly followMembership: boolean;
}

export interface SessionError {
  readonly code: string;
  readonly message: string;
  readonly talkId?: string;
}

export interface Effects {
  readonly send: ClientFrame[];
  readonly events: TalkChangeEvent[];
  readonly errors: SessionError[];
  /** Subscriptions the gateway refused for the moment (UNAVAILABLE, RATE_LIMITED): subscribe again after a pause. */
  readonly retry: string[];
  /**
   * Subscriptions that ended because the agent is no longer in the talk (removed while this client
   * was away): read the rest of their history after `afterSeq` and pass it to `finishCatchUp`.
   */
  readonly catchUp: { readonly talkId: string; readonly afterSeq: number }[];
  /** Read markers that moved, each higher than any seen before for its talk and agent. */
  readonly reads: Read[];
}

export interface SessionStats {
  /** Events dropped because they had been delivered already. */
  readonly duplicatesDropped: number;
  /** Gaps seen in a talk's stream, each repaired by resubscribing. */
  readonly gapsRepaired: number;
}

export interface Session {
  connected(): ClientFrame[];
  disconnected(): void;
  subscribe(talkId: string, afterSeq?: number): ClientFrame[];
  unsubscribe(talkId: string): ClientFrame[];
  /** The subscribe frame for a talk, for retrying one the gateway refused; none when it is gone. */
  resubscribe(talkId: string): ClientFrame[];
  handle(frame: SessionFrame): Effects;
  /**
   * The agent's active talks as listed after a reconnect: subscribes to those it may have been
   * added to while away (talk-discovery.ts). Never to one subscribed, unsubscribed by the
   * application, or known to be left at the listed marker.
   */
  discovered(talks: readonly ListedTalk[]): ClientFrame[];
  /** Hands out the history read for a `catchUp`, without repeats and in order. */
  finishCatchUp(talkId: string, events: readonly TalkChangeEvent[]): TalkChangeEvent[];
  lastSeq(talkId: string): number | undefined;
  /** Connected, and every subscription confirmed by a `subscribed` frame. */
  settled(): boolean;
  subscribedTalks(): string[];
  stats(): SessionStats;
  /** Read markers remembered to drop stale read frames: bounded by the followed talks' participants. */
  rememberedMarkers(): number;
}

/** One position in a talk's stream; `event` is undefined for a type this client does not know. */
interface Item {
  readonly seq: number;
  readonly event: TalkChangeEvent | undefined;
}

interface Subscription {
  readonly cursor: TalkCursor<Item>;
  confirmed: boolean;
  /** A resubscription to fill a gap is on its way; more held events need no other one. */
  repairing: boolean;
  /**
   * Made from a listing after a reconnect and not confirmed yet: the agent's marker it was made
   * at. A refusal then means the agent is not in the talk (the listing shows talks it left too).
   */
  discoveredAt: number | undefined;
}

const Envelope = z.object({ talk_id: z.string(), seq: z.number().int().positive(), type: z.string() });

const subscribeFrame = (talkId: string, afterSeq: number | undefined): ClientFrame =>
  afterSeq === undefined ? { type: 'subscribe', talk_id: talkId } : { type: 'subscribe', talk_id: talkId, after_seq: afterSeq };

export function createSession(options: SessionOptions): Session {
  const subscriptions = new Map<string, Subscription>();
  /** Newest seq of membership notices of talks not subscribed to. */
  const noticed = new Map<string, number>();
  /** Cursors of subscriptions that ended with a catch-up still to come. */
  const catchingUp = new Map<string, TalkCursor<Item>>();
  const discovery = createTalkDiscovery();
  const readMarkers = createReadMarkers(options.agentId);
  let isConnected = false;
  let duplicatesDropped = 0;
  let gapsRepaired = 0;

  const isOwnMembership = (event: TalkChangeEvent | undefined): boolean =>
    event !== undefined && (event.type === 'participant_joined' || event.type === 'participant_left') && event.data.agent_id === options.agentId;

  function addSubscription(talkId: string, afterSeq: number | undefined, discoveredAt?: number): ClientFrame[] {
    subscriptions.set(talkId, { cursor: createTalkCursor<Item>(afterSeq), confirmed: false, repairing: false, discoveredAt });
    return isConnected ? [subscribeFrame(talkId, afterSeq)] : [];
  }

  /** The agent is out of the talk as of `seq`: nothing of it is followed any more. */
  function leftTalk(talkId: string, seq: number): void {
    subscriptions.delete(talkId);
    discovery.left(talkId, seq);
    readMarkers.forgetTalk(talkId);
    readMarkers.forgetAgent(talkId, options.agentId);
  }

  function onEvent(raw: unknown, effects: Effects): void {
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) {
      effects.errors.push({ code: 'INVALID_EVENT', message: `an event frame without talk_id, seq and type: ${JSON.stringify(raw)}` });
      return;
    }
    const { talk_id: talkId, seq } = envelope.data;
    const parsed = parseEvent(raw);
    if (parsed.kind === 'invalid') {
      effects.errors.push({ code: 'INVALID_EVENT', message: `event ${seq} does not match the contract: ${parsed.problem}`, talkId });
    }
    const item: Item = { seq, event: parsed.kind === 'event' ? parsed.event : undefined };
    const subscription = subscriptions.get(talkId);
    if (subscription === undefined) {
      onNotice(talkId, item, effects);
      return;
    }
    const verdict = subscription.cursor.accept(item);
    switch (verdict.kind) {
      case 'duplicate':
        duplicatesDropped += 1;
        return;
      case 'gap':
        if (subscription.repairing) return;
        subscription.repairing = true;
        subscription.confirmed = false;
        gapsRepaired += 1;
        effects.send.push({ type: 'unsubscribe', talk_id: talkId }, subscribeFrame(talkId, verdict.lastSeq));
        return;
      case 'deliver':
        for (const delivered of verdict.events) {
          if (delivered.event === undefined) continue;
          effects.events.push(delivered.event);
          if (delivered.event.type !== 'participant_left') continue;
          // The gateway ends the subscription once the agent's own participant_left is delivered.
          if (isOwnMembership(delivered.event)) {
            leftTalk(talkId, delivered.seq);
            noticed.set(talkId, delivered.seq);
          } else {
            readMarkers.forgetAgent(talkId, delivered.event.data.agent_id);
          }
        }
        return;
    }
  }

  function onNotice(talkId: string, item: Item, effects: Effects): void {
    const { event } = item;
    if (event === undefined || !isOwnMembership(event)) return;
    if (item.seq <= (noticed.get(talkId) ?? 0)) {
      duplicatesDropped += 1;
      return;
    }
    noticed.set(talkId, item.seq);
    effects.events.push(event);
    if (event.type === 'participant_left') leftTalk(talkId, item.seq);
    if (event.type === 'participant_joined' && options.followMembership) effects.send.push(...addSubscription(talkId, item.seq));
  }

  function onError(frame: Extract<SessionFrame, { type: 'error' }>, effects: Effects): void {
    const talkId = frame.ref?.type === 'subscribe' ? frame.ref.talk_id : undefined;
    const subscription = talkId === undefined ? undefined : subscriptions.get(talkId);
    if (talkId === undefined || subscription === undefined) {
      effects.errors.push({ code: frame.code, message: frame.message, ...(talkId === undefined ? {} : { talkId }) });
      return;
    }
    // Refused for the moment (the gateway's dependencies are away, or the client sent too much at
    // once): subscribe again after a pause.
    if (frame.code === 'UNAVAILABLE' || frame.code === 'RATE_LIMITED') {
      effects.retry.push(talkId);
      return;
    }
    if (subscription.discoveredAt !== undefined) {
      // The listing shows the talks the agent left too: not a member, and nothing to report.
      leftTalk(talkId, subscription.discoveredAt);
      return;
    }
    subscriptions.delete(talkId);
    readMarkers.forgetTalk(talkId);
    effects.errors.push({ code: frame.code, message: frame.message, talkId });
    const afterSeq = subscription.cursor.lastSeq();
    if (frame.code === 'NOT_FOUND' && afterSeq !== undefined) {
      catchingUp.set(talkId, subscription.cursor);
      effects.catchUp.push({ talkId, afterSeq });
    }
  }

  return {
    connected() {
      isConnected = true;
      return [...subscriptions].map(([talkId, subscription]) => {
        subscription.confirmed = false;
        subscription.repairing = false;
        return subscribeFrame(talkId, subscription.cursor.lastSeq());
      });
    },
    disconnected() {
      isConnected = false;
    },
    subscribe(talkId, afterSeq) {
      discovery.subscribed(talkId);
      if (subscriptions.has(talkId)) return [];
      return addSubscription(talkId, afterSeq);
    },
    unsubscribe(talkId) {
      discovery.unsubscribed(talkId);
      readMarkers.forgetTalk(talkId);
      if (!subscriptions.delete(talkId) || !isConnected) return [];
      return [{ type: 'unsubscribe', talk_id: talkId }];
    },
    discovered(talks) {
      const found = discovery.found(talks, (talkId) => subscriptions.has(talkId) || catchingUp.has(talkId));
      return found.flatMap(({ talkId, afterSeq, marker }) => addSubscription(talkId, afterSeq, marker));
    },
    resubscribe(talkId) {
      const subscription = subscriptions.get(talkId);
      if (subscription === undefined || !isConnected) return [];
      return [subscribeFrame(talkId, subscription.cursor.lastSeq())];
    },
    handle(frame) {
      const effects: Effects = { send: [], events: [], errors: [], retry: [], catchUp: [], reads: [] };
      switch (frame.type) {
        case 'subscribed': {
          const subscription = subscriptions.get(frame.talk_id);
          if (subscription !== undefined) {
            subscription.cursor.startAt(frame.last_seq);
            subscription.confirmed = true;
            subscription.repairing = false;
            subscription.discoveredAt = undefined;
          }
          break;
        }
        case 'read': {
          const read = readMarkers.accept(frame, subscriptions.has(frame.talk_id));
          if (read !== undefined) effects.reads.push(read);
          break;
        }
        case 'event':
          onEvent(frame.event, effects);
          break;
        case 'error':
          onError(frame, effects);
          break;
        case 'pong':
          break;
      }
      return effects;
    },
    finishCatchUp(talkId, events) {
      const cursor = catchingUp.get(talkId);
      catchingUp.delete(talkId);
      if (cursor === undefined) return [];
      const released: TalkChangeEvent[] = [];
      for (const event of events) {
        const verdict = cursor.accept({ seq: event.seq, event });
        if (verdict.kind === 'deliver') released.push(...verdict.events.flatMap((item) => (item.event === undefined ? [] : [item.event])));
      }
      const leave = released.find((event) => event.type === 'participant_left' && isOwnMembership(event));
      if (leave !== undefined) leftTalk(talkId, leave.seq);
      return released;
    },
    lastSeq: (talkId) => subscriptions.get(talkId)?.cursor.lastSeq() ?? catchingUp.get(talkId)?.lastSeq(),
    settled: () => isConnected && [...subscriptions.values()].every((subscription) => subscription.confirmed),
    subscribedTalks: () => [...subscriptions.keys()],
    stats: () => ({ duplicatesDropped, gapsRepaired }),
    rememberedMarkers: () => readMarkers.size(),
  };
}

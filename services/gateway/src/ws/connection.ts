/**
 * One agent's WebSocket: its subscriptions, and the rule that each event reaches it once and in
 * seq order per talk. Subscribing with `after_seq` replays the event log first while live events
 * are held back, then releases them; the per-talk seq high-water mark drops anything seen twice.
 */
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { AppError } from '@talk/shared/errors';
import type { Logger } from '@talk/shared/logger';
import type { Clock } from '@talk/shared/time';
import type { EventLog } from '@talk/store/write-pipeline/event-log';
import type { AgentFeed, AgentListener } from '../bus/agent-feed';
import type { FeedItem, TalkFeed, TalkListener } from '../bus/talk-feed';
import type { PresenceFeed } from '../bus/presence-feed';
import type { TypingPublisher } from '../bus/typing';
import type { Access, ConnectedAgent } from '../domain/access';
import { createFrameBudget } from './frame-budget';
import { createPresenceSubscriptions } from './presence-subscriptions';
import { frameErrorOf } from './frame-errors';
import { createSlots, type Slots } from '@talk/shared/slots';
import { CLOSE_CODES, errorFrame, eventFrame, parseClientFrame, pongFrame, refOfText, subscribedFrame, type FrameRef } from './frames';
import { writeWireFrame, type WireFrame } from './wire-frame';

export interface ConnectionDeps {
  readonly access: Access;
  readonly talkFeed: TalkFeed;
  readonly agentFeed: AgentFeed;
  readonly typing: TypingPublisher;
  readonly presence: PresenceFeed;
  readonly events: EventLog;
  readonly log: Logger;
  readonly maxSubscriptions: number;
  readonly maxBufferedBytes: number;
  /** Events per page of an `after_seq` replay. */
  readonly replayPageEvents: number;
  /** Called when the agent was removed from a talk: it may have been deactivated. */
  readonly onRemoved: (agentId: string) => void;
  /** Called when the connection is closed for not keeping up (4008). */
  readonly onTooSlow: () => void;
  /** `after_seq` replays of the whole process at once; each connection has its own few on top. */
  readonly processReplays: Slots;
  /** Frames a connection may send per second, on top of a burst that lets it resubscribe to all its talks at once. */
  readonly framesPerSecond: number;
  readonly clock: Clock;
}

/** Refused frames in a row after which a connection is closed (1008). */
export const REFUSALS_BEFORE_CLOSE = 100;

/** `after_seq` replays of one connection at once; more wait their turn. */
export const REPLAYS_PER_CONNECTION = 4;

/**
 * A subscription's place is taken as soon as its frame is read, so that a burst of subscribes
 * meets the cap and an unsubscribe meets the subscribe it ends, whatever is still awaited. While
 * replaying, live events of the talk are held, to follow the replayed ones in order.
 */
type PendingSubscription = { phase: 'pending' };
type ReplayingSubscription = { phase: 'replaying'; readonly held: FeedItem[] };
type Subscription = PendingSubscription | ReplayingSubscription | { phase: 'live' };

export interface Connection {
  handleText(text: string): void;
  /** Leaves every feed; called once the socket has closed. */
  dispose(): void;
}

/** `tcp` is the socket under `socket`, where event frames framed once per gateway are written. */
export function createConnection(socket: WebSocket, tcp: Duplex, agent: ConnectedAgent, deps: ConnectionDeps): Connection {
  // Log fields rather than a child logger: a child per connection costs ~0.5 KiB of each one.
  const { log } = deps;
  const { agentId } = agent;
  const subscriptions = new Map<string, Subscription>();
  const replays = createSlots(REPLAYS_PER_CONNECTION);
  const budget = createFrameBudget(
    { perSecond: deps.framesPerSecond, burst: deps.maxSubscriptions + deps.framesPerSecond, refusalsBeforeClose: REFUSALS_BEFORE_CLOSE },
    deps.clock().getTime(),
  );
  /** The newest seq sent per talk, also for membership notices of talks not subscribed to. */
  const delivered = new Map<string, number>();
  let disposed = false;
  const presence = createPresenceSubscriptions(agent, deps, (frame) => send(frame));

  /** Sends a text frame: a string through `ws`, an event frame as the bytes it already is. */
  function send(frame: string | WireFrame): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > deps.maxBufferedBytes) {
      log.warn({ agentId, buffered: socket.bufferedAmount }, 'closing a connection that does not keep up');
      socket.close(CLOSE_CODES.tooSlow, 'too slow: reconnect and resume with after_seq');
      deps.onTooSlow();
      return;
    }
    if (typeof frame === 'string') socket.send(frame);
    else writeWireFrame(tcp, frame);
  }

  function sendError(error: unknown, ref: FrameRef): void {
    const appError = frameErrorOf(error);
    if (appError.code === 'INTERNAL') log.error({ agentId, err: error, ref }, 'frame failed');
    else if (appError.code === 'UNAVAILABLE') log.warn({ agentId, err: appError, ref }, 'frame failed: a dependency is unavailable');
    send(errorFrame(appError.code, appError.message, ref));
  }

  function deliver(item: FeedItem): void {
    const { talk_id: talkId, seq } = item.event;
    if (seq <= (delivered.get(talkId) ?? 0)) return;
    delivered.set(talkId, seq);
    send(item.frame);
    if (item.event.type === 'participant_left' && item.event.data.agent_id === agent.agentId) {
      stopSubscription(talkId);
      if (item.event.data.reason === 'removed') deps.onRemoved(agent.agentId);
    }
  }

  const talkListener: TalkListener = {
    onTalkEvent(item) {
      const subscription = subscriptions.get(item.event.talk_id);
      if (subscription === undefined || subscription.phase === 'pending') return;
      if (subscription.phase === 'replaying') subscription.held.push(item);
      else deliver(item);
    },
    onTyping(item) {
      // Never to the typist's own connections; typing is ephemeral, so a replaying talk gets it too.
      if (item.agentId === agentId || !subscriptions.has(item.talkId)) return;
      send(item.frame);
    },
    onRead(item) {
      // The agent's own moves come through the agent feed, with its counts, subscribed or not.
      if (item.agentId === agentId || !subscriptions.has(item.talkId)) return;
      send(item.shared);
    },
  };

  /** A subscribed talk's membership is known (its subscription ends with the agent's leave); another is checked. */
  async function typeIn(talkId: string): Promise<void> {
    if (subscriptions.get(talkId)?.phase !== 'live') await deps.access.requireActiveParticipant(agent, talkId);
    deps.typing.publish(talkId, agentId);
  }

  const agentListener: AgentListener = {
    onMembershipEvent(item) {
      // A subscribed talk delivers its own membership events, in order, through the talk feed.
      if (!subscriptions.has(item.event.talk_id)) deliver(item);
    },
    onOwnRead(item) {
      send(item.own);
    },
  };

  function stopSubscription(talkId: string): void {
    const subscription = subscriptions.get(talkId);
    if (subscription === undefined) return;
    subscriptions.delete(talkId);
    // A pending one has not joined the feed yet; the subscribe that sees it gone never will.
    if (subscription.phase !== 'pending') deps.talkFeed.leave(talkId, talkListener);
  }

  /** Whether `subscription` is still the talk's: an unsubscribe, a leave or the socket's close ends it. */
  const stillCurrent = (talkId: string, subscription: Subscription): boolean =>
    !disposed && socket.readyState === WebSocket.OPEN && subscriptions.get(talkId) === subscription;

  /** Reads the log after `afterSeq` page by page, within this connection's and the process's replay slots. */
  async function replay(talkId: string, afterSeq: number, subscription: ReplayingSubscription): Promise<void> {
    const releaseOwn = await replays.acquire();
    try {
      const releaseProcess = await deps.processReplays.acquire();
      try {
        // Stops reading as soon as the subscription ends or the socket closes (4008 included).
        while (stillCurrent(talkId, subscription)) {
          const page = await deps.events.listAfter(talkId, delivered.get(talkId) ?? afterSeq, deps.replayPageEvents);
          for (const event of page) deliver({ event, frame: eventFrame(JSON.stringify(event)) });
          if (page.length < deps.replayPageEvents) return;
        }
      } finally {
        releaseProcess();
      }
    } finally {
      releaseOwn();
    }
  }

  async function subscribe(talkId: string, afterSeq: number | undefined): Promise<void> {
    const existing = subscriptions.get(talkId);
    if (existing !== undefined) {
      // One still being set up answers with its own `subscribed`.
      if (existing.phase === 'live') send(subscribedFrame(talkId, delivered.get(talkId) ?? 0));
      return;
    }
    if (subscriptions.size >= deps.maxSubscriptions) {
      throw new AppError('INVALID_ARGUMENT', `a connection holds at most ${deps.maxSubscriptions} subscriptions; unsubscribe from one first`);
    }
    const pending: PendingSubscription = { phase: 'pending' };
    subscriptions.set(talkId, pending);
    try {
      await deps.access.requireActiveParticipant(agent, talkId);
    } catch (error) {
      if (subscriptions.get(talkId) === pending) subscriptions.delete(talkId);
      throw error;
    }
    if (!stillCurrent(talkId, pending)) return;
    const subscription: ReplayingSubscription = { phase: 'replaying', held: [] };
    subscriptions.set(talkId, subscription);
    let lastSeq: number;
    try {
      lastSeq = await deps.talkFeed.join(talkId, talkListener);
    } catch (error) {
      if (subscriptions.get(talkId) === subscription) subscriptions.delete(talkId);
      throw error;
    }
    if (!stillCurrent(talkId, subscription)) {
      // Unsubscribed (or closed) while the feed was being joined: leave nothing behind, unless a
      // subscription of the talk made since has joined the feed with this same listener.
      const now = subscriptions.get(talkId);
      if (now === subscription) subscriptions.delete(talkId);
      if (now === undefined || now === subscription || now.phase === 'pending') deps.talkFeed.leave(talkId, talkListener);
      return;
    }
    try {
      await startSubscription(talkId, subscription, lastSeq, afterSeq);
    } catch (error) {
      // A replay that failed half-way: the client subscribes again (UNAVAILABLE) from what it got.
      if (subscriptions.get(talkId) === subscription) stopSubscription(talkId);
      throw error;
    }
  }

  async function startSubscription(
    talkId: string,
    subscription: ReplayingSubscription,
    lastSeq: number,
    afterSeq: number | undefined,
  ): Promise<void> {
    if (afterSeq !== undefined && afterSeq > lastSeq) {
      stopSubscription(talkId);
      throw new AppError('INVALID_ARGUMENT', `after_seq ${afterSeq} is ahead of the talk's last seq ${lastSeq}`);
    }
    delivered.set(talkId, afterSeq ?? lastSeq);
    send(subscribedFrame(talkId, lastSeq));
    if (afterSeq !== undefined) await replay(talkId, afterSeq, subscription);
    if (subscriptions.get(talkId) !== subscription) return;
    const { held } = subscription;
    subscriptions.set(talkId, { phase: 'live' });
    for (const item of held) deliver(item);
    log.debug({ agentId, talkId, afterSeq, lastSeq }, 'subscribed');
  }

  function handle(text: string): void {
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      sendError(parsed.error, parsed.ref);
      return;
    }
    const { frame } = parsed;
    switch (frame.type) {
      case 'ping':
        send(pongFrame());
        return;
      case 'unsubscribe':
        stopSubscription(frame.talk_id);
        return;
      case 'subscribe':
        subscribe(frame.talk_id, frame.after_seq).catch((error: unknown) => {
          sendError(error, { type: 'subscribe', talk_id: frame.talk_id });
        });
        return;
      case 'typing':
        typeIn(frame.talk_id).catch((error: unknown) => {
          sendError(error, { type: 'typing', talk_id: frame.talk_id });
        });
        return;
      case 'presence_subscribe':
        presence.subscribe(frame.agent_ids).catch((error: unknown) => {
          sendError(error, { type: 'presence_subscribe' });
        });
        return;
      case 'presence_unsubscribe':
        presence.unsubscribe(frame.agent_ids);
        return;
    }
  }

  // Frames wait until membership notices flow, so a `pong` means the connection is fully set up.
  const ready = deps.agentFeed.join(agent.agentId, agentListener).catch((error: unknown) => {
    log.error({ agentId, err: error }, 'could not follow the agent\'s membership changes');
  });

  return {
    handleText(text) {
      const verdict = budget.take(deps.clock().getTime());
      // Every answer waits its turn behind the frames before it: the close comes after their answers.
      if (verdict === 'close') {
        void ready.then(() => {
          log.warn({ agentId }, 'closing a connection that goes on sending past its frame rate');
          socket.close(CLOSE_CODES.policyViolation, 'too many frames: slow down, then reconnect');
        });
        return;
      }
      if (verdict === 'refuse') {
        void ready.then(() => send(errorFrame('RATE_LIMITED', `at most ${deps.framesPerSecond} frames a second; send this one again later`, refOfText(text))));
        return;
      }
      void ready.then(() => handle(text));
    },
    dispose() {
      disposed = true;
      for (const talkId of [...subscriptions.keys()]) stopSubscription(talkId);
      presence.dispose();
      deps.agentFeed.leave(agent.agentId, agentListener);
    },
  };
}

/**
 * The reference WebSocket client: one connection per agent that stays up. It reconnects with
 * jittered backoff after any drop (gateway killed, 4008 too slow, 1001 shutdown, a silent peer
 * found by the heartbeat), resubscribes every talk with `after_seq` at what it has delivered, and
 * hands out each talk's events once and in seq order.
 */
import type { TalkChangeEvent } from '@talk/shared/events';
import { PRESENCE_LIMITS, type Presence } from '@talk/shared/schemas';
import { createBackoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { Connection, Dial } from './connection';
import { CLOSE_CODES, isEphemeral, parseServerFrame, type ClientFrame } from './frames';
import { DEFAULT_HEARTBEAT, watchHeartbeat, type HeartbeatOptions } from './heartbeat';
import type { Read } from './read-markers';
import { createSession, type Effects, type SessionError, type SessionStats } from './session';
import type { ListedTalk } from './talk-discovery';
import { createTypingPacer, type Typing } from './typing-pacer';
import { dialWs } from './ws-connection';

export interface TalkSocketOptions {
  /** `ws://…/v1.0/ws?token=…`; a function is asked again before every reconnect, to use a fresh token. */
  readonly url: string | (() => string | Promise<string>);
  /** The agent the token belongs to. */
  readonly agentId: string;
  /** Subscribe by itself to talks the agent is added to (default true). */
  readonly followMembership?: boolean;
  readonly backoff?: BackoffOptions;
  readonly heartbeat?: HeartbeatOptions;
  /** How long an upgrade may take before the attempt counts as failed. */
  readonly handshakeTimeoutMs?: number;
  /** How a connection is made: the `ws` package by default; `dialBrowser` (browser-connection.ts) in a web page. */
  readonly dial?: Dial;
  /**
   * Reads a talk's history after a seq (e.g. `createTalkApi(…).eventsAfter`). With it, a talk the
   * agent was removed from while disconnected still delivers everything up to the removal.
   */
  readonly history?: (talkId: string, afterSeq: number) => AsyncIterable<TalkChangeEvent>;
  /**
   * Lists the agent's active talks, every page (e.g. `() => createTalkApi(…).allTalks({ status: 'active' })`).
   * With it and `followMembership`, a talk the agent was added to while disconnected is found after
   * every reconnect and subscribed to from the agent's join (talk-discovery.ts); a
   * listing that fails is tried again with the reconnect backoff.
   */
  readonly activeTalks?: () => AsyncIterable<ListedTalk>;
}

export type SocketState = 'connecting' | 'open' | 'waiting' | 'closed';

export interface SocketStats extends SessionStats {
  /** Connections opened after the first one. */
  readonly reconnects: number;
  /** How often each close code was seen (1006: dropped without a close frame). */
  readonly closeCodes: Readonly<Record<number, number>>;
}

export interface TalkSocket {
  /** Subscribes now or, when disconnected, as soon as connected; kept across reconnects. */
  subscribe(talkId: string, afterSeq?: number): void;
  unsubscribe(talkId: string): void;
  /** Every subscribed talk's events, once each and in seq order, and the agent's own membership notices. */
  onEvent(listener: (event: TalkChangeEvent) => void): () => void;
  /** Refused subscriptions, contract violations and listener failures; the socket carries on. */
  onError(listener: (error: SessionError) => void): () => void;
  onState(listener: (state: SocketState, closeCode?: number) => void): () => void;
  /**
   * Says the agent is typing in `talkId` (call it on every keystroke): sent at most once per
   * `TYPING_EVERY_MS` per talk (typing-pacer.ts), and only while connected (typing is not worth catching up on).
   */
  typing(talkId: string): void;
  /** Others typing in the subscribed talks (never this agent's own, from any of its connections). */
  onTyping(listener: (typing: Typing) => void): () => void;
  /**
   * Read markers that moved: others' in the subscribed talks, and the agent's own in any talk (from
   * any of its devices) with its unread counts. Each is higher than the last one handed out for its
   * talk and agent; one that arrives late, after a higher one, is dropped.
   */
  onRead(listener: (read: Read) => void): () => void;
  /**
   * Follows these agents' presence, now or once connected, and again after every reconnect: a
   * `presence` for each (of the agent's customer) at once, then one per change. At most
   * `PRESENCE_LIMITS.subscribedPerConnection` in all; past it the gateway refuses (an error, onError).
   */
  subscribePresence(agentIds: readonly string[]): void;
  unsubscribePresence(agentIds: readonly string[]): void;
  /** The followed agents' presence, as it changes (and once more after each reconnect). */
  onPresence(listener: (presence: Presence) => void): () => void;
  lastSeq(talkId: string): number | undefined;
  /** Resolves once connected with every subscription confirmed, and the talks listed after a reconnect subscribed to. */
  settled(timeoutMs?: number): Promise<void>;
  stats(): SocketStats;
  /**
   * Stops reading from the network, as a busy application would. The gateway's buffer for this
   * client fills; past its limit the gateway closes with 4008 and, after `resume()`, the client
   * reconnects and resumes where it was. The heartbeat waits while paused.
   */
  pause(): void;
  resume(): void;
  /** Closes for good (1000); resolves once the connection is gone. */
  close(): Promise<void>;
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
/** A subscription the gateway could not serve for the moment is asked for again after this. */
const RESUBSCRIBE_DELAY_MS = 500;
/** A token refused this many times in a row (with a fresh one asked for each time) is given up on. */
const MAX_AUTH_FAILURES = 3;

/** One frame per `PRESENCE_LIMITS.subscribedPerConnection` agents (what one frame may name). */
function presenceFrames(type: 'presence_subscribe' | 'presence_unsubscribe', agentIds: readonly string[]): ClientFrame[] {
  const frames: ClientFrame[] = [];
  for (let at = 0; at < agentIds.length; at += PRESENCE_LIMITS.subscribedPerConnection) {
    frames.push({ type, agent_ids: agentIds.slice(at, at + PRESENCE_LIMITS.subscribedPerConnection) });
  }
  return frames;
}

export function connectTalkSocket(options: TalkSocketOptions): TalkSocket {
  const followMembership = options.followMembership ?? true;
  const session = createSession({ agentId: options.agentId, followMembership });
  const backoff = createBackoff(options.backoff ?? DEFAULT_BACKOFF);
  const heartbeat = options.heartbeat ?? DEFAULT_HEARTBEAT;
  const eventListeners = new Set<(event: TalkChangeEvent) => void>();
  const errorListeners = new Set<(error: SessionError) => void>();
  const stateListeners = new Set<(state: SocketState, closeCode?: number) => void>();
  const typingListeners = new Set<(typing: Typing) => void>();
  const readListeners = new Set<(read: Read) => void>();
  const listingBackoff = createBackoff(options.backoff ?? DEFAULT_BACKOFF);
  const presenceListeners = new Set<(presence: Presence) => void>();
  /** Followed agents, kept across reconnects. */
  const presenceFollowed = new Set<string>();
  const typingPacer = createTypingPacer();
  const settleWaiters = new Set<() => void>();
  const closeCodes: Record<number, number> = {};
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const dial = options.dial ?? dialWs;
  let socket: Connection | undefined;
  let state: SocketState = 'connecting';
  let closing = false;
  let opened = 0;
  let authFailures = 0;
  let paused = false;
  let closedForGood: (() => void) | undefined;
  /** The connection a listing of talks is made for; one made for an older connection is let go. */
  let generation = 0;
  let listing = false;
  /** `close()` may run while a fresh URL is awaited. */
  const closedWhileWaiting = (): boolean => closing;

  function later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  }

  function notify<A extends unknown[]>(listeners: Iterable<(...args: A) => void>, ...args: A): void {
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch (error) {
        if (listeners === errorListeners) continue;
        reportError({ code: 'LISTENER_FAILED', message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  const reportError = (error: SessionError): void => notify(errorListeners, error);

  function setState(next: SocketState, closeCode?: number): void {
    state = next;
    notify(stateListeners, next, closeCode);
    wakeSettled();
  }

  function wakeSettled(): void {
    for (const wake of [...settleWaiters]) wake();
  }

  function send(frames: readonly ClientFrame[]): void {
    if (socket?.state !== 'open') return;
    for (const frame of frames) socket.send(JSON.stringify(frame));
  }

  function apply(effects: Effects): void {
    send(effects.send);
    for (const event of effects.events) notify(eventListeners, event);
    for (const read of effects.reads) notify(readListeners, read);
    for (const error of effects.errors) reportError(error);
    for (const talkId of effects.retry) later(RESUBSCRIBE_DELAY_MS, () => send(session.resubscribe(talkId)));
    for (const { talkId, afterSeq } of effects.catchUp) void catchUp(talkId, afterSeq);
  }

  async function catchUp(talkId: string, afterSeq: number): Promise<void> {
    if (options.history === undefined) return;
    try {
      const events: TalkChangeEvent[] = [];
      for await (const event of options.history(talkId, afterSeq)) events.push(event);
      for (const event of session.finishCatchUp(talkId, events)) notify(eventListeners, event);
    } catch (error) {
      reportError({ code: 'CATCH_UP_FAILED', message: error instanceof Error ? error.message : String(error), talkId });
    }
  }

  /** After a reconnect: the talks the agent may have been added to while away (session.ts, `discovered`). */
  async function discoverTalks(listFor: number): Promise<void> {
    // `close()` and a newer connection may come while the listing is awaited.
    const superseded = (): boolean => closing || listFor !== generation;
    if (options.activeTalks === undefined || superseded()) return;
    listing = true;
    try {
      const talks: ListedTalk[] = [];
      for await (const talk of options.activeTalks()) talks.push(talk);
      if (superseded()) return;
      listingBackoff.reset();
      listing = false;
      send(session.discovered(talks));
    } catch (error) {
      if (superseded()) return;
      reportError({ code: 'LISTING_FAILED', message: error instanceof Error ? error.message : String(error) });
      later(listingBackoff.next(), () => void discoverTalks(listFor));
    } finally {
      wakeSettled();
    }
  }

  async function connect(): Promise<void> {
    if (closing) return;
    setState('connecting');
    let url: string;
    try {
      url = typeof options.url === 'string' ? options.url : await options.url();
    } catch (error) {
      reportError({ code: 'URL_FAILED', message: error instanceof Error ? error.message : String(error) });
      reconnectLater();
      return;
    }
    if (closedWhileWaiting()) return;
    let stopWatching = (): void => undefined;
    let confirmedOnce = false;
    let heard = (): void => undefined;
    const current = dial(
      url,
      {
        onOpen() {
          opened += 1;
          if (paused) current.pause();
          const heartbeatOf = watchHeartbeat(current, heartbeat, () => paused);
          stopWatching = heartbeatOf.stop;
          heard = heartbeatOf.heard;
          generation += 1;
          listing = false;
          setState('open');
          send(session.connected());
          send(presenceFrames('presence_subscribe', [...presenceFollowed]));
          if (opened > 1 && followMembership) void discoverTalks(generation);
        },
        onMessage(text) {
          heard();
          const frame = parseServerFrame(text);
          if (frame === undefined) return;
          if (!confirmedOnce) {
            // The token was accepted and the gateway answers: the next drop starts the backoff over.
            confirmedOnce = true;
            authFailures = 0;
            backoff.reset();
          }
          if (isEphemeral(frame)) {
            if (frame.type === 'typing') notify(typingListeners, { talkId: frame.talk_id, agentId: frame.agent_id });
            else notify(presenceListeners, { agent_id: frame.agent_id, status: frame.status, tm_change: frame.tm_change });
            return;
          }
          apply(session.handle(frame));
          wakeSettled();
        },
        onClose(code) {
          stopWatching();
          session.disconnected();
          closeCodes[code] = (closeCodes[code] ?? 0) + 1;
          if (closing) {
            setState('closed', code);
            closedForGood?.();
            return;
          }
          if (code === CLOSE_CODES.badToken) {
            authFailures += 1;
            if (typeof options.url === 'string' || authFailures >= MAX_AUTH_FAILURES) {
              closing = true;
              reportError({ code: 'UNAUTHENTICATED', message: 'the gateway refused the token (4001); log in again and open a new socket' });
              setState('closed', code);
              return;
            }
          }
          reconnectLater(code);
        },
      },
      { handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS },
    );
    socket = current;
  }

  function reconnectLater(closeCode?: number): void {
    setState('waiting', closeCode);
    later(backoff.next(), () => void connect());
  }

  void connect();

  return {
    subscribe(talkId, afterSeq) {
      send(session.subscribe(talkId, afterSeq));
      wakeSettled();
    },
    unsubscribe(talkId) {
      send(session.unsubscribe(talkId));
      wakeSettled();
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onError(listener) {
      errorListeners.add(listener);
      return () => errorListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    typing(talkId) {
      if (socket?.state === 'open' && typingPacer.pass(talkId, Date.now())) send([{ type: 'typing', talk_id: talkId }]);
    },
    onTyping(listener) {
      typingListeners.add(listener);
      return () => typingListeners.delete(listener);
    },
    onRead(listener) {
      readListeners.add(listener);
      return () => readListeners.delete(listener);
    },
    subscribePresence(agentIds) {
      const fresh = [...new Set(agentIds)].filter((id) => !presenceFollowed.has(id));
      for (const id of fresh) presenceFollowed.add(id);
      send(presenceFrames('presence_subscribe', fresh));
    },
    unsubscribePresence(agentIds) {
      const followed = [...new Set(agentIds)].filter((id) => presenceFollowed.delete(id));
      send(presenceFrames('presence_unsubscribe', followed));
    },
    onPresence(listener) {
      presenceListeners.add(listener);
      return () => presenceListeners.delete(listener);
    },
    lastSeq: (talkId) => session.lastSeq(talkId),
    settled(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (session.settled() && !listing) {
            done();
            resolve();
          } else if (state === 'closed') {
            done();
            reject(new Error('the socket was closed before its subscriptions were confirmed'));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`not settled within ${timeoutMs} ms (state ${state}; talks ${session.subscribedTalks().join(', ')})`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          settleWaiters.delete(check);
        };
        settleWaiters.add(check);
        check();
      });
    },
    pause() {
      paused = true;
      socket?.pause();
    },
    resume() {
      paused = false;
      socket?.resume();
    },
    stats: () => ({ ...session.stats(), reconnects: Math.max(0, opened - 1), closeCodes: { ...closeCodes } }),
    close() {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const current = socket;
      if (current === undefined || current.state === 'closed') {
        setState('closed');
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        closedForGood = resolve;
        if (current.state === 'connecting') current.terminate();
        else current.close(CLOSE_CODES.normal, 'client closed');
      });
    },
  };
}

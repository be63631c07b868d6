/**
 * One NATS subscription per talk per gateway process, shared by every local connection subscribed
 * to that talk (reference-counted). The feed hands events to its listeners strictly in `seq`
 * order, each once: it drops what it already passed on and fills a gap (an event published late
 * by another API replica) from the event log, where every seq below a recorded one exists. Beside
 * it, a subscription to the talk's typing subject hands who is typing to the same listeners
 * (typing.ts), at most once per agent and window, and one to its read subject who has read how far
 * (reads.ts).
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { parseEventJson, type TalkChangeEvent } from '@talk/shared/events';
import type { Logger } from '@talk/shared/logger';
import type { Subjects } from '@talk/shared/subjects';
import type { EventLog } from '@talk/store/write-pipeline/event-log';
import { eventFrame } from '../ws/frames';
import { readItemOf, type ReadItem } from './reads';
import { TypingMessage, typingItem, type TypingItem } from './typing';
import { createTypingThrottle } from './typing-throttle';
import type { WireFrame } from '../ws/wire-frame';

export interface FeedItem {
  readonly event: TalkChangeEvent;
  /** The `event` frame, serialised, encoded and framed once for every connection. */
  readonly frame: WireFrame;
}

export interface TalkListener {
  onTalkEvent(item: FeedItem): void;
  onTyping(item: TypingItem): void;
  onRead(item: ReadItem): void;
}

export interface TalkFeed {
  /** Starts delivering the talk to `listener`; resolves with the seq of the last event already passed on. */
  join(talkId: string, listener: TalkListener): Promise<number>;
  leave(talkId: string, listener: TalkListener): void;
  /** Talks with a live subscription in this process. */
  talkCount(): number;
  close(): void;
}

interface TalkState {
  readonly listeners: Set<TalkListener>;
  /** Settles once the subscription is live and `position` is known. */
  ready: Promise<void>;
  subscription: Subscription | undefined;
  typing: Subscription | undefined;
  reads: Subscription | undefined;
  position: number;
  /** Serialises processing so that gap filling keeps the order. */
  chain: Promise<void>;
}

const GAP_FILL_PAGE = 1_000;

export function createTalkFeed(nc: NatsConnection, subjects: Subjects, events: EventLog, log: Logger, now: () => number = Date.now): TalkFeed {
  const talks = new Map<string, TalkState>();
  const typingThrottle = createTypingThrottle();

  function onTyping(talkId: string, state: TalkState, json: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      raw = undefined;
    }
    const parsed = TypingMessage.safeParse(raw);
    if (!parsed.success || parsed.data.talk_id !== talkId) {
      log.warn({ talkId }, 'dropped an invalid typing message');
      return;
    }
    // The sender's time, but never one ahead of this clock: a gateway whose clock runs fast cannot hold back the next one.
    if (!typingThrottle.pass(talkId, parsed.data.agent_id, Math.min(parsed.data.at, now()))) return;
    const item = typingItem(talkId, parsed.data.agent_id);
    for (const listener of state.listeners) listener.onTyping(item);
  }

  function unsubscribe(state: TalkState): void {
    state.subscription?.unsubscribe();
    state.typing?.unsubscribe();
    state.reads?.unsubscribe();
  }

  function onRead(talkId: string, state: TalkState, json: string): void {
    const item = readItemOf(json);
    if (item?.talkId !== talkId) {
      log.warn({ talkId }, 'dropped an invalid read notice');
      return;
    }
    for (const listener of state.listeners) listener.onRead(item);
  }

  function dispatch(state: TalkState, item: FeedItem): void {
    state.position = item.event.seq;
    for (const listener of state.listeners) listener.onTalkEvent(item);
  }

  async function process(talkId: string, state: TalkState, event: TalkChangeEvent, json: string): Promise<void> {
    if (event.seq <= state.position) return;
    while (event.seq > state.position + 1) {
      const missing = await events.listAfter(talkId, state.position, Math.min(GAP_FILL_PAGE, event.seq - state.position - 1));
      if (missing.length === 0) {
        log.error({ talkId, from: state.position + 1, to: event.seq - 1 }, 'event log lacks events below a published one');
        break;
      }
      log.debug({ talkId, filled: missing.length }, 'filled a gap from the event log');
      for (const filled of missing) dispatch(state, { event: filled, frame: eventFrame(JSON.stringify(filled)) });
    }
    dispatch(state, { event, frame: eventFrame(json) });
  }

  function onMessage(talkId: string, state: TalkState, json: string): void {
    const parsed = parseEventJson(json);
    if (parsed.kind === 'unknown_type') {
      log.info({ talkId, type: parsed.type }, 'skipped an event of an unknown type');
      return;
    }
    if (parsed.kind === 'invalid') {
      log.warn({ talkId, problem: parsed.problem }, 'dropped an invalid event');
      return;
    }
    const { event } = parsed;
    state.chain = state.chain
      .then(() => process(talkId, state, event, json))
      .catch((error: unknown) => {
        log.error({ err: error, talkId, seq: event.seq }, 'could not fill a gap; delivering from the newest event on');
        state.position = Math.max(state.position, event.seq);
      });
  }

  async function open(talkId: string, state: TalkState): Promise<void> {
    const subscription = nc.subscribe(subjects.talkEvents(talkId), {
      callback: (error, msg) => {
        if (error !== null) log.warn({ err: error, talkId }, 'talk subscription error');
        else onMessage(talkId, state, msg.string());
      },
    });
    state.subscription = subscription;
    state.typing = nc.subscribe(subjects.typing(talkId), {
      callback: (error, msg) => {
        if (error !== null) log.warn({ err: error, talkId }, 'typing subscription error');
        else onTyping(talkId, state, msg.string());
      },
    });
    state.reads = nc.subscribe(subjects.readsInTalk(talkId), {
      callback: (error, msg) => {
        if (error !== null) log.warn({ err: error, talkId }, 'read subscription error');
        else onRead(talkId, state, msg.string());
      },
    });
    await nc.flush(); // the server now routes the talk's events here
    state.position = await events.lastSeq(talkId);
  }

  return {
    async join(talkId, listener) {
      let state = talks.get(talkId);
      if (state === undefined) {
        const created: TalkState = {
          listeners: new Set(),
          subscription: undefined,
          typing: undefined,
          reads: undefined,
          position: 0,
          chain: Promise.resolve(),
          ready: Promise.resolve(),
        };
        created.ready = open(talkId, created);
        created.chain = created.ready.catch(() => undefined);
        created.ready.catch(() => {
          if (talks.get(talkId) === created) talks.delete(talkId);
          unsubscribe(created);
        });
        talks.set(talkId, created);
        state = created;
      }
      await state.ready;
      state.listeners.add(listener);
      return state.position;
    },

    leave(talkId, listener) {
      const state = talks.get(talkId);
      if (state === undefined || !state.listeners.delete(listener)) return;
      if (state.listeners.size === 0) {
        talks.delete(talkId);
        unsubscribe(state);
      }
    },

    talkCount: () => talks.size,

    close() {
      for (const state of talks.values()) unsubscribe(state);
      talks.clear();
    },
  };
}

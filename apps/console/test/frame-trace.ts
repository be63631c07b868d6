/**
 * Frame figures from a Chromium performance trace (`browser.startTracing` with FRAME_CATEGORIES):
 * what an agent sees while scrolling, read the way DevTools' frames track reads it.
 *
 * - Every vsync the compositor begins a frame, numbered by `frame_sequence`, and reports its fate
 *   in `PipelineReporter` events: presented (all or partially updated), dropped, or no update
 *   wanted (the screen was already right). Several reporters can speak for one sequence (a frame
 *   forked for the main thread); a sequence counts as presented when any of them presented it, as
 *   dropped when all of them dropped it.
 * - The *frame time* of a presented frame is how long the screen stood still before it: one vsync,
 *   plus one for each dropped frame right before it. 16.7 ms at 60 Hz is perfectly smooth.
 * - *Main-thread frames* are the trace's `AnimationFrame` spans: the renderer's work for one frame
 *   (tasks, script, style, layout, paint). Past 50 ms one is a long animation frame, which an agent
 *   feels as a stutter.
 */
import { z } from 'zod';
import { percentile, round } from '../../../bench/lib/stats';

export const FRAME_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline.frame'] as const;

/** A main-thread frame longer than this is a long animation frame (the web's LoAF threshold). */
export const LONG_FRAME_MS = 50;

/** The three kinds of trace event read here; every other event is passed over. */
const FrameEvent = z.discriminatedUnion('name', [
  z.object({
    name: z.literal('PipelineReporter'),
    ph: z.literal('b'),
    args: z.object({ frame_reporter: z.object({ frame_sequence: z.number(), state: z.string() }) }),
  }),
  z.object({ name: z.literal('BeginFrame'), ts: z.number(), args: z.object({ frameSeqId: z.number() }) }),
  z.object({ name: z.literal('AnimationFrame'), ph: z.enum(['s', 'f']), id: z.union([z.number(), z.string()]), ts: z.number() }),
]);

const Trace = z.object({ traceEvents: z.array(z.unknown()) });

type FrameFate = 'presented' | 'partial' | 'dropped' | 'idle';

export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface FrameFigures {
  /** The vsync interval the trace shows, ms (16.7 at 60 Hz). */
  readonly vsyncMs: number;
  readonly frames: Readonly<Record<FrameFate, number>>;
  /** Dropped among frames that had something to show, percent. */
  readonly droppedPercent: number;
  /** Presented frames' frame time, ms. */
  readonly frameTimeMs: Distribution;
  /** Main-thread work per frame, ms. */
  readonly mainThreadFrameMs: Distribution;
  readonly longAnimationFrames: number;
}

export function frameFigures(traceJson: string): FrameFigures {
  const events = Trace.parse(JSON.parse(traceJson)).traceEvents;
  const fates = new Map<number, FrameFate[]>();
  const begun: { sequence: number; ts: number }[] = [];
  const opened = new Map<string | number, number>();
  const mainThreadFrames: number[] = [];
  for (const raw of events) {
    const parsed = FrameEvent.safeParse(raw);
    if (!parsed.success) continue;
    const event = parsed.data;
    if (event.name === 'PipelineReporter') {
      const { frame_sequence: sequence, state } = event.args.frame_reporter;
      fates.set(sequence, [...(fates.get(sequence) ?? []), fateOf(state)]);
    } else if (event.name === 'BeginFrame') {
      begun.push({ sequence: event.args.frameSeqId, ts: event.ts });
    } else if (event.ph === 's') {
      opened.set(event.id, event.ts);
    } else {
      const start = opened.get(event.id);
      if (start !== undefined) mainThreadFrames.push((event.ts - start) / 1_000);
      opened.delete(event.id);
    }
  }

  const vsyncMs = vsyncOf(begun);
  const byFrame = [...fates.entries()].sort(([a], [b]) => a - b).map(([sequence, reported]) => ({ sequence, fate: settle(reported) }));
  const frames: Record<FrameFate, number> = { presented: 0, partial: 0, dropped: 0, idle: 0 };
  const frameTimes: number[] = [];
  let droppedBefore = 0;
  let previousSequence: number | undefined;
  for (const { sequence, fate } of byFrame) {
    frames[fate] += 1;
    // A sequence no reporter spoke for was not begun: nothing was waiting to be shown.
    if (previousSequence !== undefined && sequence !== previousSequence + 1) droppedBefore = 0;
    previousSequence = sequence;
    if (fate === 'dropped') droppedBefore += 1;
    else {
      if (fate !== 'idle') frameTimes.push((droppedBefore + 1) * vsyncMs);
      droppedBefore = 0;
    }
  }
  const shown = frames.presented + frames.partial;
  return {
    vsyncMs: round(vsyncMs),
    frames,
    droppedPercent: shown + frames.dropped === 0 ? 0 : round((100 * frames.dropped) / (shown + frames.dropped)),
    frameTimeMs: distribution(frameTimes),
    mainThreadFrameMs: distribution(mainThreadFrames),
    longAnimationFrames: mainThreadFrames.filter((ms) => ms > LONG_FRAME_MS).length,
  };
}

function fateOf(state: string): FrameFate {
  if (state === 'STATE_PRESENTED_ALL') return 'presented';
  if (state === 'STATE_PRESENTED_PARTIAL') return 'partial';
  if (state === 'STATE_DROPPED') return 'dropped';
  return 'idle';
}

/** One sequence's fate from all its reporters: presented beats partial beats dropped beats idle. */
function settle(reported: readonly FrameFate[]): FrameFate {
  for (const fate of ['presented', 'partial', 'dropped'] as const) if (reported.includes(fate)) return fate;
  return 'idle';
}

/** The typical time per sequence number between begun frames, ms; 60 Hz when the trace holds too few. */
function vsyncOf(begun: readonly { readonly sequence: number; readonly ts: number }[]): number {
  const sorted = [...begun].sort((a, b) => a.sequence - b.sequence);
  const perVsync = sorted.slice(1).flatMap((frame, i) => {
    const previous = sorted[i];
    if (previous === undefined || frame.sequence === previous.sequence) return [];
    return [(frame.ts - previous.ts) / 1_000 / (frame.sequence - previous.sequence)];
  });
  return perVsync.length < 10 ? 1_000 / 60 : percentile(perVsync, 50);
}

const distribution = (samples: readonly number[]): Distribution => ({
  count: samples.length,
  p50: round(percentile(samples, 50)),
  p95: round(percentile(samples, 95)),
  p99: round(percentile(samples, 99)),
  max: round(percentile(samples, 100)),
});

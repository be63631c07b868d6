import { frameFigures } from '../frame-trace';

const VSYNC_US = 16_667;

/** A compositor frame's begin and its reporters' verdicts, as Chromium traces them. */
function frame(sequence: number, ...states: string[]): unknown[] {
  const ts = sequence * VSYNC_US;
  return [
    { name: 'BeginFrame', ph: 'I', ts, args: { frameSeqId: sequence } },
    ...states.map((state) => ({ name: 'PipelineReporter', ph: 'b', ts, args: { frame_reporter: { frame_sequence: sequence, state } } })),
    { name: 'PipelineReporter', ph: 'e', ts: ts + 5_000, args: {} },
  ];
}

const animationFrame = (id: number, startUs: number, durationUs: number): unknown[] => [
  { name: 'AnimationFrame', ph: 's', id, ts: startUs },
  { name: 'AnimationFrame', ph: 'f', id, ts: startUs + durationUs },
];

const trace = (...events: unknown[][]): string => JSON.stringify({ traceEvents: [{ name: 'thread_name', ph: 'M' }, ...events.flat()] });

describe('frameFigures', () => {
  it('gives a presented frame one vsync, plus one for each frame dropped right before it', () => {
    const figures = frameFigures(
      trace(
        ...Array.from({ length: 12 }, (_, i) => frame(i + 1, 'STATE_NO_UPDATE_DESIRED')),
        frame(13, 'STATE_PRESENTED_ALL'),
        frame(14, 'STATE_DROPPED'),
        frame(15, 'STATE_DROPPED'),
        frame(16, 'STATE_PRESENTED_ALL'),
        frame(17, 'STATE_NO_UPDATE_DESIRED'),
        frame(18, 'STATE_PRESENTED_PARTIAL'),
      ),
    );
    expect(figures.vsyncMs).toBeCloseTo(16.7, 1);
    expect(figures.frames).toEqual({ presented: 2, partial: 1, dropped: 2, idle: 13 });
    expect(figures.droppedPercent).toBe(40);
    expect(figures.frameTimeMs).toEqual({ count: 3, p50: 16.7, p95: 50, p99: 50, max: 50 });
  });

  it('settles a frame forked into several reporters by the best of them, and dropped only when none presented', () => {
    const figures = frameFigures(trace(frame(1, 'STATE_DROPPED', 'STATE_PRESENTED_PARTIAL'), frame(2, 'STATE_NO_UPDATE_DESIRED', 'STATE_DROPPED'), frame(3, 'STATE_PRESENTED_ALL', 'STATE_DROPPED')));
    expect(figures.frames).toEqual({ presented: 1, partial: 1, dropped: 1, idle: 0 });
    expect(figures.frameTimeMs.max).toBeCloseTo(2 * (1_000 / 60), 0);
  });

  it('does not carry dropped frames across a gap in the sequence, where no frame was begun', () => {
    const figures = frameFigures(trace(frame(1, 'STATE_DROPPED'), frame(40, 'STATE_PRESENTED_ALL')));
    expect(figures.frameTimeMs.max).toBeCloseTo(1_000 / 60, 0);
  });

  it('measures main-thread frames from their AnimationFrame spans and counts those past 50 ms', () => {
    const figures = frameFigures(trace(animationFrame(1, 0, 10_000), animationFrame(2, 20_000, 80_000), animationFrame(3, 120_000, 51_000), [{ name: 'AnimationFrame', ph: 's', id: 4, ts: 200_000 }]));
    expect(figures.mainThreadFrameMs).toEqual({ count: 3, p50: 51, p95: 80, p99: 80, max: 80 });
    expect(figures.longAnimationFrames).toBe(2);
  });

  it('refuses what is not a trace', () => {
    expect(() => frameFigures('{"events": []}')).toThrow();
  });
});

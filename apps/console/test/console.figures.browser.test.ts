/**
 * A talk of 5,000 messages in the console, and the console's figures (issue 14), measured in
 * Chromium against the real services behind nginx:
 *
 * - frame time while scrolling, from a Chromium performance trace (frame-trace.ts): up through
 *   the history while it loads, SCROLLED_BACK messages of it, then down through all that is
 *   loaded, the rows rendered staying those on screen (console.browser.test.ts scrolls a talk
 *   to its start);
 * - time from navigation to an interactive talk list, in a fresh context (empty HTTP cache) and
 *   on a reload (cached).
 *
 * The figures are reported, never asserted: this machine shares two cores between the browser,
 * the services and the database. They go to `.data/console-figures.json` and to stderr;
 * docs/benchmarks.md ("Console") holds a run's figures with its noise stated.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { eventually } from '@talk/shared/testing/eventually';
import { median, percentile, round } from '../../../bench/lib/stats';
import { createCustomer, createGroupTalk, type TestAgent, type TestCustomer } from '../../../test/support/fixtures';
import { startFrontDoor, type FrontDoor } from '../../../test/support/front-door';
import { startStack, type Stack } from '../../../test/support/stack';
import { openAgentPage, signIn } from './agent-page';
import { launchChromium } from './browser';
import { FRAME_CATEGORIES, frameFigures, type FrameFigures } from './frame-trace';

jest.setTimeout(600_000);

const MESSAGES = 5_000;
/** The other talks in Alice's list, so that the list measured is a working day's, not one row. */
const OTHER_TALKS = 40;
/** Loads of the talk list measured for each of the two cases. */
const LOADS = 5;
/** One scroll step: a fast wheel (about 7,000 px/s at the pace below), then one animation frame. */
const WHEEL_PX = 240;
/**
 * How far back the upward scroll goes. Not to the start: on FerretDB v1 (the dev servers) each
 * older page costs O(the talk's messages), about a second here for 5,000 (docs/storage.md), so
 * the whole history would take minutes; on MongoDB a page is an index range.
 */
const SCROLLED_BACK = 500;
/** How long a traced scroll may run before the test calls it stuck. */
const SCROLL_LIMIT_MS = 180_000;

const FIGURES_FILE = join(__dirname, '..', '..', '..', '.data', 'console-figures.json');

let stack: Stack;
let frontDoor: FrontDoor;
let browser: Browser;
let acme: TestCustomer<readonly ['Alice', 'Bob']>;
let longTalkId: string;
const contexts: BrowserContext[] = [];
const figures: Record<string, unknown> = {};

const origin = (): string => `http://127.0.0.1:${frontDoor.port}`;
const messages = (page: Page): Locator => page.getByRole('region', { name: 'Messages' });
const running: (() => Promise<unknown>)[] = [];

/** What the machine was doing: the figures mean little without it. */
const machine = (): Record<string, unknown> => ({ cores: cpus().length, load_average_1m: round(loadavg()[0] ?? 0) });

beforeAll(async () => {
  stack = await startStack('console-figures', { apis: 2, gateways: 1 });
  running.push(() => stack.stop());
  frontDoor = await startFrontDoor(stack);
  running.push(() => frontDoor.stop());
  browser = await launchChromium();
  running.push(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
  });
  acme = await createCustomer(frontDoor.rest, ['Alice', 'Bob']);
  const [alice, bob] = acme.agents;
  for (let i = 1; i <= OTHER_TALKS; i += 1) {
    const talk = await createGroupTalk(frontDoor.rest, alice, [bob], `Team ${i}`);
    await post(talk.id, i % 2 === 0 ? alice : bob, `Hello from team ${i}`);
  }
  longTalkId = (await createGroupTalk(frontDoor.rest, alice, [bob], 'Long history')).id;
  const started = Date.now();
  await seedHistory(longTalkId, alice, bob);
  figures['seeding'] = { messages: MESSAGES, seconds: round((Date.now() - started) / 1_000) };
});

afterAll(async () => {
  mkdirSync(join(FIGURES_FILE, '..'), { recursive: true });
  writeFileSync(FIGURES_FILE, `${JSON.stringify({ measured_at: new Date().toISOString(), ...figures }, null, 2)}\n`);
  process.stderr.write(`console figures (${FIGURES_FILE}):\n${JSON.stringify(figures, null, 2)}\n`);
  for (const stop of running.reverse()) await stop();
});

async function post(talkId: string, author: TestAgent, text: string): Promise<void> {
  const response = await frontDoor.rest.request('POST', `/v1.0/talks/${talkId}/messages`, { token: author.token, body: { text } });
  if (response.status !== 201) throw new Error(`seeding a message answered ${response.status}: ${JSON.stringify(response.body)}`);
}

/**
 * Through the public API, as agents would write it: the first message alone, so that it is first,
 * the rest 50 at a time. Every fifth is a paragraph, so that rows differ in height as they do.
 */
async function seedHistory(talkId: string, alice: TestAgent, bob: TestAgent): Promise<void> {
  await post(talkId, alice, 'History line 1');
  for (let first = 2; first <= MESSAGES; first += 50) {
    const numbers = Array.from({ length: Math.min(50, MESSAGES - first + 1) }, (_, i) => first + i);
    await Promise.all(
      numbers.map((n) =>
        post(
          talkId,
          n % 2 === 0 ? alice : bob,
          n % 5 === 0 ? `History line ${n}: ${'a longer note about the customer’s case, which wraps over a few lines '.repeat(3)}` : `History line ${n}`,
        ),
      ),
    );
  }
}

async function alicePage(): Promise<Page> {
  const { context, page } = await openAgentPage(browser);
  contexts.push(context);
  await signIn(page, origin(), acme.id, 'alice');
  await page.getByRole('heading', { name: 'Welcome, Alice' }).waitFor();
  return page;
}

const scrollTop = (page: Page): Promise<{ readonly top: number; readonly bottomGap: number }> =>
  messages(page).evaluate((element) => ({ top: element.scrollTop, bottomGap: element.scrollHeight - element.scrollTop - element.clientHeight }));

/** The number of the oldest "History line n" rendered, if any is. */
async function oldestShown(page: Page): Promise<number | undefined> {
  const first = await messages(page).getByText(/^History line \d+/).first().textContent({ timeout: 1_000 }).catch(() => null);
  const n = first === null ? undefined : /^History line (\d+)/.exec(first)?.[1];
  return n === undefined ? undefined : Number(n);
}

/** Wheels `direction` one step a frame until `done`, with a performance trace of it all. */
async function tracedScroll(page: Page, direction: 1 | -1, done: () => Promise<boolean>): Promise<{ readonly seconds: number; readonly frames: FrameFigures }> {
  await messages(page).hover();
  await browser.startTracing(page, { categories: [...FRAME_CATEGORIES] });
  const start = Date.now();
  let trace: Buffer;
  try {
    for (let step = 0; !(step % 10 === 0 && (await done())); step += 1) {
      if (Date.now() - start > SCROLL_LIMIT_MS) throw new Error(`the scroll did not reach its end within ${SCROLL_LIMIT_MS} ms`);
      await page.mouse.wheel(0, direction * WHEEL_PX);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    }
  } finally {
    trace = await browser.stopTracing();
  }
  return { seconds: round((Date.now() - start) / 1_000), frames: frameFigures(trace.toString('utf8')) };
}

describe('a talk of 5,000 messages', () => {
  let page: Page;

  it('opens at the newest message, rendering only the rows on screen', async () => {
    page = await alicePage();
    await page.goto(`${origin()}/talks/${longTalkId}`);
    await messages(page).getByRole('article').last().waitFor();
    expect(await messages(page).getByRole('listitem').count()).toBeLessThan(60);
  });

  it(`scrolls up through the history, loading older pages, ${SCROLLED_BACK} messages back`, async () => {
    const { seconds, frames } = await tracedScroll(page, -1, async () => ((await oldestShown(page)) ?? MESSAGES) <= MESSAGES - SCROLLED_BACK);
    expect(await messages(page).getByRole('listitem').count()).toBeLessThan(60);
    // A trace that saw no frame measured nothing: the figure would be a lie.
    expect(frames.frames.presented).toBeGreaterThan(0);
    figures['scroll_up_loading_history'] = { ...machine(), messages_back: SCROLLED_BACK, seconds, wheel_px_per_frame: WHEEL_PX, ...frames };
  });

  it('scrolls down through all that is loaded to the newest', async () => {
    const { seconds, frames } = await tracedScroll(page, 1, async () => (await scrollTop(page)).bottomGap < 2);
    expect(await messages(page).getByRole('listitem').count()).toBeLessThan(60);
    expect(frames.frames.presented).toBeGreaterThan(0);
    figures['scroll_down_loaded'] = { ...machine(), seconds, wheel_px_per_frame: WHEEL_PX, ...frames };
  });
});

describe('the talk list', () => {
  /** Marks the moment the first talk row is in the page: React has rendered it with its handlers. */
  const markTalkListShown = (): void => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('[aria-label="Active talks"] button') === null) return;
      performance.mark('talk-list-shown');
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  };

  /** From navigation start to the mark, ms, as the page's own clock tells it. */
  async function timeToTalkList(page: Page, navigate: () => Promise<unknown>): Promise<number> {
    await navigate();
    await page.getByRole('list', { name: 'Active talks' }).getByRole('button').first().waitFor();
    return eventually(async () => {
      const shown = await page.evaluate(() => performance.getEntriesByName('talk-list-shown')[0]?.startTime);
      if (shown === undefined) throw new Error('the talk list was shown but not marked');
      return shown;
    }, 5_000);
  }

  const summary = (samples: readonly number[]): Record<string, number> => ({
    loads: samples.length,
    median_ms: round(median(samples)),
    max_ms: round(percentile(samples, 100)),
  });

  it('is interactive soon after navigation, in a fresh context and on a reload', async () => {
    const signedIn = await alicePage();
    const session = await signedIn.evaluate(() => Object.entries(sessionStorage));
    const fresh: number[] = [];
    for (let load = 0; load < LOADS; load += 1) {
      // Closed below; the browser's close takes it if a step fails first.
      const { context, page } = await openAgentPage(browser);
      // The same tab session, and nothing cached: the first visit of a signed-in tab.
      await context.addInitScript((entries: readonly (readonly [string, string])[]) => {
        for (const [key, value] of entries) sessionStorage.setItem(key, value);
      }, session);
      await context.addInitScript(markTalkListShown);
      fresh.push(await timeToTalkList(page, () => page.goto(origin())));
      await context.close();
    }
    await signedIn.context().addInitScript(markTalkListShown);
    const reloaded: number[] = [];
    for (let load = 0; load < LOADS; load += 1) reloaded.push(await timeToTalkList(signedIn, () => signedIn.reload()));
    expect(await signedIn.getByRole('list', { name: 'Active talks' }).getByRole('button').count()).toBe(OTHER_TALKS + 1);
    figures['time_to_interactive_talk_list'] = { ...machine(), talks: OTHER_TALKS + 1, fresh_context: summary(fresh), reload: summary(reloaded) };
  });
});

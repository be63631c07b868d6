/**
 * The console in Chromium against the real services (two API replicas and the notifier in-process,
 * the gateway as a process of its own, so that a test can SIGKILL it) behind nginx, which serves
 * the console's build at / as in `npm run stack`. Two
 * browser contexts are two agents, Alice and Bob, each with its own tab storage. Everything here
 * happens in the pages; the live tests at the end check what each tab hears over its one WebSocket
 * (the reference client in the browser), without reloads.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { z } from 'zod';
import { Agent, Talk } from '@talk/shared/schemas';
import { eventually } from '@talk/shared/testing/eventually';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, PASSWORD, type TestCustomer } from '../../../test/support/fixtures';
import { startNginx, type FrontDoor } from '../../../test/support/front-door';
import { spawnService, type ServiceProcess } from '../../../test/support/service-process';
import { startStack, type Stack } from '../../../test/support/stack';
import { openAgentPage, signIn as signInAt } from './agent-page';
import { launchChromium, screenshot, seriousViolations } from './browser';

jest.setTimeout(120_000);

let stack: Stack;
let frontDoor: FrontDoor;
/** The one gateway behind nginx; a test kills it and starts another on its port. */
let gateway: ServiceProcess;
let browser: Browser;
let acme: TestCustomer<readonly ['Alice', 'Bob', 'Carol']>;
const contexts: BrowserContext[] = [];
let alice: Page;
let bob: Page;

/** How soon a change made in one tab shows in the other (issue 14: within a second). */
const LIVE_WITHIN_MS = 1_000;

const origin = (): string => `http://127.0.0.1:${frontDoor.port}`;

async function newPage(): Promise<Page> {
  const { context, page } = await openAgentPage(browser);
  contexts.push(context);
  return page;
}

const signIn = (page: Page, username: string, password?: string): Promise<void> => signInAt(page, origin(), acme.id, username, password);

const visible = async (locator: Locator): Promise<Locator> => {
  await locator.waitFor({ state: 'visible' });
  return locator;
};

async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
}

const messages = (page: Page): Locator => page.getByRole('region', { name: 'Messages' });
const composer = (page: Page, talkName: string): Locator => page.getByRole('textbox', { name: `Message ${talkName}` });
const talkRow = (page: Page, name: string): Locator => page.getByRole('list', { name: 'Active talks' }).getByRole('button', { name: new RegExp(name) });

/** What beforeAll started, stopped newest first even when a later step failed. */
const started: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  stack = await startStack('console', { apis: 2, gateways: 0, notifiers: 1 });
  started.push(() => stack.stop());
  gateway = await spawnService('gateway', stack);
  // The gateway is replaced by a test: whichever runs at the end is stopped.
  started.push(() => gateway.terminate());
  frontDoor = await startNginx(
    stack.apis.map((api) => api.port),
    [gateway.port],
  );
  started.push(() => frontDoor.stop());
  browser = await launchChromium();
  started.push(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
  });
  acme = await createCustomer(frontDoor.rest, ['Alice', 'Bob', 'Carol']);
  alice = await newPage();
  bob = await newPage();
});

afterAll(async () => {
  for (const stop of started.reverse()) await stop();
});

describe('the console', () => {
  it('is served at / with the SPA fallback, and says why a sign-in failed', async () => {
    const deep = await fetch(`${origin()}/talks/00000000-0000-4000-8000-000000000000`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');

    await signIn(alice, 'alice', 'not the password');
    await visible(alice.getByRole('alert').filter({ hasText: 'do not match an active agent' }));
    await expectAccessible(alice, 'sign-in');
    await screenshot(alice, 'console-sign-in');

    await alice.getByLabel('Password').fill(PASSWORD);
    await alice.getByRole('button', { name: 'Sign in' }).click();
    await visible(alice.getByRole('heading', { name: 'Welcome, Alice' }));
    await expectAccessible(alice, 'empty workspace');
  });

  it('keeps the session for the tab across a reload', async () => {
    await alice.reload();
    await visible(alice.getByRole('heading', { name: 'Welcome, Alice' }));
  });

  it('creates a group talk with Bob, picked by name from the customer’s agents; Bob finds it in his list with an unread count', async () => {
    await alice.getByRole('button', { name: 'New talk' }).click();
    const dialog = await visible(alice.getByRole('dialog', { name: 'New talk' }));
    // Every colleague, by name, the signed-in agent left out.
    await visible(dialog.getByRole('checkbox', { name: /^Carol/ }));
    expect(await dialog.getByRole('checkbox', { name: /^Alice/ }).count()).toBe(0);
    await expectAccessible(alice, 'new talk dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Q1 Project');
    await dialog.getByLabel('Find an agent by name').fill('bo');
    await dialog.getByRole('checkbox', { name: /^Carol/ }).waitFor({ state: 'detached' });
    await dialog.getByRole('checkbox', { name: /^Bob/ }).check();
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await visible(alice.getByRole('heading', { level: 1, name: 'Q1 Project' }));
    expect(alice.url()).toMatch(/\/talks\/[0-9a-f-]{36}$/);

    await composer(alice, 'Q1 Project').fill('Sprint 1 completed!');
    await composer(alice, 'Q1 Project').press('Enter');
    await visible(messages(alice).getByText('Sprint 1 completed!'));
    // The socket may show the message before the send's own answer clears the box.
    await eventually(async () => expect(await composer(alice, 'Q1 Project').inputValue()).toBe(''), 5_000, 50);

    await signIn(bob, 'bob');
    await visible(talkRow(bob, 'Q1 Project'));
    await eventually(async () => expect(await talkRow(bob, 'Q1 Project').textContent()).toContain('1 unread'), 15_000, 250);
    await expectAccessible(bob, 'talk list');
  });

  it('exchanges messages both ways, Shift+Enter making a new line, and shows them after a reload', async () => {
    await talkRow(bob, 'Q1 Project').click();
    await visible(messages(bob).getByText('Sprint 1 completed!'));
    // The notifier's system message, styled apart from the agents' messages.
    await visible(messages(bob).getByText(/joined the conversation/).first());
    const box = composer(bob, 'Q1 Project');
    await box.fill('Great work');
    await box.press('Shift+Enter');
    await box.pressSequentially('on to sprint 2');
    await box.press('Enter');
    await visible(messages(bob).getByText(/Great work\s+on to sprint 2/));
    // Bob read it all at the bottom of the talk: his marker moved and the badge is gone.
    await eventually(async () => expect(await talkRow(bob, 'Q1 Project').textContent()).not.toContain('unread'), 15_000, 250);

    await alice.reload();
    await visible(messages(alice).getByText(/Great work\s+on to sprint 2/));
    await expectAccessible(alice, 'talk');
  });

  it('lists the participants by name and mentions Bob with @ autocomplete; Bob sees the mention badge', async () => {
    await bob.goto(origin());
    await alice.getByRole('button', { name: 'Details' }).click();
    const details = await visible(alice.getByRole('complementary', { name: 'Details' }));
    await visible(details.getByText('Bob', { exact: true }));
    await visible(details.getByText('Alice (you)', { exact: true }));
    // Only those not in the talk yet are offered.
    await visible(details.getByRole('radio', { name: /^Carol/ }));
    expect(await details.getByRole('radio', { name: /^Bob/ }).count()).toBe(0);
    await expectAccessible(alice, 'details panel');
    await alice.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });

    const box = composer(alice, 'Q1 Project');
    await box.pressSequentially('Thanks @Bo');
    await visible(alice.getByRole('option', { name: '@Bob' }));
    await box.press('Enter');
    await box.pressSequentially('for the review');
    expect(await box.inputValue()).toBe('Thanks @Bob for the review');
    await box.press('Enter');
    await visible(messages(alice).getByText('Thanks @Bob for the review'));

    await bob.reload();
    await eventually(async () => expect(await talkRow(bob, 'Q1 Project').textContent()).toContain('mentioning you'), 15_000, 250);
  });

  it('replies in a thread beside the talk, counts the replies on the root, and closes the panel with Esc', async () => {
    const root = messages(alice).getByRole('article').filter({ hasText: 'Sprint 1 completed!' });
    await root.hover();
    await root.getByRole('button', { name: 'Reply in thread' }).click();
    const thread = await visible(alice.getByRole('complementary', { name: 'Thread' }));
    const reply = thread.getByRole('textbox', { name: 'Reply in thread' });
    await reply.fill('Release notes are in the wiki');
    await reply.press('Enter');
    await visible(thread.getByRole('list', { name: 'Replies' }).getByText('Release notes are in the wiki'));
    await visible(root.getByRole('button', { name: '1 reply' }));
    await expectAccessible(alice, 'thread panel');

    await bob.getByRole('button', { name: /Q1 Project/ }).click();
    const bobRoot = messages(bob).getByRole('article').filter({ hasText: 'Sprint 1 completed!' });
    await bobRoot.getByRole('button', { name: '1 reply' }).click();
    const bobThread = await visible(bob.getByRole('complementary', { name: 'Thread' }));
    await visible(bobThread.getByText('Release notes are in the wiki'));
    await bob.keyboard.press('Escape');
    await bobThread.waitFor({ state: 'detached' });
  });

  it('reacts from the picker and by free entry, with counts and who reacted; a second click takes it back', async () => {
    const root = messages(alice).getByRole('article').filter({ hasText: 'Sprint 1 completed!' });
    await root.getByRole('button', { name: 'Add a reaction' }).click();
    await root.getByRole('button', { name: 'React with 🎉' }).click();
    await visible(root.getByRole('button', { name: '🎉 1: you', pressed: true }));

    await root.getByRole('button', { name: 'Add a reaction' }).click();
    await root.getByLabel('Any emoji or short name').fill('rocket');
    await root.getByRole('button', { name: 'React', exact: true }).click();
    await visible(root.getByRole('button', { name: 'rocket 1: you' }));

    const bobRoot = messages(bob).getByRole('article').filter({ hasText: 'Sprint 1 completed!' });
    await bob.reload();
    await bobRoot.getByRole('button', { name: '🎉 1: Alice' }).click();
    await visible(bobRoot.getByRole('button', { name: '🎉 2: Alice, you', pressed: true }));
    await bobRoot.getByRole('button', { name: /^🎉 2/ }).click();
    await visible(bobRoot.getByRole('button', { name: '🎉 1: Alice', pressed: false }));
  });

  it('edits and deletes the agent’s own message', async () => {
    const mine = messages(alice).getByRole('article').filter({ hasText: 'Thanks @Bob for the review' });
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    // While edited, the text is in the box rather than the article: the box is found in the list.
    const edit = messages(alice).getByRole('textbox', { name: 'Edit message' });
    await edit.fill('Thanks @Bob for the quick review');
    await edit.press('Enter');
    const edited = messages(alice).getByRole('article').filter({ hasText: 'Thanks @Bob for the quick review' });
    await visible(edited.getByText('edited'));
    await edited.hover();
    await edited.getByRole('button', { name: 'Delete' }).click();
    await edited.getByRole('button', { name: 'Delete for everyone' }).click();
    await visible(messages(alice).getByText('This message was deleted.'));
    // Bob's messages have no edit or delete for Alice.
    const bobs = messages(alice).getByRole('article').filter({ hasText: 'on to sprint 2' });
    await bobs.hover();
    expect(await bobs.getByRole('button', { name: 'Edit' }).count()).toBe(0);
  });

  it('explains a rate limit (429) next to the composer and keeps the text', async () => {
    await alice.route('**/v1.0/talks/*/messages', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      return route.fulfill({
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '0' },
        body: JSON.stringify({ error: { status: 429, code: 'RATE_LIMITED', message: 'too many requests', request_id: 'test' } }),
      });
    });
    const box = composer(alice, 'Q1 Project');
    await box.fill('One more thing');
    await box.press('Enter');
    await visible(alice.getByRole('alert').filter({ hasText: 'sending too fast' }));
    expect(await box.inputValue()).toBe('One more thing');
    await alice.unroute('**/v1.0/talks/*/messages');
    await box.press('Enter');
    await visible(messages(alice).getByText('One more thing'));
    await eventually(async () => expect(await box.inputValue()).toBe(''), 5_000, 50);
  });

  it('explains a talk closed meanwhile (409) and keeps the text; closing and reopening from the details', async () => {
    const [a] = acme.agents;
    const talks = await frontDoor.rest.request('GET', '/v1.0/talks', { token: a.token });
    const talkId = expectBody(talks, 200, z.object({ result: z.array(Talk) })).result.find((talk) => talk.name === 'Q1 Project')?.id;
    // The talk is closed while Bob's send is on its way, before his tab can hear of it.
    await bob.route('**/v1.0/talks/*/messages', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      expect((await frontDoor.rest.request('POST', `/v1.0/talks/${talkId ?? ''}/close`, { token: a.token })).status).toBe(200);
      return route.fallback();
    });
    const box = composer(bob, 'Q1 Project');
    await box.fill('Can we keep this open?');
    await box.press('Enter');
    await visible(bob.getByRole('alert').filter({ hasText: 'this talk is closed' }));
    expect(await box.inputValue()).toBe('Can we keep this open?');
    await bob.unroute('**/v1.0/talks/*/messages');
    // The close reaches Bob's tab live: the composer says so without a reload.
    await visible(bob.getByText('This talk is closed. Reopen it to write here.'));

    await alice.reload();
    await visible(alice.getByText('This talk is closed. Reopen it to write here.'));
    await alice.getByRole('button', { name: 'Details' }).click();
    await alice.getByRole('button', { name: 'Reopen talk' }).click();
    await visible(alice.getByRole('button', { name: 'Close talk' }));
    await alice.keyboard.press('Escape');
    expect(await composer(alice, 'Q1 Project').isEnabled()).toBe(true);
  });

  it('renders only the rows on screen of a long talk, and loads older pages on scroll up to the start', async () => {
    const [a, b] = acme.agents;
    const talk = await createGroupTalk(frontDoor.rest, a, [b], 'Long history');
    const total = 1_000;
    // The first one alone, so that it is first; the rest 50 at a time (in any order within each 50).
    await frontDoor.rest.request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'History line 1' } });
    for (let start = 1; start < total; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, total - start) }, (_, i) =>
          frontDoor.rest.request('POST', `/v1.0/talks/${talk.id}/messages`, { token: i % 2 === 0 ? a.token : b.token, body: { text: `History line ${start + i + 1}` } }),
        ),
      );
    }
    await alice.goto(`${origin()}/talks/${talk.id}`);
    await visible(messages(alice).getByRole('article').last());
    const rows = await messages(alice).getByRole('listitem').count();
    expect(rows).toBeLessThan(60);

    // Scroll to the top until the first page is in: each scroll loads the next older page.
    await eventually(
      async () => {
        await messages(alice).hover();
        await alice.mouse.wheel(0, -20_000);
        await messages(alice).getByText('This is the start of the talk.').waitFor({ state: 'visible', timeout: 500 });
      },
      60_000,
      100,
    );
    await visible(messages(alice).getByText('History line 1', { exact: true }));
    expect(await messages(alice).getByRole('listitem').count()).toBeLessThan(60);
  });

  it('shows a talk with its thread open (the README screenshot)', async () => {
    const [a, b, c] = acme.agents;
    const q1 = expectBody(await frontDoor.rest.request('GET', '/v1.0/talks', { token: a.token }), 200, z.object({ result: z.array(Talk) })).result.find(
      (talk) => talk.name === 'Q1 Project',
    );
    await frontDoor.rest.request('POST', `/v1.0/talks/${q1?.id ?? ''}/participants`, { token: a.token, body: { agent_id: c.id } });
    await frontDoor.rest.request('POST', `/v1.0/talks/${q1?.id ?? ''}/messages`, {
      token: b.token,
      body: {
        text: 'The sprint report, for Friday’s review:',
        medias: [{ type: 'application/pdf', url: 'https://example.com/reports/sprint-1.pdf', name: 'sprint-1-report.pdf' }],
      },
    });
    await alice.getByRole('button', { name: /Q1 Project/ }).click();
    const root = messages(alice).getByRole('article').filter({ hasText: 'Sprint 1 completed!' });
    await root.getByRole('button', { name: '1 reply' }).click();
    await visible(alice.getByRole('complementary', { name: 'Thread' }).getByText('Release notes are in the wiki'));
    await screenshot(alice, 'console-talk');
  });

  it('opens a direct talk called after the other agent, with a presence dot in its row; asking again opens the same talk', async () => {
    const openDirect = async (): Promise<string> => {
      await alice.getByRole('button', { name: 'New talk' }).click();
      const dialog = await visible(alice.getByRole('dialog', { name: 'New talk' }));
      await dialog.getByRole('radio', { name: 'Direct', exact: true }).check();
      await dialog.getByRole('radio', { name: /^Bob/ }).check();
      await dialog.getByRole('button', { name: 'Open direct talk' }).click();
      await visible(alice.getByRole('heading', { level: 1, name: 'Bob' }));
      return alice.url();
    };
    const first = await openDirect();
    const directRow = talkRow(alice, 'Bob');
    await visible(directRow.getByRole('img', { name: /^Bob is (online|offline)$/ }));
    expect(await openDirect()).toBe(first);
    expect(await talkRow(alice, 'Bob').count()).toBe(1);
  });

  describe('live, over the socket', () => {
    const LIVE = 'Live room';

    it('shows Bob a new talk as soon as Alice creates it with him, without a reload', async () => {
      await bob.goto(origin());
      await visible(bob.getByRole('heading', { name: /^Welcome/ }));
      await bob.getByRole('status').filter({ hasText: 'Connecting' }).waitFor({ state: 'hidden' });
      await alice.getByRole('button', { name: 'New talk' }).click();
      const dialog = await visible(alice.getByRole('dialog', { name: 'New talk' }));
      await dialog.getByLabel('Name', { exact: true }).fill(LIVE);
      await dialog.getByRole('checkbox', { name: /^Bob/ }).check();
      await dialog.getByRole('button', { name: 'Create group' }).click();
      await visible(alice.getByRole('heading', { level: 1, name: LIVE }));
      await visible(talkRow(bob, LIVE));
    });

    it('delivers messages both ways within a second, and shows Alice that Bob has seen hers', async () => {
      await talkRow(bob, LIVE).click();
      await visible(bob.getByRole('heading', { level: 1, name: LIVE }));
      await visible(messages(bob).getByText(/joined the conversation/).first());

      await composer(alice, LIVE).fill('Live from Alice');
      let sent = Date.now();
      await composer(alice, LIVE).press('Enter');
      await messages(bob).getByText('Live from Alice').waitFor({ state: 'visible', timeout: LIVE_WITHIN_MS });
      expect(Date.now() - sent).toBeLessThan(LIVE_WITHIN_MS);

      await composer(bob, LIVE).fill('Live from Bob');
      sent = Date.now();
      await composer(bob, LIVE).press('Enter');
      await messages(alice).getByText('Live from Bob').waitFor({ state: 'visible', timeout: LIVE_WITHIN_MS });
      expect(Date.now() - sent).toBeLessThan(LIVE_WITHIN_MS);

      // Bob read it all at the bottom of the talk: his marker passed Alice's message.
      await visible(messages(alice).getByRole('article').filter({ hasText: 'Live from Alice' }).getByText('Seen by Bob'));
    });

    it('shows Alice that Bob is typing, and the line goes some seconds after he stops', async () => {
      await composer(bob, LIVE).pressSequentially('I am writing a long');
      const line = alice.getByText('Bob is typing…');
      await visible(line);
      await screenshot(alice, 'console-live-typing');
      await line.waitFor({ state: 'detached', timeout: 10_000 });
      await composer(bob, LIVE).fill('');
    });

    it('shows Bob the tombstone of a message Alice deletes', async () => {
      const mine = messages(alice).getByRole('article').filter({ hasText: 'Live from Alice' });
      await mine.hover();
      await mine.getByRole('button', { name: 'Delete' }).click();
      await mine.getByRole('button', { name: 'Delete for everyone' }).click();
      await visible(messages(bob).getByText('This message was deleted.'));
      expect(await messages(bob).getByText('Live from Alice').count()).toBe(0);
    });

    it('raises Bob’s unread badge while he reads another talk, and clears it when he opens the talk', async () => {
      await talkRow(bob, 'Q1 Project').click();
      await visible(bob.getByRole('heading', { level: 1, name: 'Q1 Project' }));
      for (const text of ['Unread one', 'Unread two']) {
        await composer(alice, LIVE).fill(text);
        await composer(alice, LIVE).press('Enter');
        await visible(messages(alice).getByText(text));
      }
      await eventually(async () => expect(await talkRow(bob, LIVE).textContent()).toContain('2 unread'), 5_000, 100);
      // New activity moves the talk to the top of Bob's list.
      await eventually(async () => expect(await bob.getByRole('list', { name: 'Active talks' }).getByRole('button').first().textContent()).toContain(LIVE), 5_000, 100);
      await screenshot(bob, 'console-live-unread');
      await talkRow(bob, LIVE).click();
      await visible(messages(bob).getByText('Unread two'));
      await eventually(async () => expect(await talkRow(bob, LIVE).textContent()).not.toContain('unread'), 5_000, 100);
    });

    it('shows Bob online in the participants, and offline at once when his page closes', async () => {
      await alice.getByRole('button', { name: 'Details' }).click();
      const details = await visible(alice.getByRole('complementary', { name: 'Details' }));
      await visible(details.getByRole('img', { name: 'Bob is online' }));
      await visible(details.getByRole('img', { name: 'Alice is online' }));
      // The direct talk's row in the list follows Bob too.
      await visible(talkRow(alice, 'Bob').getByRole('img', { name: 'Bob is online' }));
      await screenshot(alice, 'console-live-presence');
      await bob.close();
      await details.getByRole('img', { name: 'Bob is offline' }).waitFor({ state: 'visible', timeout: 5_000 });
      await talkRow(alice, 'Bob').getByRole('img', { name: 'Bob is offline' }).waitFor({ state: 'visible', timeout: 5_000 });
      await alice.keyboard.press('Escape');
      bob = await newPage();
      await signIn(bob, 'bob');
      await visible(bob.getByRole('heading', { name: /^Welcome/ }));
    });
  });

  describe('a gateway going away', () => {
    it('shows the reconnecting banner while the only gateway is killed, then every message exactly once and in order', async () => {
      const LIVE = 'Live room';
      await talkRow(bob, LIVE).click();
      await visible(messages(bob).getByText('Unread two'));
      const { port } = gateway;
      // No goodbye: the process dies and its sockets with it.
      gateway.kill();
      await gateway.exited;
      const banner = (page: Page): Locator => page.getByRole('status').filter({ hasText: 'reconnecting' });
      await visible(banner(alice));
      await visible(banner(bob));
      // The sidebar's line says the same, not "live".
      await visible(bob.getByText('Updates: reconnecting…'));
      await screenshot(bob, 'console-live-reconnecting');
      // Sent over REST while neither tab has a socket: Bob's catches up on them when it is back.
      const away = ['While away 1', 'While away 2', 'While away 3'];
      for (const text of away) {
        await composer(alice, LIVE).fill(text);
        await composer(alice, LIVE).press('Enter');
        await visible(messages(alice).getByText(text));
      }
      // The same port, so nginx's upstream finds it again.
      gateway = await spawnService('gateway', stack, { PORT: String(port) });
      await banner(bob).waitFor({ state: 'hidden', timeout: 30_000 });
      await banner(alice).waitFor({ state: 'hidden', timeout: 30_000 });
      await visible(bob.getByText('Updates: live'));
      for (const text of away) await visible(messages(bob).getByText(text, { exact: true }));
      await composer(alice, LIVE).fill('Back again');
      await composer(alice, LIVE).press('Enter');
      await visible(messages(alice).getByText('Back again'));
      await visible(messages(bob).getByText('Back again'));
      const sent = [...away, 'Back again'];
      for (const page of [alice, bob]) {
        const shown = (await messages(page).getByRole('article').allTextContents()).filter((text) => sent.some((line) => text.includes(line)));
        expect(shown.map((text) => sent.find((line) => text.includes(line)))).toEqual(sent);
      }
    });
  });

  // After the live tests (jest runs a describe's own tests before its nested describes): Bob's token is revoked here.
  describe('the end of a session', () => {
    it('returns to sign-in with a clear message, without a reload, when the token is revoked (socket 4001 or REST 401)', async () => {
      const [, b] = acme.agents;
      const revoked = await frontDoor.rest.request('DELETE', `/v1.0/agents/${b.id}?accesskey=${acme.accesskey}`);
      expectBody(revoked, 200, Agent);
      // The gateway closes Bob's socket with 4001 (or a REST call is answered 401): the tab signs out by itself.
      await visible(bob.getByRole('status').filter({ hasText: 'Your session has ended' }));
      await visible(bob.getByRole('button', { name: 'Sign in' }));
    });
  });
});

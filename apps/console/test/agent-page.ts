/** A tab for one agent in the console's browser suites: its own context, its errors on stderr. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PASSWORD } from '../../../test/support/fixtures';

/** A context of its own (its own tab storage and HTTP cache) and one page in it. */
export async function openAgentPage(browser: Browser): Promise<{ readonly context: BrowserContext; readonly page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  // What the page itself reports is part of a failure's story.
  page.on('pageerror', (error) => void process.stderr.write(`page error: ${error.message}\n`));
  page.on('console', (message) => {
    if (message.type() === 'error') process.stderr.write(`page console: ${message.text()}\n`);
  });
  return { context, page };
}

/** Fills in the sign-in form at `origin` and submits it; what follows is the caller's to wait for. */
export async function signIn(page: Page, origin: string, customerId: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(origin);
  await page.getByLabel('Customer id').fill(customerId);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Chromium for the console's tests: Debian's /usr/bin/chromium driven by playwright-core (no
 * browser is downloaded), headless, with a fresh profile per launch (playwright-core makes one in
 * a temporary folder and removes it). axe-core is read from npm's copy and run inside the page.
 */
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { z } from 'zod';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const AxeResults = z.object({
  violations: z.array(
    z.object({
      id: z.string(),
      impact: z.string().nullable().optional(),
      help: z.string(),
      nodes: z.array(z.object({ target: z.array(z.unknown()), html: z.string() })),
    }),
  ),
});

/** The serious and critical accessibility violations axe finds on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // evaluate, not a script tag: the console's Content-Security-Policy refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  const results = AxeResults.parse(await page.evaluate('axe.run(document, { resultTypes: ["violations"] })'));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact ?? '?'}): ${violation.help} at ${violation.nodes.map((node) => node.html).join(' | ')}`);
}

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Saves a screenshot under .data/console-screenshots, and also under docs/ (where the README shows
 * them) when UPDATE_SCREENSHOTS=1.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(ROOT, '.data', 'console-screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  if (process.env['UPDATE_SCREENSHOTS'] === '1') await page.screenshot({ path: join(ROOT, 'docs', `${name}.png`) });
  return path;
}

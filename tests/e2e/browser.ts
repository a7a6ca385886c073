import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  console.log(`Browser journeys skipped: no Chromium at ${CHROMIUM} (install it with: apt-get install -y chromium).`);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

const shots = path.resolve('tests/e2e/__screenshots__');

export function screenshotPath(name: string): string {
  fs.mkdirSync(shots, { recursive: true });
  return path.join(shots, `${name}.png`);
}

export const VIEWPORTS = { phone: PHONE, desktop: DESKTOP } as const;

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (read from node_modules: no CDN) on the page as it is now and returns the serious
 * and critical violations, each with the selectors of the offending nodes. The script is evaluated
 * through the DevTools protocol rather than added as a <script> tag, so it also runs on pages
 * opened with JavaScript disabled and under the site's strict CSP.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${axeSource}\n;void 0`);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.map(String).join(' ')) }));
}

/**
 * Fails with a readable list when axe finds serious or critical violations on the current page.
 * axe needs timers, which a context without JavaScript does not run: for those pages pass
 * `javaScript: false`, and the page's current HTML is audited in a JavaScript-enabled twin of the
 * same size, served at the same URL (so its stylesheets and images load from the site as usual).
 */
const twins = new WeakMap<BrowserContext, Promise<Page>>();

/** One JavaScript-enabled page per JavaScript-less context, closed with it. */
function twinOf(page: Page): Promise<Page> {
  const context = page.context();
  let twin = twins.get(context);
  if (!twin) {
    twin = (async () => {
      const other = await context.browser()!.newContext({ viewport: page.viewportSize() ?? undefined });
      context.on('close', () => void other.close());
      return other.newPage();
    })();
    twins.set(context, twin);
  }
  return twin;
}

export async function expectAccessible(page: Page, label = page.url(), opts: { javaScript?: boolean } = {}): Promise<void> {
  let target = page;
  if (opts.javaScript === false) {
    const html = await page.content();
    target = await twinOf(page);
    const at = page.url();
    await target.unrouteAll();
    await target.route(at, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await target.goto(at);
  }
  const found = await axeViolations(target);
  if (found.length) throw new Error(`axe: ${found.length} serious/critical violation(s) on ${label}:\n${found.map((v) => `- [${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5).join('\n    ')}`).join('\n')}`);
}

export type Lang = 'vi' | 'en';
export interface Combo {
  lang: Lang;
  width: keyof typeof VIEWPORTS;
  viewport: { width: number; height: number };
}

/**
 * The journeys' languages × widths: both widths on the embedded database, the desktop width on the
 * PostgreSQL server (same pages, same code: the second database adds coverage of the SQL, not of
 * the layout).
 */
export function matrix(server: { name: string }): Combo[] {
  const widths = server.name === 'pglite' ? (['phone', 'desktop'] as const) : (['desktop'] as const);
  return (['vi', 'en'] as const).flatMap((lang) => widths.map((width) => ({ lang, width, viewport: VIEWPORTS[width] })));
}

/** '/en' for English pages, '' for Vietnamese ones at the root. */
export const prefix = (lang: Lang): string => (lang === 'en' ? '/en' : '');

/** Collects uncaught page errors and console errors; a journey ends by expecting none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

/**
 * Presses Tab until the focused element matches `selector` (at most `max` times), checking on the
 * way that every element the keyboard lands on shows a visible focus indicator (an outline or a
 * box shadow): the user never loses track of where they are.
 */
export async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const state = await page.evaluate((sel) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { hit: false, visible: true, what: 'body' };
      const cs = getComputedStyle(el);
      const visible = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
      return { hit: el.matches(sel), visible, what: el.outerHTML.slice(0, 120) };
    }, selector);
    if (!state.visible) throw new Error(`no visible focus on ${state.what}`);
    if (state.hit) return;
  }
  throw new Error(`${selector} not reached with ${max} Tab presses`);
}

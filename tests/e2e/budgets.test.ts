import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { servers } from '../support/http.ts';
import { issueStamps } from '../support/stamps.ts';
import { PHONE, hasChromium, launch } from './browser.ts';

const KB = 1024;
const MODERN_IMAGES = /^image\/(svg\+xml|webp|avif)\b/;

interface Weight {
  /** Bytes of everything but images (document, CSS, JS, fonts, data). */
  nonImage: number;
  html: number;
  css: number;
  scripts: string[];
  images: Array<{ url: string; type: string }>;
}

/** Loads a page as a phone would (scrolling to the bottom so lazy images load) and weighs what it fetched. */
async function weigh(page: Page, url: string): Promise<Weight> {
  const seen: Array<Promise<{ kind: string; url: string; type: string; bytes: number }>> = [];
  const onResponse = (res: import('playwright-core').Response) => {
    seen.push((async () => ({ kind: res.request().resourceType(), url: res.url(), type: res.headers()['content-type'] ?? '', bytes: res.status() >= 300 && res.status() < 400 ? 0 : (await res.body().catch(() => Buffer.alloc(0))).length }))());
  };
  page.on('response', onResponse);
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  const all = await Promise.all(seen);
  const sum = (xs: typeof all) => xs.reduce((n, x) => n + x.bytes, 0);
  return {
    nonImage: sum(all.filter((x) => x.kind !== 'image')),
    html: sum(all.filter((x) => x.kind === 'document')),
    css: sum(all.filter((x) => x.kind === 'stylesheet')),
    scripts: all.filter((x) => x.kind === 'script').map((x) => x.url),
    images: all.filter((x) => x.kind === 'image').map((x) => ({ url: x.url, type: x.type })),
  };
}

/** Every <img> declares its size (no layout shift) and every picture fetched is SVG, WebP or AVIF. */
async function expectImagesInShape(page: Page, w: Weight): Promise<void> {
  const missing = await page.locator('img').evaluateAll((imgs) => imgs.filter((i) => !i.getAttribute('width') || !i.getAttribute('height')).map((i) => i.outerHTML.slice(0, 120)));
  expect(missing).toEqual([]);
  for (const img of w.images) expect(img.type, img.url).toMatch(MODERN_IMAGES);
}

const server = servers[0]!;

describe.skipIf(!hasChromium)(`page weight budgets (${server.name})`, () => {
  let browser: Browser;
  let code: string;
  const report: Record<string, { nonImageKB: number; htmlKB: number; cssKB: number; images: number }> = {};
  beforeAll(async () => {
    [browser, code] = await Promise.all([launch(), issueStamps(server, 'che-dinh-tan-cuong', 1).then((s) => s.stamps[0]!.code)]);
  });
  afterAll(async () => {
    console.log(`Page weights (KB, phone): ${JSON.stringify(report)}`);
    await browser?.close();
  });
  const record = (name: string, w: Weight) => {
    report[name] = { nonImageKB: +(w.nonImage / KB).toFixed(1), htmlKB: +(w.html / KB).toFixed(1), cssKB: +(w.css / KB).toFixed(1), images: w.images.length };
  };

  it('the provenance page is at most 30 KB of HTML and CSS, loads no script, and its pictures are modern', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    for (const path of [`/t/${code}`, `/en/t/${code}`]) {
      const w = await weigh(page, `${server.url}${path}`);
      record(path.replace(code, '<code>'), w);
      expect(w.html + w.css).toBeLessThanOrEqual(30 * KB);
      expect(w.scripts).toEqual([]);
      expect(await page.locator('script').count()).toBe(0);
      await expectImagesInShape(page, w);
    }
    await context.close();
  });

  it('home, catalogue, search, product and combo pages are at most 100 KB without images; images sized and modern', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    for (const path of ['/', '/products', '/en/products?q=tra&stars=5', '/products/che-dinh-tan-cuong', '/en/products/mam-tom-le-gia', '/combos', '/combos/tra-viet-ba-mien']) {
      const w = await weigh(page, `${server.url}${path}`);
      record(path, w);
      expect(w.nonImage, path).toBeLessThanOrEqual(100 * KB);
      // Scripts are modules (deferred): none blocks the first render.
      const blocking = await page.locator('head script[src]:not([type="module"]):not([async]):not([defer])').count();
      expect(blocking, path).toBe(0);
      await expectImagesInShape(page, w);
    }
    await context.close();
  });
});

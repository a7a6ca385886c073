import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { servers, getJson } from '../support/http.ts';
import { DESKTOP, PHONE, hasChromium, launch, screenshotPath } from './browser.ts';

/**
 * Every page type, public and back office, in both languages at 390 px and 1280 px: a full-page
 * screenshot under tests/e2e/__screenshots__/ (kept by CI as an artifact, not committed), and at
 * 390 px no page may be wider than the screen (nothing scrolls sideways). The home page also keeps
 * each product once and stays far shorter than the 10,700 px it used to be on a phone.
 */
const server = servers[0]!;

type Who = 'guest' | 'producer' | 'office';
interface Shot { name: string; path: string; who: Who }

async function signIn(page: Page, email: string): Promise<void> {
  const res = await page.request.post(`${server.url}/api/auth/login`, { data: { email, password: 'ocop-demo-2026' }, headers: { Origin: server.url } });
  expect(res.status(), email).toBe(200);
}

describe.skipIf(!hasChromium)(`storefront pages at phone and desktop widths (${server.name})`, () => {
  let browser: Browser;
  let shots: Shot[];
  let producerEmail: string;
  beforeAll(async () => {
    browser = await launch();
    const { body: product } = await getJson<{ slug: string; producer: { slug: string } }>(server.url, '/api/products/che-dinh-tan-cuong');
    const { body: search } = await getJson<{ hits: Array<{ province: string }> }>(server.url, '/api/search?q=&limit=1');
    producerEmail = `${product.producer.slug}@ocop.local`;
    shots = [
      { name: 'home', path: '/', who: 'guest' },
      { name: 'products', path: '/products?q=che', who: 'guest' },
      { name: 'product', path: `/products/${product.slug}`, who: 'guest' },
      { name: 'producers', path: '/producers', who: 'guest' },
      { name: 'producer', path: `/producers/${product.producer.slug}`, who: 'guest' },
      { name: 'province', path: `/provinces/${search.hits[0]!.province}`, who: 'guest' },
      { name: 'combos', path: '/combos', who: 'guest' },
      { name: 'combo', path: '/combos/tra-viet-ba-mien', who: 'guest' },
      { name: 'cart', path: '/cart', who: 'guest' },
      { name: 'verify', path: '/verify', who: 'guest' },
      { name: 'login', path: '/login', who: 'guest' },
      { name: 'not-found', path: '/khong-co-trang-nay', who: 'guest' },
      { name: 'dashboard', path: '/dashboard', who: 'producer' },
      { name: 'dashboard-products', path: '/dashboard/products', who: 'producer' },
      { name: 'dashboard-lots', path: '/dashboard/lots', who: 'producer' },
      { name: 'dashboard-stamps', path: '/dashboard/stamps', who: 'producer' },
      { name: 'admin', path: '/admin', who: 'office' },
      { name: 'admin-producers', path: '/admin/producers', who: 'office' },
      { name: 'admin-certificates', path: '/admin/certificates', who: 'office' },
      { name: 'admin-evaluations', path: '/admin/evaluations', who: 'office' },
      { name: 'admin-audit', path: '/admin/audit', who: 'office' },
    ];
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [width, viewport] of [['390', PHONE], ['1280', DESKTOP]] as const) {
    it(`screenshots every page type at ${width} px in both languages${width === '390' ? '; none scrolls sideways' : ''}`, async () => {
      const overflowing: string[] = [];
      for (const who of ['guest', 'producer', 'office'] as const) {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        if (who === 'producer') await signIn(page, producerEmail);
        if (who === 'office') await signIn(page, 'admin@ocop.local');
        for (const shot of shots.filter((s) => s.who === who)) {
          for (const lang of ['vi', 'en'] as const) {
            const path = lang === 'en' ? `/en${shot.path === '/' ? '' : shot.path}` : shot.path;
            const res = await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
            expect(res!.status(), path).toBeLessThan(shot.name === 'not-found' ? 500 : 400);
            const wide = await page.evaluate(() => document.documentElement.scrollWidth);
            if (width === '390' && wide > PHONE.width) overflowing.push(`${path} is ${wide} px wide`);
            await page.screenshot({ path: screenshotPath(`${shot.name}-${lang}-${width}`), fullPage: true });
          }
        }
        await context.close();
      }
      expect(overflowing).toEqual([]);
    }, 600_000); // 42 full-page screenshots
  }

  it('the phone home page shows each product once and is far shorter than before (10,700 px)', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    const links = await page.locator('main .card__title a[href^="/products/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.length).toBeGreaterThanOrEqual(8);
    expect(new Set(links).size).toBe(links.length);
    for (const section of ['#gifts-title', '#five-title', '#regions-title', '#new-title', '#story-title']) await expect(page.locator(section).count()).resolves.toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(7500);
    await context.close();
  });
});

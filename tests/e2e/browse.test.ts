import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { servers } from '../support/http.ts';
import { DESKTOP, PHONE, hasChromium, launch, screenshotPath } from './browser.ts';

describe.skipIf(!hasChromium).each(servers)('a visitor browses in Chromium ($name)', ({ name, url }) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['vi', PHONE],
    ['en', DESKTOP],
  ] as const)('opens the home page and a product page (%s)', async (lang, viewport) => {
    const context = await browser.newContext({ viewport, javaScriptEnabled: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const prefix = lang === 'en' ? '/en' : '';

    const home = await page.goto(`${url}${prefix}/`);
    expect(home?.status()).toBe(200);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.locator('main').count()).toBe(1);
    expect(await page.locator('header').count()).toBeGreaterThan(0);
    const firstProduct = page.locator('main a[href*="/products/"]').first();
    expect(await firstProduct.count()).toBe(1);

    await page.goto(`${url}${prefix}/products/mam-tom-le-gia`);
    const h1 = (await page.locator('h1').first().innerText()).trim();
    expect(h1).toContain(lang === 'vi' ? 'Mắm tôm Lê Gia' : 'shrimp paste');
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/₫/);
    expect(text).toMatch(lang === 'vi' ? /Giấy chứng nhận|chứng nhận/i : /certificate/i);
    // Every image has alt text and intrinsic dimensions.
    const images = await page.locator('main img').evaluateAll((imgs) => imgs.map((i) => ({ alt: i.getAttribute('alt'), w: i.getAttribute('width'), h: i.getAttribute('height'), ok: (i as HTMLImageElement).naturalWidth > 0 })));
    expect(images.length).toBeGreaterThan(0);
    for (const img of images) {
      expect(img.alt).not.toBeNull();
      expect(img.w).toBeTruthy();
      expect(img.h).toBeTruthy();
      expect(img.ok).toBe(true);
    }
    // The language switch leads to the same product in the other language.
    const other = page.locator(`a[hreflang="${lang === 'vi' ? 'en' : 'vi'}"], a[lang="${lang === 'vi' ? 'en' : 'vi'}"]`).first();
    await other.click();
    await page.waitForLoadState('domcontentloaded');
    expect(new URL(page.url()).pathname).toBe(`${lang === 'vi' ? '/en' : ''}/products/mam-tom-le-gia`);
    await page.screenshot({ path: screenshotPath(`browse-${name}-${lang}`), fullPage: false });
    expect(errors).toEqual([]);
    await context.close();
  });
});

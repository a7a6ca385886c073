import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createT } from '../../src/lib/i18n/index.ts';
import { servers } from '../support/http.ts';
import { issueStamps, type IssuedStamps } from '../support/stamps.ts';
import { expectAccessible, hasChromium, launch, matrix, prefix, screenshotPath, watchErrors } from './browser.ts';

/** A code as a person copies it off a stamp: lower case, dashes, O for 0 and I/l for 1 where it has them. */
function mistype(code: string): string {
  const lookalikes = code.replace('0', 'O').replace('1', 'l').replace(/1/, 'I');
  return lookalikes.toLowerCase().replace(/(.{4})(?=.)/g, '$1-');
}

describe.skipIf(!hasChromium).each(servers)('a consumer checks a stamp in Chromium ($name)', (server) => {
  let browser: Browser;
  let issued: IssuedStamps;
  beforeAll(async () => {
    [browser, issued] = await Promise.all([launch(), issueStamps(server, 'nuoc-mam-phu-quoc-khai-hoan-40-do-dam', 8)]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(matrix(server))('scans a stamp, then types a mistyped code on /verify ($lang, $width)', async ({ lang, width, viewport }) => {
    const t = createT(lang);
    const i = matrix(server).findIndex((c) => c.lang === lang && c.width === width);
    const [scanned, typed] = [issued.stamps[2 * i]!.code, issued.stamps[2 * i + 1]!.code];
    const context = await browser.newContext({ viewport, locale: lang === 'vi' ? 'vi-VN' : 'en-GB' });
    const page = await context.newPage();
    const errors = watchErrors(page);

    // The URL printed in the QR code.
    const res = await page.goto(`${server.url}${prefix(lang)}/t/${scanned}`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    const verdict = page.locator('main section').first();
    expect(await verdict.innerText()).toContain(t('trace.verdict.genuine'));
    expect(await page.locator('h1').innerText()).toContain(lang === 'vi' ? 'Nước mắm' : 'fish sauce');
    const main = await page.locator('main').innerText();
    for (const text of [t('trace.timeline'), t('trace.story'), t('certificate.title'), issued.lot]) expect(main).toContain(text);
    // The verdict is the first thing on a phone's screen.
    const box = await verdict.boundingBox();
    expect(box!.y + box!.height).toBeLessThan(viewport.height);
    await expectAccessible(page, `stamp page ${lang} ${width}`);

    // Typed by hand on /verify, with look-alike letters, lower case and dashes.
    await page.goto(`${server.url}${prefix(lang)}/verify`);
    await expectAccessible(page, `/verify ${lang} ${width}`);
    await page.getByLabel(t('verify.label')).fill(mistype(typed));
    await page.getByLabel(t('verify.label')).press('Enter');
    await page.waitForURL((u) => u.pathname === `${prefix(lang)}/t/${typed}`);
    expect(await page.locator('main section').first().innerText()).toContain(t('trace.verdict.genuine'));
    expect(await page.locator('main').innerText()).toContain(issued.lot);
    await page.screenshot({ path: screenshotPath(`consumer-${server.name}-${lang}-${width}`), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

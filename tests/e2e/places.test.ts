import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createT } from '../../src/lib/i18n/index.ts';
import { servers } from '../support/http.ts';
import { issueStamps } from '../support/stamps.ts';
import { PHONE, expectAccessible, hasChromium, launch, prefix, screenshotPath, watchErrors, type Lang } from './browser.ts';

/**
 * Issue 13 at phone width (390 px), without JavaScript (plain forms): a tourist finds a point of
 * sale in a province and books an experience; a shop assistant records a counter sale by typing a
 * code, and the stamp page then says where it was sold. Vietnamese on the embedded database,
 * English on the server.
 */
const EXPERIENCE = 'lans-homestay';
/** Several page loads and axe audits on a shared two-core machine. */
const JOURNEY_MS = 180_000;
/** The refused form posts answer 400/409 on purpose; the browser logs those as failed loads. */
const unexpected = (errors: string[]) => errors.filter((e) => !/^Failed to load resource: the server responded with a status of (400|409)\b/.test(e));
const noSideScroll = () => document.documentElement.scrollWidth <= window.innerWidth;

describe.skipIf(!hasChromium).each(servers)('points of sale and experiences in Chromium ($name)', (server) => {
  const { name, url } = server;
  const lang: Lang = name === 'pglite' ? 'vi' : 'en';
  const t = createT(lang);
  const p = prefix(lang);
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(`a tourist finds a point of sale in a province, then books an experience and pays on arrival (${lang}, phone)`, async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}${p}/`);
    await page.getByRole('link', { name: t('places.nav') }).click();
    await page.waitForURL(`${url}${p}/points-of-sale`);
    await expectAccessible(page, `points of sale ${lang}`, { javaScript: false });
    await page.getByLabel(t('places.filter.province')).selectOption('quang-ninh');
    await page.getByRole('button', { name: t('places.filter.submit') }).click();
    await page.waitForURL((u) => u.searchParams.get('province') === 'quang-ninh');
    const cards = page.locator('.place-card');
    expect(await cards.count()).toBeGreaterThanOrEqual(2);
    expect(await cards.allInnerTexts()).not.toContain('Huế');
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await page.screenshot({ path: screenshotPath(`places-list-${name}-${lang}-phone`), fullPage: true });
    await cards.filter({ hasText: lang === 'vi' ? 'Trung tâm OCOP Quảng Ninh' : 'Quảng Ninh OCOP Centre' }).getByRole('link').first().click();
    await page.waitForURL(`${url}${p}/points-of-sale/trung-tam-ocop-quang-ninh`);
    const maps = page.getByRole('link', { name: t('places.openMaps'), exact: true });
    expect(await maps.getAttribute('href')).toMatch(/^https:\/\/www\.openstreetmap\.org\/\?mlat=20\.953000&mlon=107\.096400/);
    expect(await page.locator('#place-products + ul li').count()).toBeGreaterThan(3);
    expect(await page.evaluate(noSideScroll)).toBe(true);

    // The experience: pick the second session for three people.
    await page.goto(`${url}${p}/products/${EXPERIENCE}`);
    const radios = page.locator('input[name="session"]:not([disabled])');
    // The last session shown: weeks away, so well before its cancellation cut-off.
    const choice = radios.last();
    const chosen = await choice.getAttribute('value');
    const seatsLeft = async () => {
      const text = await page.locator(`input[name="session"][value="${chosen}"]`).locator('..').innerText();
      return Number(new RegExp(t('places.book.seatsLeft', { count: 0 }).replace('0', '(\\d+)')).exec(text)?.[1]);
    };
    const before = await seatsLeft();
    expect(before).toBeGreaterThanOrEqual(3);
    await choice.check();
    await page.getByLabel(t('places.book.party')).fill('3');
    await page.getByRole('button', { name: t('places.book.submit') }).click();
    await page.waitForURL((u) => u.pathname === `${p}/book/${EXPERIENCE}` && u.searchParams.get('session') === chosen);
    await expectAccessible(page, `booking ${lang}`, { javaScript: false });
    expect(await page.locator('dl.facts').innerText()).toContain(t('places.book.people', { count: 3 }));
    // Sent empty first: the form says what is missing beside the fields.
    await page.getByRole('button', { name: t('places.book.confirm') }).click();
    await page.locator('#b-name-error').waitFor();
    await page.getByLabel(t('places.book.name')).fill(lang === 'vi' ? 'Nguyễn Thị Hoa' : 'Emma Tourist');
    await page.getByLabel(t('places.book.phone')).fill('0912 345 678');
    await page.getByLabel(t('places.book.payment.cod')).check();
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await page.getByRole('button', { name: t('places.book.confirm') }).click();
    await page.waitForURL(new RegExp(`${p}/orders/ord_[0-9a-z]{20}$`));
    const booked = await page.locator('#order-bookings').locator('..').innerText();
    expect(booked).toContain(t('places.book.people', { count: 3 }));
    expect(booked).toMatch(new RegExp(t('places.book.cancellableUntil', { date: 'X' }).replace('X', '.+')));
    await page.screenshot({ path: screenshotPath(`places-booked-${name}-${lang}-phone`), fullPage: true });
    // The seats are taken: the session now shows three fewer places.
    await page.goto(`${url}${p}/products/${EXPERIENCE}`);
    expect(await seatsLeft()).toBe(before - 3);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  }, JOURNEY_MS);

  it(`a shop assistant records a counter sale by typing a code, and the stamp page says where it was sold (${lang}, phone)`, async () => {
    const { stamps } = await issueStamps(server, 'mam-tom-le-gia', 1);
    const code = stamps[0]!.code;
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}${p}/pos`);
    expect(new URL(page.url()).pathname).toBe(`${p}/login`);
    await page.fill('input[name="email"]', 'cua-hang-ocop-hai-phong@ocop.local');
    await page.fill('input[name="password"]', 'ocop-demo-2026');
    await page.click('form.bo-form button[type="submit"]');
    await page.waitForURL(`${url}${p}/pos`);
    await expectAccessible(page, `counter ${lang}`, { javaScript: false });
    // Typed as printed, in groups of four and in lower case.
    await page.getByLabel(t('places.pos.code')).fill(code.toLowerCase().replace(/(.{4})(?=.)/g, '$1-'));
    await page.getByRole('button', { name: t('places.pos.submit') }).click();
    await page.locator('.note--valid').waitFor();
    const stampHref = lang === 'en' ? `/en/t/${code}` : `/t/${code}?lang=vi`;
    expect(await page.locator('.note--valid a').getAttribute('href')).toBe(stampHref);
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await page.screenshot({ path: screenshotPath(`places-counter-${name}-${lang}-phone`), fullPage: true });
    // The same code again is refused, with the reason beside the field.
    await page.getByLabel(t('places.pos.code')).fill(code);
    await page.getByRole('button', { name: t('places.pos.submit') }).click();
    await page.locator('#pos-code-error').waitFor();
    expect(await page.locator('#pos-code-error').innerText()).toMatch(lang === 'vi' ? /^Tem này đã được bán ngày/ : /^This stamp was already sold on/);

    expect(await page.locator('.pos-recent a').first().getAttribute('href')).toBe(stampHref);
    await page.locator('.pos-recent a').first().click();
    await page.waitForURL(`${url}${stampHref}`);
    const sold = page.locator('.sold-at');
    expect(await sold.innerText()).toMatch(lang === 'vi' ? /^Đã bán ngày .+ tại Cửa hàng OCOP Hải Phòng\.$/ : /^Sold on .+ at Hải Phòng OCOP Shop\.$/);
    expect(await sold.getByRole('link').getAttribute('href')).toBe(`${p}/points-of-sale/cua-hang-ocop-hai-phong`);
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await page.screenshot({ path: screenshotPath(`places-stamp-sold-${name}-${lang}-phone`), fullPage: true });
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  }, JOURNEY_MS);
});

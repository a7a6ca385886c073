import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createT } from '../../src/lib/i18n/index.ts';
import { servers } from '../support/http.ts';
import { serverSql } from '../support/server-sql.ts';
import { PHONE, expectAccessible, hasChromium, launch, prefix, screenshotPath, watchErrors } from './browser.ts';

/**
 * A tourist on a phone (390 px, no JavaScript: plain forms) buys a gift box for someone else with a
 * message: the box ships as one parcel with one fee from its packer, whose packing slip shows the
 * recipient and the message and no price. Vietnamese on the embedded database, English on the server.
 */
const BOX = 'gao-sach-ba-mien';

describe.skipIf(!hasChromium).each(servers)('a tourist sends a gift box in Chromium ($name)', (server) => {
  const { name, url } = server;
  const lang = name === 'pglite' ? 'vi' as const : 'en' as const;
  const t = createT(lang);
  const p = prefix(lang);
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(`buys a gift box for someone else with a message, one parcel, and the packer prints a slip without prices (${lang}, 390 px)`, async () => {
    const sql = serverSql(server);
    const [packer] = await sql<Array<{ slug: string }>>`select pr.slug from combos c join producers pr on pr.id = coalesce(c.assembler_producer_id,
      (select p.producer_id from combo_items ci join products p on p.id = ci.product_id where ci.combo_id = c.id order by p.id limit 1)) where c.slug = ${BOX}`;
    await sql`update products set stock = greatest(stock, 20) where id in (select product_id from combo_items where combo_id = (select id from combos where slug = ${BOX}))`;
    await sql.end();

    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}${p}/combos`);
    await page.locator(`a[href="${p}/combos/${BOX}"]`).first().click();
    await page.waitForURL(`${url}${p}/combos/${BOX}`);
    // The box's own composed picture, never one component's.
    expect(await page.locator('img.combo-hero').getAttribute('src')).toMatch(/^\/media\/combos\//);
    expect(await page.locator('main').innerText()).toContain(t('combo.assembler', { name: '', province: '' }).split(' ')[0]!);
    await expectAccessible(page, `gift box ${lang}`, { javaScript: false });
    await page.screenshot({ path: screenshotPath(`gift-box-${name}-${lang}-phone`), fullPage: true });
    await page.getByRole('button', { name: t('orders.add.button') }).click();
    await page.waitForURL((u) => u.pathname === `${p}/cart`);
    await page.getByRole('link', { name: t('orders.cart.checkout') }).click();
    await page.waitForURL(`${url}${p}/checkout`);

    await page.getByLabel(t('orders.checkout.name')).fill(lang === 'vi' ? 'Lê Minh Khoa' : 'Emma Tourist');
    await page.getByLabel(t('orders.checkout.phone'), { exact: true }).fill('+84 912 345 678');
    await page.getByLabel(t('gift.toggle')).check();
    await page.getByLabel(t('gift.recipientName')).fill('Bà Nguyễn Thị Mai');
    await page.getByLabel(t('gift.recipientPhone')).fill('0988 111 222');
    await page.getByLabel(t('gift.message')).fill(lang === 'vi' ? 'Chúc bà năm mới mạnh khỏe!' : 'Happy new year, grandma!');
    await page.getByLabel(t('orders.checkout.line')).fill('25 Trần Phú');
    await page.getByLabel(t('orders.checkout.commune')).fill('Phường Hội An');
    await page.getByLabel(t('orders.checkout.province')).selectOption('da-nang');
    await page.getByLabel(t('orders.checkout.method.cod')).check();
    await page.getByRole('button', { name: t('orders.checkout.review') }).click();
    await page.locator('button[value="place"]').waitFor();
    // One parcel, one fee, for a box of three producers.
    expect(await page.locator('.order-quote .quote-part').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAccessible(page, `gift checkout ${lang}`, { javaScript: false });
    await page.screenshot({ path: screenshotPath(`gift-checkout-${name}-${lang}-phone`), fullPage: true });
    await page.getByRole('button', { name: t('orders.checkout.place') }).click();
    await page.waitForURL(new RegExp(`${p}/orders/ord_[0-9a-z]{20}$`));
    const publicId = new URL(page.url()).pathname.split('/').at(-1)!;
    const main = await page.locator('main').innerText();
    expect(main).toContain(t('gift.summary', { name: 'Bà Nguyễn Thị Mai' }));
    expect(await page.locator('.quote-part').count()).toBe(1);
    await page.screenshot({ path: screenshotPath(`gift-order-${name}-${lang}-phone`), fullPage: true });

    // The packer signs in and prints the slip.
    await page.goto(`${url}${p}/dashboard/orders/${publicId}/slip`);
    await page.fill('input[name="email"]', `${packer!.slug}@ocop.local`);
    await page.fill('input[name="password"]', 'ocop-demo-2026');
    await page.click('form.bo-form button[type="submit"]');
    await page.waitForURL(`${url}${p}/dashboard/orders/${publicId}/slip`);
    const slip = await page.locator('main').innerText();
    expect(slip).toContain('Bà Nguyễn Thị Mai');
    expect(slip).toContain(lang === 'vi' ? 'Chúc bà năm mới mạnh khỏe!' : 'Happy new year, grandma!');
    expect(slip).toContain(t('slip.box', { name: '', qty: 1 }).split('“')[0]!.trim());
    expect(slip).not.toMatch(/₫|\d{2,3}[.,]000/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: screenshotPath(`gift-slip-${name}-${lang}-phone`), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

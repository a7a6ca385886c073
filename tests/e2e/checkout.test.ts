import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { servers } from '../support/http.ts';
import { PHONE, DESKTOP, hasChromium, launch, screenshotPath } from './browser.ts';

describe.skipIf(!hasChromium).each(servers)('a tourist buys in Chromium ($name)', ({ name, url }) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('adds a gift combo and a product of another producer, pays cash on delivery, reads the order in en and vi (no JavaScript)', async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();

    await page.goto(`${url}/en/combos/huong-vi-bien-viet`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(/\/en\/cart\?notice=added$/);
    expect(await page.getByRole('status').first().innerText()).toContain('Added to your cart');

    await page.goto(`${url}/en/products/gao-daka`);
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(/\/en\/cart/);
    const cart = await page.locator('main').innerText();
    expect(cart).toContain('Taste of the Vietnamese sea');
    expect(cart).toContain('DAKA rice');
    expect(await page.locator('.cart-count [aria-hidden]').innerText()).toBe('3');

    await page.getByRole('link', { name: 'Check out' }).click();
    await page.waitForURL(/\/en\/checkout$/);
    await page.getByLabel('Full name').fill('Emma Tourist');
    await page.getByLabel('Phone number').fill('+84 912 345 678');
    await page.getByLabel('House number, street, hamlet').fill('18 Hang Bac');
    await page.getByLabel('Commune or ward').fill('Hoan Kiem');
    await page.getByLabel('Province or city').selectOption('ha-noi');
    await page.getByLabel('Cash on delivery').check();
    await page.getByRole('button', { name: 'See the total' }).click();
    const summary = await page.locator('.order-quote').innerText();
    // One parcel per producer: the combo's three producers and the rice cooperative.
    expect(await page.locator('.order-quote .quote-part').count()).toBe(4);
    expect(summary).toMatch(/Shipping/);
    expect(summary).toMatch(/Total\s*₫[\d,]+/);
    await page.screenshot({ path: screenshotPath(`checkout-review-${name}`), fullPage: true });
    await page.getByRole('button', { name: 'Place the order' }).click();
    await page.waitForURL(/\/en\/orders\/ord_[0-9a-z]{20}$/);

    const h1 = await page.locator('h1').innerText();
    expect(h1).toMatch(/^Order OCOP[0-9A-Z]{10}/);
    expect(h1).toContain('Being prepared');
    const main = await page.locator('main').innerText();
    expect(main).toContain('Order timeline');
    expect(main).toContain('Order placed');
    expect(main).toContain('You pay');
    expect(main).toContain('Cash on delivery');
    await page.screenshot({ path: screenshotPath(`order-en-${name}`), fullPage: true });
    expect(await page.locator('.cart-count').count()).toBe(0);

    await page.locator('a[hreflang="vi"], a[lang="vi"]').first().click();
    await page.waitForURL(/\/orders\/ord_[0-9a-z]{20}$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    const vi = await page.locator('main').innerText();
    expect(await page.locator('h1').innerText()).toContain('Đơn hàng');
    expect(vi).toContain('Đang chuẩn bị');
    expect(vi).toContain('Diễn biến đơn hàng');
    expect(vi).toContain('Hương vị biển Việt');
    expect(vi).toMatch(/\d+\.\d{3}\s₫/);
    await page.screenshot({ path: screenshotPath(`order-vi-${name}`), fullPage: true });
    await context.close();
  });

  it('shows the VietQR code with bank, account, amount and reference in text', async () => {
    const res = await fetch(new URL('/api/orders', url), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ slug: 'mam-tom-le-gia', qty: 1 }], customer: { name: 'Phạm An', phone: '0909123456', address: { line: '1 Lý Thường Kiệt', commune: 'Phường Hạc Thành', province: 'Thanh Hóa' } }, payment: 'vietqr' }),
    });
    const order = (await res.json()) as { publicId: string; total: number; payment: { vietqr: { account: string; reference: string } } };
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${url}/orders/${order.publicId}`);
    expect(await page.locator('.vietqr svg').count()).toBe(1);
    const text = await page.locator('.vietqr').innerText();
    expect(text).toContain(order.payment.vietqr.account);
    expect(text).toContain(order.payment.vietqr.reference);
    expect(text).toContain(new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }).format(order.total));
    // Nothing is loaded from another host.
    const hosts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).host));
    for (const h of hosts) expect(h).toBe(new URL(url).host);
    await page.screenshot({ path: screenshotPath(`order-vietqr-${name}`), fullPage: true });
    await context.close();
  });
});

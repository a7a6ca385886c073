import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createT } from '../../src/lib/i18n/index.ts';
import { servers } from '../support/http.ts';
import { DESKTOP, PHONE, expectAccessible, hasChromium, launch, matrix, prefix, screenshotPath, tabTo, watchErrors, type Lang } from './browser.ts';

const SEARCHED = 'nuoc-mam-phu-quoc-khai-hoan-40-do-dam';
const COMBO = 'gia-vi-bep-viet';
const OTHER = 'banh-dau-xanh-rong-vang-hoang-gia-vi-tra-xanh';
// One parcel per shipper: the searched fish sauce, the combo (whole, from its packer), the mung-bean cakes.
const PARCELS = 3;

async function fillCheckout(page: Page, lang: Lang, payment: 'cod' | 'vietqr'): Promise<void> {
  const t = createT(lang);
  await page.getByLabel(t('orders.checkout.name')).fill(lang === 'vi' ? 'Nguyễn Thị Hoa' : 'Emma Tourist');
  await page.getByLabel(t('orders.checkout.phone'), { exact: true }).fill(lang === 'vi' ? '0912 345 678' : '+84 912 345 678');
  await page.getByLabel(t('orders.checkout.line')).fill('18 Hàng Bạc');
  await page.getByLabel(t('orders.checkout.commune')).fill('Phường Hoàn Kiếm');
  await page.getByLabel(t('orders.checkout.province')).selectOption('ha-noi');
  await page.getByLabel(t(`orders.checkout.method.${payment}`)).check();
}

/** Where these elements are, measured at one instant (the page may still be scrolling smoothly to a field). */
type Box = { x: number; y: number; width: number; height: number };
function boxes<const S extends readonly string[]>(page: Page, selectors: S): Promise<{ [K in keyof S]: Box }> {
  return page.evaluate((sels) => sels.map((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }), [...selectors]) as Promise<{ [K in keyof S]: Box }>;
}

describe.skipIf(!hasChromium).each(servers)('a tourist shops in Chromium ($name)', ({ name, url }) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  // Phones without JavaScript (plain forms), desktops with it (live search); cash and VietQR in each language.
  it.each(matrix({ name }).map((c) => ({ ...c, payment: (c.lang === 'vi') === (c.width === 'phone') ? 'cod' as const : 'vietqr' as const })))(
    'searches without accents, filters by stars, buys a combo and two products, pays $payment ($lang, $width)',
    async ({ lang, width, viewport, payment }) => {
      const t = createT(lang);
      const p = prefix(lang);
      const js = width === 'desktop';
      const context = await browser.newContext({ viewport, javaScriptEnabled: js });
      const page = await context.newPage();
      const errors = watchErrors(page);

      await page.goto(`${url}${p}/`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await expectAccessible(page, `home ${lang} ${width}`, { javaScript: js });
      await page.getByLabel(t('home.searchLabel')).fill('nuoc mam');
      await page.getByLabel(t('home.searchLabel')).press('Enter');
      await page.waitForURL((u) => u.pathname === `${p}/products` && u.searchParams.get('q') === 'nuoc mam');
      const cards = page.locator('[data-live="results"] .card');
      expect(await cards.count()).toBeGreaterThan(1);

      // Filter by 5 stars: live with JavaScript, the Apply button without.
      const five = page.locator('input[name="stars"][value="5"]');
      // On a phone the filters fold away under their summary; on a desktop they are always shown.
      if (!(await five.isVisible())) await page.locator('details.filters > summary').click();
      await five.check();
      if (!js) await page.getByRole('button', { name: t('filters.apply') }).click();
      await page.waitForURL((u) => u.searchParams.get('stars') === '5' && u.searchParams.get('q') === 'nuoc mam');
      const badge = t('certificate.badge', { stars: 5 });
      await expect.poll(async () => {
        const texts = await cards.allInnerTexts();
        return texts.length > 0 && texts.every((c) => c.includes(badge));
      }).toBe(true);
      await expectAccessible(page, `search ${lang} ${width}`, { javaScript: js });

      await page.locator(`.card a[href="${p}/products/${SEARCHED}"]`).click();
      await page.waitForURL(`${url}${p}/products/${SEARCHED}`);
      await expectAccessible(page, `product ${lang} ${width}`, { javaScript: js });
      await page.getByRole('button', { name: t('orders.add.button') }).click();
      await page.waitForURL((u) => u.pathname === `${p}/cart`);

      await page.goto(`${url}${p}/combos/${COMBO}`);
      await expectAccessible(page, `combo ${lang} ${width}`, { javaScript: js });
      await page.getByRole('button', { name: t('orders.add.button') }).click();
      await page.waitForURL((u) => u.pathname === `${p}/cart`);

      await page.goto(`${url}${p}/products/${OTHER}`);
      await page.getByLabel(t('orders.add.qty')).fill('2');
      await page.getByRole('button', { name: t('orders.add.button') }).click();
      await page.waitForURL((u) => u.pathname === `${p}/cart`);
      expect(await page.locator('.cart-count [aria-hidden]').innerText()).toBe('4');
      await expectAccessible(page, `cart ${lang} ${width}`, { javaScript: js });

      await page.getByRole('link', { name: t('orders.cart.checkout') }).click();
      await page.waitForURL(`${url}${p}/checkout`);
      await expectAccessible(page, `checkout ${lang} ${width}`, { javaScript: js });
      // Every page load of the checkout (the first GET, and each form submit the browser navigates with).
      const checkoutLoads: string[] = [];
      page.on('request', (r) => {
        if (r.isNavigationRequest() && new URL(r.url()).pathname === `${p}/checkout`) checkoutLoads.push(r.method());
      });
      await fillCheckout(page, lang, payment);
      if (js) {
        // One step: no "See the total" button; the summary follows the province as it is chosen,
        // and the total sits with the only button, "Place the order".
        expect(await page.getByRole('button', { name: t('orders.checkout.review') }).count()).toBe(0);
        await expect.poll(() => page.locator('.order-quote .quote-part').count()).toBe(PARCELS);
        const shown = Number(await page.locator('input[name="shownTotal"]').inputValue());
        expect(await page.locator('.checkout-total data').getAttribute('value')).toBe(String(shown));
        expect(await page.locator('.order-quote [data-total]').getAttribute('data-total')).toBe(String(shown));
        const [summary, total, button] = await boxes(page, ['.order-quote', '.checkout-total', 'button[value="place"]']);
        // Summary, then total, then the button, in one column right under each other.
        expect(summary.y + summary.height).toBeLessThanOrEqual(total.y + 1);
        expect(total.y + total.height).toBeLessThanOrEqual(button.y + 1);
        expect(button.y - (total.y + total.height)).toBeLessThan(80);
        expect(Math.abs(summary.x - total.x)).toBeLessThan(40);
        await expectAccessible(page, `checkout total ${lang} ${width}`, { javaScript: js });
        await page.screenshot({ path: screenshotPath(`checkout-one-step-${name}-${lang}-${width}`), fullPage: true });
        await page.getByRole('button', { name: t('orders.checkout.place') }).click();
      } else {
        await page.getByRole('button', { name: t('orders.checkout.review') }).click();
        // The summary panel is on the page before the quote too: wait for what only the quoted page has.
        await page.locator('button[value="place"]').waitFor();
        expect(await page.locator('.order-quote .quote-part').count()).toBe(PARCELS);
        await expectAccessible(page, `checkout total ${lang} ${width}`, { javaScript: js });
        await page.getByRole('button', { name: t('orders.checkout.place') }).click();
      }
      await page.waitForURL(new RegExp(`${p}/orders/ord_[0-9a-z]{20}$`));
      // With JavaScript one submit placed the order; without it, one to see the total and one to place.
      expect(checkoutLoads).toEqual(js ? ['POST'] : ['POST', 'POST']);
      expect(await page.locator('.order-received').innerText()).toBe(t('storefront.order.received'));

      const main = await page.locator('main').innerText();
      expect(await page.locator('h1').innerText()).toMatch(/OCOP[0-9A-Z]{10}/);
      expect(main).toContain(t(`orders.checkout.method.${payment}`));
      expect(main).toContain(t('orders.order.status.' + (payment === 'cod' ? 'processing' : 'pending_payment') as 'orders.order.status.paid'));
      expect(await page.locator('.quote-part').count()).toBe(PARCELS);
      if (payment === 'vietqr') {
        expect(await page.locator('.vietqr svg').count()).toBe(1);
        expect(await page.locator('.vietqr').innerText()).toMatch(/OCOP[0-9A-Z]{10}/);
      }
      expect(await page.locator('.cart-count').count()).toBe(0);
      await expectAccessible(page, `order ${lang} ${width}`, { javaScript: js });
      // Nothing is loaded from another host.
      if (js) {
        const hosts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).host));
        for (const h of hosts) expect(h).toBe(new URL(url).host);
      }
      // The same order in the other language.
      const other = lang === 'vi' ? 'en' : 'vi';
      const orderPath = new URL(page.url()).pathname.replace(/^\/en/, '');
      await page.locator(`a[hreflang="${other}"]`).first().click();
      await page.waitForURL((u) => u.pathname === `${prefix(other)}${orderPath}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(other);
      expect(await page.locator('main').innerText()).toContain(createT(other)(`orders.checkout.method.${payment}`));
      await page.screenshot({ path: screenshotPath(`tourist-${name}-${lang}-${width}-${payment}`), fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it('on a phone with JavaScript: one step, the summary directly above the total and the button, nothing wider than the screen', async () => {
    const t = createT('vi');
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}/products/${OTHER}`);
    await page.getByRole('button', { name: t('orders.add.button') }).click();
    await page.waitForURL((u) => u.pathname === '/cart');
    await page.goto(`${url}/checkout`);
    // Before the province: no total yet, the one button already "Place the order".
    expect(await page.locator('.checkout-total').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: t('orders.checkout.review') }).count()).toBe(0);
    await fillCheckout(page, 'vi', 'cod');
    await expect.poll(() => page.locator('.order-quote .quote-part').count()).toBe(1);
    const [fields, summary, total, button] = await boxes(page, ['.checkout-fields', '.order-quote', '.checkout-total', 'button[value="place"]']);
    // One column: the form, then the summary, the total and the button right under each other.
    expect(summary.y).toBeGreaterThanOrEqual(fields.y + fields.height - 1);
    expect(total.y - (summary.y + summary.height)).toBeLessThan(80);
    expect(button.y - (total.y + total.height)).toBeLessThan(80);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: screenshotPath(`checkout-one-step-phone-${name}`), fullPage: true });
    await page.getByRole('button', { name: t('orders.checkout.place') }).click();
    await page.waitForURL(/\/orders\/ord_[0-9a-z]{20}$/);
    expect(await page.locator('.order-received').innerText()).toBe(t('storefront.order.received'));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('checks out with the keyboard alone (Tab, Enter, Space), the focus always visible', async () => {
    const t = createT('en');
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}/en/products/${OTHER}`);
    // The first Tab reaches the skip link, and it shows.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('skip-link'))).toBe(true);
    await tabTo(page, 'form.add-to-cart button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/en/cart');
    await tabTo(page, 'main a[href="/en/checkout"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/en/checkout`);
    const typeInto = async (id: string, text: string) => {
      await tabTo(page, `#${id}`);
      await page.keyboard.type(text);
    };
    await typeInto('f-name', 'Keyboard Kim');
    await typeInto('f-phone', '0987654321');
    await typeInto('f-line', '5 Tràng Tiền');
    await typeInto('f-commune', 'Hoan Kiem');
    await typeInto('f-province', 'Hanoi'); // typeahead on the focused select
    expect(await page.locator('#f-province').inputValue()).toBe('ha-noi');
    // The checked radio (VietQR, the default) takes the focus; Space keeps it chosen.
    await tabTo(page, 'input[name="payment"]');
    await page.keyboard.press('Space');
    // One step with JavaScript: the total is priced as the province is chosen, and the next
    // button after the payment choice places the order.
    await page.locator('input[name="shownTotal"]').waitFor({ state: 'attached' });
    expect(await page.locator('button[value="quote"]').count()).toBe(0);
    await tabTo(page, 'button[value="place"]', 120);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/en\/orders\/ord_[0-9a-z]{20}$/);
    expect(await page.locator('main').innerText()).toContain(t('orders.checkout.method.vietqr'));
    expect(await page.locator('.vietqr svg').count()).toBe(1);
    await page.screenshot({ path: screenshotPath(`keyboard-checkout-${name}`), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createT } from '../../src/lib/i18n/index.ts';
import { getJson, servers } from '../support/http.ts';
import { issueStamps } from '../support/stamps.ts';
import { DESKTOP, PHONE, expectAccessible, hasChromium, launch, prefix, screenshotPath, watchErrors, type Lang } from './browser.ts';

/** Signs in through the form (sign-ins are rate-limited per client, so once per context). */
async function signIn(page: Page, url: string, lang: Lang, email: string, then: string): Promise<void> {
  await page.goto(`${url}${prefix(lang)}${then}`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', 'ocop-demo-2026');
  await page.click('form.bo-form button[type="submit"]');
  await page.waitForURL(`${url}${prefix(lang)}${then}`);
}

/** No page may scroll sideways on a phone. */
async function expectNoSideScroll(page: Page, label: string): Promise<void> {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, `${label} scrolls sideways`).toBeLessThanOrEqual(width);
}

// Each run recalls the newest lot of its own product (vi desktop and en phone on the embedded database, en desktop on the server).
const runs = (name: string) => (name === 'pglite'
  ? [{ lang: 'vi' as const, width: 'desktop', viewport: DESKTOP, product: 'khan-lua-ma-chau', producer: 'cong-ty-lua-ma-chau' }, { lang: 'en' as const, width: 'phone', viewport: PHONE, product: 'che-shan-tuyet-cong-thanh-goi-500g', producer: 'htx-cong-thanh' }]
  : [{ lang: 'en' as const, width: 'desktop', viewport: DESKTOP, product: 'san-pham-tho-cam-det-tay-ban-lac', producer: 'htx-det-tho-cam-ban-lac' }]);

describe.skipIf(!hasChromium).each(servers)('monitoring in Chromium ($name)', (server) => {
  const { name, url } = server;
  let browser: Browser;
  let pdf: string;
  beforeAll(async () => {
    browser = await launch();
    pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-inspection-')), 'bien-ban.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(runs(name))('an inspection ends in a recall that the stamp page shows first; a visitor reports a problem ($lang, $width)', async ({ lang, width, viewport, product, producer }) => {
    const t = createT(lang);
    const p = prefix(lang);
    const tag = `${name}-${lang}-${width}`;
    const issued = await issueStamps(server, product, 1);
    const code = issued.stamps[0]!.code;
    const lotId = (await getJson<{ lot: { id: number } }>(url, `/api/trace/${code}`)).body.lot.id;
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = watchErrors(page);

    // The office records the inspection with its report (PDF).
    await signIn(page, url, lang, 'admin@ocop.local', '/admin/inspections');
    await expectAccessible(page, `inspections ${tag}`);
    await expectNoSideScroll(page, 'inspections');
    await page.selectOption('select[name="producer"]', producer);
    await page.fill('input[name="product"]', product);
    await page.fill('input[name="lotId"]', String(lotId));
    await page.fill('input[name="inspectedOn"]', new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await page.selectOption('select[name="outcome"]', 'violation');
    await page.fill('textarea[name="inspectors"]', 'Nguyễn Thị Hoa\nTrần Văn Bình');
    await page.fill('textarea[name="findings"]', 'Mẫu lưu không đạt chỉ tiêu công bố.');
    await page.setInputFiles('input[name="document"]', pdf);
    await page.click('form:has(input[value="inspection"]) button[type="submit"]');
    await page.waitForURL(new RegExp(`${p}/admin/inspections/\\d+\\?done=saved`));
    expect(await page.locator('main').innerText()).toContain(t('inspection.saved'));
    expect(await page.locator('main a[href$=".pdf"]').count()).toBe(1);

    // The decision: recall the inspected lot (ticked already), with the reason buyers will read.
    await expectAccessible(page, `inspection ${tag}`);
    await expectNoSideScroll(page, 'inspection');
    expect(await page.locator(`input[name="lotIds"][value="${lotId}"]`).isChecked()).toBe(true);
    await page.selectOption('select[name="decision"]', 'lot_recall');
    await page.fill('textarea[name="note"]', `Thu hồi lô do mẫu lưu không đạt (${tag})`);
    await page.click(`button:has-text("${t('inspection.decide')}")`);
    await page.waitForURL(/done=decided/);
    expect(await page.locator('main').innerText()).toContain(t('inspection.decision.lot_recall'));
    await page.screenshot({ path: screenshotPath(`monitor-${tag}-decided`), fullPage: true });

    // The next scan of the stamp shows the recall before anything else.
    await page.goto(`${url}${p}/t/${code}${lang === 'vi' ? '?lang=vi' : ''}`);
    const alert = page.locator('main [role="alert"], body [role="alert"]').first();
    expect(await alert.innerText()).toContain(t('trace.alert.recall'));
    expect(await alert.innerText()).toContain(`Thu hồi lô do mẫu lưu không đạt (${tag})`);
    const order = await page.evaluate(() => {
      const sections = [...document.querySelectorAll('section')];
      return { alert: sections.findIndex((s) => s.getAttribute('role') === 'alert'), verdict: sections.findIndex((s) => s.classList.contains('ok') || s.classList.contains('warn')) };
    });
    expect(order.alert).toBe(0);
    expect(order.alert).toBeLessThan(order.verdict);
    await expectAccessible(page, `recalled stamp ${tag}`, { javaScript: false });
    await expectNoSideScroll(page, 'recalled stamp');
    await page.screenshot({ path: screenshotPath(`monitor-${tag}-stamp`), fullPage: true });

    // A visitor reports a problem from the stamp page (no account needed).
    await page.click(`a:has-text("${t('monitor.report.link')}")`);
    await page.waitForURL(new RegExp(`${p}/report\\?code=${code}`));
    await expectAccessible(page, `report ${tag}`);
    await expectNoSideScroll(page, 'report');
    await page.selectOption('select[name="category"]', 'quality');
    await page.fill('textarea[name="body"]', `Sản phẩm có mùi lạ (${tag})`);
    await page.fill('input[name="contact"]', '0912 345 678');
    await page.click(`button:has-text("${t('report.submit')}")`);
    await page.waitForSelector('.note--valid');
    expect(await page.locator('.note--valid').innerText()).toMatch(lang === 'vi' ? /Cảm ơn bạn/ : /Thank you/);

    // The office sees it in its queue, with the contact.
    await page.goto(`${url}${p}/admin/reports?status=new`);
    await expectAccessible(page, `reports ${tag}`);
    await expectNoSideScroll(page, 'reports');
    const card = page.locator('.mon-card', { hasText: `Sản phẩm có mùi lạ (${tag})` });
    expect(await card.innerText()).toContain('0912 345 678');
    await page.screenshot({ path: screenshotPath(`monitor-${tag}-reports`), fullPage: true });

    // The payment desk and the producer's own pages render and fit a phone.
    await page.goto(`${url}${p}/admin/payments`);
    await expectAccessible(page, `payments ${tag}`);
    await expectNoSideScroll(page, 'payments');
    await page.screenshot({ path: screenshotPath(`monitor-${tag}-payments`), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

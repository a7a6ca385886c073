import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { createT } from '../../src/lib/i18n/index.ts';
import { getJson, servers } from '../support/http.ts';
import { issueStamps } from '../support/stamps.ts';
import { DESKTOP, PHONE, expectAccessible, hasChromium, launch, prefix, screenshotPath, watchErrors, type Lang } from './browser.ts';

/** Signs in through the form once per browser context (sign-ins are rate-limited per client). */
async function signIn(page: Page, url: string, lang: Lang, email: string, then: string): Promise<void> {
  await page.goto(`${url}${prefix(lang)}${then}`);
  expect(new URL(page.url()).pathname).toBe(`${prefix(lang)}/login`);
  await expectAccessible(page, `login ${lang}`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', 'ocop-demo-2026');
  await page.click('form.bo-form button[type="submit"]');
  await page.waitForURL(`${url}${prefix(lang)}${then}`);
}

// The producer journey: both languages on the embedded database, one on the server.
const producerRuns = (name: string) => (name === 'pglite'
  ? [{ lang: 'vi' as const, width: 'desktop', viewport: DESKTOP }, { lang: 'en' as const, width: 'phone', viewport: PHONE }]
  : [{ lang: 'en' as const, width: 'desktop', viewport: DESKTOP }]);

describe.skipIf(!hasChromium).each(servers)('the back office in Chromium ($name)', (server) => {
  const { name, url } = server;
  let browser: Browser;
  let photo: string;
  beforeAll(async () => {
    browser = await launch();
    photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-photo-')), 'banh.jpg');
    // A 2400×1800 picture: the upload must come back resized to 1600 px and served as WebP.
    await sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: 180, g: 120, b: 40 } } }).jpeg().toFile(photo);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(producerRuns(name))('a producer lists a product with a photo, issues stamps for a lot and ships an order ($lang, $width)', async ({ lang, width, viewport }) => {
    const t = createT(lang);
    const p = prefix(lang);
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const tag = `${name}-${lang}-${width}`;

    await signIn(page, url, lang, 'cong-ty-le-gia@ocop.local', '/dashboard/products/new');
    await expectAccessible(page, `new product ${lang} ${width}`);
    await page.fill('input[name="nameVi"]', `Bánh đa Lê Gia ${tag}`);
    await page.fill('input[name="nameEn"]', `Le Gia rice crackers ${tag}`);
    await page.selectOption('select[name="subgroup"]', 'processed-grains');
    await page.fill('input[name="price"]', '35000');
    await page.fill('input[name="stock"]', '40');
    await page.fill('input[name="unitVi"]', 'gói');
    await page.fill('input[name="unitEn"]', 'pack');
    await page.fill('textarea[name="storyVi"]', 'Bánh đa phơi nắng trên giàn tre.');
    await page.selectOption('select[name="status"]', 'published');
    await page.click('form.bo-form:has(input[name="nameVi"]) button[type="submit"]');
    await page.waitForURL(new RegExp(`${p}/dashboard/products/banh-da-le-gia-`));
    const slug = new URL(page.url()).pathname.split('/').pop()!;
    // A new product goes public once the office approves it (issue 14 item 10).
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@ocop.local', password: 'ocop-demo-2026' }) });
    const office = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const approval = await fetch(`${url}/api/admin/products/${slug}/approval`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: office, origin: url }, body: JSON.stringify({ decision: 'approve' }) });
    expect(approval.status).toBe(200);

    await page.setInputFiles('input[name="photo"]', photo);
    await page.click('form[enctype="multipart/form-data"] button[type="submit"]');
    await page.waitForURL(/done=photo/);
    expect(await page.locator('.bo-photos img').first().getAttribute('width')).toBe('1600');
    await expectAccessible(page, `product editor ${lang} ${width}`);

    // Its public page shows the photo as WebP at its real size.
    await page.click(`a:has-text("${t('dash.products.view')}")`);
    await page.waitForURL(`${url}${p}/products/${slug}`);
    expect(await page.locator('h1').first().innerText()).toContain(lang === 'vi' ? `Bánh đa Lê Gia ${tag}` : `Le Gia rice crackers ${tag}`);
    const img = page.locator('main img').first();
    expect(await img.getAttribute('src')).toMatch(/^\/media\/products\/.+\.webp$/);
    expect(await img.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(1600);

    // Shoppers find it in search within moments (the outbox path), typed without accents.
    await expect.poll(async () => {
      await page.goto(`${url}${p}/products?q=${encodeURIComponent(`banh da le gia ${tag}`)}`);
      return page.locator(`main a[href$="/products/${slug}"]`).count();
    }, { timeout: 10_000, interval: 500 }).toBeGreaterThan(0);

    // A lot, then a run of stamps for it, printable at once.
    await page.goto(`${url}${p}/dashboard/lots?product=${slug}`);
    await page.fill('input[name="code"]', `BD${lang.toUpperCase()}01`);
    await page.fill('input[name="quantity"]', '40');
    await page.fill('input[name="producedOn"]', '2026-11-20');
    await page.click('form.bo-form button[type="submit"]');
    await page.waitForURL(new RegExp(`${p}/dashboard/lots/\\d+$`));
    await page.fill('#lot-stamps input[name="count"]', '40');
    await page.click('#lot-stamps form:has(input[name="count"]) button[type="submit"]');
    await page.waitForURL(/done=issued/);
    expect(await page.locator('[role="status"]').first().innerText()).toContain('40');
    const runId = Number(new URL(page.url()).searchParams.get('run'));
    const run = page.locator(`#run-${runId}`);
    expect(await run.innerText()).toContain('40');
    await expectAccessible(page, `lot ${lang} ${width}`);
    const sheet = await page.request.get(new URL((await run.locator('a', { hasText: 'SVG' }).getAttribute('href'))!, url).href);
    expect(sheet.status()).toBe(200);
    expect(sheet.headers()['content-type']).toContain('image/svg+xml');
    const svg = await sheet.text();
    const codes = [...svg.matchAll(/data-code="([0-9A-Z]{19})"/g)].map((m) => m[1]!);
    expect(new Set(codes).size).toBe(40);
    const pdf = await page.request.get(new URL((await run.locator('a', { hasText: 'PDF' }).getAttribute('href'))!, url).href);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // A printed stamp leads to this product's provenance page.
    const trace = await getJson<{ product: { slug: string } }>(url, `/api/trace/${codes[0]}`);
    expect(trace.body.product.slug).toBe(slug);

    // A customer orders it (cash on delivery) …
    const res = await fetch(`${url}/api/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ slug, qty: 2 }], customer: { name: 'Trần Bình', phone: '0912345678', address: { line: '3 Lê Lợi', commune: 'Phường Hạc Thành', province: 'Thanh Hóa' } }, payment: 'cod' }),
    });
    expect(res.status).toBe(201);
    const order = (await res.json()) as { publicId: string };

    // … and the producer ships its parcel from the dashboard.
    await page.goto(`${url}${p}/dashboard`);
    const part = page.locator(`li[data-order="${order.publicId}"]`);
    await part.locator('input[name="carrier"]').fill('Viettel Post');
    await part.locator('input[name="trackingNumber"]').fill(`VTP${Date.now()}`);
    await part.getByRole('button', { name: t('orders.dash.mark.shipped') }).click();
    await page.waitForURL(/updated=1/);
    expect(await page.locator(`li[data-order="${order.publicId}"]`).innerText()).toContain(t('orders.order.part.shipped'));
    await expectAccessible(page, `dashboard ${lang} ${width}`);
    await page.screenshot({ path: screenshotPath(`producer-${tag}`), fullPage: true });

    const { body } = await getJson<{ status: string; parts: Array<{ status: string; trackingNumber: string | null }> }>(url, `/api/orders/${order.publicId}`);
    expect(body.status).toBe('shipped');
    expect(body.parts[0]!.status).toBe('shipped');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the office revokes a certificate and the badge goes from the product page, search and the provenance page (vi desktop, en phone)', async () => {
    const slug = 'mat-ong-bac-ha-tuan-dung';
    const [{ body: product }, issued] = await Promise.all([
      getJson<{ stars: number; certificate: { number: string }; name: { vi: string } }>(url, `/api/products/${slug}`),
      issueStamps(server, slug, 1),
    ]);
    expect(product.stars).toBe(4);
    const code = issued.stamps[0]!.code;
    const tv = createT('vi');
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const errors = watchErrors(page);

    // Before: the badge on the product page and in the 4★ search.
    await page.goto(`${url}/products/${slug}`);
    expect(await page.locator('main .badge').count()).toBeGreaterThan(0);

    await signIn(page, url, 'vi', 'admin@ocop.local', '/admin');
    await expectAccessible(page, 'admin vi');
    await page.goto(`${url}/admin/certificates?q=${encodeURIComponent(product.certificate.number)}`);
    await expectAccessible(page, 'certificates vi');
    await page.getByRole('link', { name: product.certificate.number }).click();
    await page.waitForURL(/\/admin\/certificates\/\d+$/);
    await expectAccessible(page, 'certificate vi');
    await page.getByLabel(tv('certificate.revocation.code')).selectOption('packaging_label');
    await page.getByLabel(tv('admin.cert.revokeReason')).fill('Sử dụng nhãn OCOP sai quy định');
    await page.getByRole('button', { name: tv('admin.cert.revoke') }).click();
    await page.waitForURL(/done=revoked/);
    expect(await page.locator('main').innerText()).toContain(tv('admin.cert.revoked'));
    await page.screenshot({ path: screenshotPath(`office-${name}-revoked`), fullPage: true });

    // After, in Vietnamese at desktop width: no badge on the product page, gone from the stars filter, alert on the stamp.
    await page.goto(`${url}/products/${slug}`);
    expect(await page.locator('main .badge:not(.neighbours .badge)').count()).toBe(0);
    expect(await page.locator('main').innerText()).toContain(tv('certificate.state.revoked'));
    await page.goto(`${url}/products?stars=4&q=${encodeURIComponent('mat ong bac ha')}`);
    expect(await page.locator(`.card a[href="/products/${slug}"]`).count()).toBe(0);
    await page.goto(`${url}/t/${code}?lang=vi`);
    expect(await page.locator('[role="alert"]').innerText()).toContain(tv('trace.standing.genuineNotOcop'));
    expect(await page.locator('.stars').count()).toBe(0);
    await context.close();

    // And in English on a phone, for a visitor.
    const te = createT('en');
    const phone = await browser.newContext({ viewport: PHONE });
    const visitor = await phone.newPage();
    const visitorErrors = watchErrors(visitor);
    await visitor.goto(`${url}/en/products/${slug}`);
    expect(await visitor.locator('main .badge:not(.neighbours .badge)').count()).toBe(0);
    expect(await visitor.locator('main').innerText()).toContain(te('certificate.state.revoked'));
    await visitor.goto(`${url}/en/products?q=${encodeURIComponent('honey')}`);
    expect(await visitor.locator(`.card a[href="/en/products/${slug}"]`).count()).toBe(0);
    await visitor.goto(`${url}/en/t/${code}`);
    expect(await visitor.locator('[role="alert"]').innerText()).toContain(te('trace.standing.genuineNotOcop'));
    // The reason as the office chose it from the list, in English; its Vietnamese note stays on the Vietnamese page.
    expect(await visitor.locator('[role="alert"]').innerText()).toContain(te('certificate.revocation.packaging_label'));
    expect(await visitor.locator('main, body').first().innerText()).not.toContain('Sử dụng nhãn OCOP sai quy định');
    expect(await visitor.locator('.stars').count()).toBe(0);
    await expectAccessible(visitor, 'revoked stamp en phone');
    await visitor.screenshot({ path: screenshotPath(`office-${name}-revoked-stamp-en`), fullPage: true });
    expect([...errors, ...visitorErrors]).toEqual([]);
    await phone.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import zlib from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { servers } from '../support/http.ts';
import { DESKTOP, hasChromium, launch, screenshotPath } from './browser.ts';

describe.skipIf(!hasChromium).each(servers)('a producer runs its shop in Chromium ($name)', ({ name, url }) => {
  let browser: Browser;
  let photo: string;
  beforeAll(async () => {
    browser = await launch();
    photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-photo-')), 'banh.jpg');
    // A 2400×1800 picture: the upload must come back resized to 1600 px.
    await sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: 180, g: 120, b: 40 } } }).jpeg().toFile(photo);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in, lists a new product with a photo, finds it in search, records a lot, issues 10 stamps and downloads the PDF', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${url}/dashboard/products/new`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name="email"]', 'cong-ty-le-gia@ocop.local');
    await page.fill('input[name="password"]', 'ocop-demo-2026');
    await page.click('form.bo-form button[type="submit"]');
    await page.waitForURL(`${url}/dashboard/products/new`);

    await page.fill('input[name="nameVi"]', `Bánh đa Lê Gia ${name}`);
    await page.fill('input[name="nameEn"]', `Le Gia rice crackers ${name}`);
    await page.selectOption('select[name="subgroup"]', 'processed-grains');
    await page.fill('input[name="price"]', '35000');
    await page.fill('input[name="stock"]', '40');
    await page.fill('input[name="unitVi"]', 'gói');
    await page.fill('input[name="unitEn"]', 'pack');
    await page.fill('textarea[name="storyVi"]', 'Bánh đa phơi nắng trên giàn tre.');
    await page.selectOption('select[name="status"]', 'published');
    await page.click('form.bo-form:has(input[name="nameVi"]) button[type="submit"]');
    await page.waitForURL(/\/dashboard\/products\/banh-da-le-gia-/);
    const slug = new URL(page.url()).pathname.split('/').pop()!;

    await page.setInputFiles('input[name="photo"]', photo);
    await page.click('form[enctype="multipart/form-data"] button[type="submit"]');
    await page.waitForURL(/done=photo/);
    const img = page.locator('.bo-photos img').first();
    expect(await img.getAttribute('width')).toBe('1600');
    await page.screenshot({ path: screenshotPath(`backoffice-${name}-product`), fullPage: true });

    await page.click('a:has-text("Xem trang công khai")');
    await page.waitForURL(`${url}/products/${slug}`);
    expect(await page.locator('h1').first().innerText()).toContain(`Bánh đa Lê Gia ${name}`);
    const publicImg = page.locator('main img').first();
    expect(await publicImg.getAttribute('src')).toMatch(/^\/media\/products\/.+\.webp$/);
    expect(await publicImg.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(1600);
    await page.screenshot({ path: screenshotPath(`backoffice-${name}-public`) });

    // Search finds it once the index has caught up (through the outbox, within a couple of seconds).
    const query = `Bánh đa Lê Gia ${name}`;
    const result = page.locator(`main a[href="/products/${slug}"]`).first();
    const deadline = Date.now() + 5_000;
    for (;;) {
      await page.goto(`${url}/products?q=${encodeURIComponent(query)}`);
      if ((await result.count()) > 0 || Date.now() > deadline) break;
      await page.waitForTimeout(250);
    }
    expect(await result.count()).toBeGreaterThan(0);

    // A lot of the new product, then 10 stamps for it.
    await page.goto(`${url}/dashboard/lots`);
    await page.selectOption('select[name="product"]', slug);
    await page.fill('input[name="code"]', `BD${name === 'pglite' ? 'L' : 'P'}2602`);
    await page.fill('input[name="quantity"]', '40');
    await page.fill('input[name="producedOn"]', '2026-02-20');
    await page.click('form.bo-form:has(select[name="product"]) button[type="submit"]');
    await page.waitForURL(/\/dashboard\/lots\/\d+$/);
    await page.fill('#lot-stamps input[name="count"]', '10');
    await page.click('#lot-stamps form:has(input[name="count"]) button[type="submit"]');
    await page.waitForURL(/done=issued/);
    expect(await page.locator('[role="status"]').innerText()).toContain('10');
    const runId = Number(new URL(page.url()).searchParams.get('run'));
    await page.screenshot({ path: screenshotPath(`backoffice-${name}-stamps`), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#run-${runId} a:has-text("PDF")`)]);
    expect(download.suggestedFilename()).toBe(`stamps-${slug}-BD${name === 'pglite' ? 'L' : 'P'}2602-run${runId}.pdf`);
    const file = path.join(path.dirname(photo), 'stamps.pdf');
    await download.saveAs(file);
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(/\/Type \/Pages \/Kids \[[^\]]*\] \/Count (\d+)/.exec(raw)?.[1]).toBe('1');
    // Each label is framed by one stroked rectangle in the (deflated) page content.
    const contents = [...raw.matchAll(/<< \/Length (\d+) \/Filter \/FlateDecode >>\nstream\n/g)]
      .map((m) => pdf.subarray(m.index! + m[0].length, m.index! + m[0].length + Number(m[1])))
      .map((b) => zlib.inflateSync(b).toString('latin1'))
      .filter((c) => c.includes(' Tj ET'));
    expect(contents).toHaveLength(1);
    expect(contents[0]!.match(/ re S\n/g)).toHaveLength(10);
    const run = (await (await page.request.get(`${url}/api/producer/stamp-runs/${runId}`)).json()) as { stamps: Array<{ code: string }> };
    expect(run.stamps).toHaveLength(10);
    const text = spawnSync('pdftotext', [file, '-']).stdout?.toString();
    if (text) for (const s of run.stamps) expect(text.replace(/[\s-]+/g, ''), s.code).toContain(s.code);
    expect(errors).toEqual([]);
    await context.close();
  });
});

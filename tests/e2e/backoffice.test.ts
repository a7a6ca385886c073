import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
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

  it('signs in, lists a new product with a photo, and sees it on its public page', async () => {
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
    expect(errors).toEqual([]);
    await context.close();
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createT } from '../../src/lib/i18n/index.ts';
import { servers } from '../support/http.ts';
import { DESKTOP, PHONE, expectAccessible, hasChromium, launch, prefix, screenshotPath, watchErrors, type Lang } from './browser.ts';

async function signIn(page: Page, url: string, lang: Lang, email: string, then: string): Promise<void> {
  await page.goto(`${url}${prefix(lang)}${then}`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', 'ocop-demo-2026');
  await page.click('form.bo-form button[type="submit"]');
  await page.waitForURL(`${url}${prefix(lang)}${then}`);
}

/** "N / target" of a plan card's bar. */
async function planFigure(page: Page, area: string, label: string): Promise<number> {
  const text = await page.locator(`li.ofc-plan:has(h3:text-is("${area}")) li.ofc-bar:has(span:text-is("${label}")) strong`).innerText();
  return Number(text.split('/')[0]!.trim());
}

// One journey per server: Vietnamese on a phone on the embedded database, English on a desktop on PostgreSQL.
describe.skipIf(!hasChromium).each(servers)('the OCOP office programme in Chromium ($name)', ({ name, url }) => {
  let browser: Browser;
  let docs: Record<string, string>;
  beforeAll(async () => {
    browser = await launch();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-dossier-'));
    docs = Object.fromEntries(['business_registration', 'standards_declaration', 'test_report', 'label_packaging', 'story'].map((k) => {
      const file = path.join(dir, `${k}.pdf`);
      fs.writeFileSync(file, `%PDF-1.4\n% ${k}\n%%EOF\n`);
      return [k, file];
    }));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a producer files a dossier → the office returns it → the producer files it again → accepted → the council scores → certificate → the programme counts it', async () => {
    const lang: Lang = name === 'pglite' ? 'vi' : 'en';
    const viewport = name === 'pglite' ? PHONE : DESKTOP;
    const t = createT(lang);
    const p = prefix(lang);
    const year = new Date().getUTCFullYear();
    const producerCtx = await browser.newContext({ viewport });
    const officeCtx = await browser.newContext({ viewport });
    const producer = await producerCtx.newPage();
    const office = await officeCtx.newPage();
    const errors = [...watchErrors(producer), ...watchErrors(office)];
    const shot = (page: Page, what: string) => page.screenshot({ path: screenshotPath(`programme-${what}-${name}-${lang}`), fullPage: true });
    const area = 'huyện Bình Sơn';
    const firstLabel = t('office.target.first');

    await signIn(office, url, lang, 'admin@ocop.local', `/admin/programme?year=${year}&province=quang-ngai`);
    const before = await planFigure(office, area, firstLabel);

    // The producer adds a product (API, same session) and files its first evaluation with three of the five documents.
    await signIn(producer, url, lang, 'co-so-gom-my-thien@ocop.local', '/dashboard/dossiers');
    const created = await producer.request.post(`${url}/api/producer/products`, { headers: { origin: url }, data: { subgroup: 'crafts-decor', nameVi: `Chum gốm Mỹ Thiện ${name}`, nameEn: `My Thien jar ${name}`, price: 450000, unitVi: 'chiếc', unitEn: 'piece', stock: 3 } });
    expect(created.status()).toBe(201);
    const { slug } = (await created.json()) as { slug: string };
    await producer.reload();
    await producer.selectOption('select[name="product"]', slug);
    await producer.selectOption('select[name="kind"]', 'first');
    await producer.fill('input[name="selfA"]', '29');
    await producer.fill('input[name="selfB"]', '18');
    await producer.fill('input[name="selfC"]', '24');
    for (const k of ['business_registration', 'standards_declaration', 'test_report']) await producer.setInputFiles(`input[name="doc.${k}"]`, docs[k]!);
    await producer.click('form[enctype="multipart/form-data"] button[type="submit"]');
    await producer.waitForURL(/\/dashboard\/dossiers\/\d+\?done=filed/);
    const id = Number(new URL(producer.url()).pathname.split('/').pop());
    expect(await producer.locator('.ofc-missing').count()).toBe(2);
    await expectAccessible(producer, `dossier ${lang}`);
    await shot(producer, 'producer-filed');

    // The office sees it in the queue and returns it with a comment.
    await office.goto(`${url}${p}/admin/dossiers`);
    await office.click(`a[href="${p}/admin/dossiers/${id}"]`);
    await office.selectOption('select[name="action"]', 'return');
    await office.fill('textarea[name="comment"]', 'Bổ sung ảnh nhãn, bao bì và câu chuyện sản phẩm.');
    await office.click('form:has(input[value="decide"]) button[type="submit"]');
    await office.waitForURL(/done=decide/);
    expect(await office.locator('.ofc-status').first().innerText()).toBe(t('office.status.returned'));

    // The producer reads the comment, adds the missing documents and files it again.
    await producer.goto(`${url}${p}/dashboard/dossiers/${id}`);
    expect(await producer.locator('.note').innerText()).toContain('Bổ sung ảnh nhãn');
    await producer.setInputFiles('input[name="doc.label_packaging"]', docs.label_packaging!);
    await producer.setInputFiles('input[name="doc.story"]', docs.story!);
    await producer.click('form:has(input[value="documents"]) button[type="submit"]');
    await producer.waitForURL(/done=documents/);
    await producer.click('form:has(input[value="resubmit"]) button[type="submit"]');
    await producer.waitForURL(/done=resubmit/);
    expect(await producer.locator('.ofc-status').first().innerText()).toBe(t('office.status.submitted'));

    // The office accepts it into the round, attaches the commune's assessment, and the council scores: 7 of 9 members.
    await office.goto(`${url}${p}/admin/dossiers/${id}`);
    await office.selectOption('select[name="action"]', 'accept');
    await office.click('form:has(input[value="decide"]) button[type="submit"]');
    await office.waitForURL(/done=decide/);
    await office.click('form:has(input[value="assess"]) button[type="submit"]');
    await office.waitForURL(/done=assess/);
    await office.fill('input[name="councilSize"]', '9');
    // Six members first: below the quorum of 7, refused beside the members.
    const score = async (members: number) => {
      for (let i = 0; i < members; i++) {
        await office.fill(`input[name="m${i}.name"]`, `Thành viên ${i + 1}`);
        await office.fill(`input[name="m${i}.a"]`, String(28 + (i % 3)));
        await office.fill(`input[name="m${i}.b"]`, '18');
        await office.fill(`input[name="m${i}.c"]`, '24.5');
      }
      await office.click('form:has(input[value="score"]) button[type="submit"]');
    };
    await score(6);
    await office.waitForLoadState();
    expect(await office.locator('form:has(input[value="score"]) .field__error').first().innerText()).toBe(t('bo.err.no_quorum'));
    await score(7);
    await office.waitForURL(/done=score/);
    expect(await office.locator('[role="status"]').innerText()).toContain('4');
    await expectAccessible(office, `scored dossier ${lang}`);
    await shot(office, 'office-scored');
    await office.fill('input[name="number"]', `E2E-${name}-${Date.now()}`);
    await office.fill('input[name="decisionNumber"]', '88/QĐ-UBND');
    await office.click('form:has(input[value="certify"]) button[type="submit"]');
    await office.waitForURL(/done=certify/);
    expect(await office.locator('.ofc-status').first().innerText()).toBe(t('office.status.certified'));

    // The programme page counts the new first evaluation in the Bình Sơn plan.
    await office.goto(`${url}${p}/admin/programme?year=${year}&province=quang-ngai`);
    expect(await planFigure(office, area, firstLabel)).toBe(before + 1);
    expect(await office.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await expectAccessible(office, `programme ${lang}`);
    await shot(office, 'programme');
    expect(errors).toEqual([]);
    await producerCtx.close();
    await officeCtx.close();
  }, 240_000);
});

import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../src/lib/db/index.ts';
import * as t from '../schema.ts';
import { addDays, findProvince, makeGtin13, todayInVietnam } from '../../src/lib/catalog/index.ts';
import { productImageSvg } from '../../src/lib/catalog/product-image.ts';
import { certifyingLevel, starsForScore, validUntil } from '../../src/lib/certification/index.ts';
import { hashPassword } from '../../src/lib/auth/password.ts';
import { generateStampCode, stampSecret } from '../../src/lib/stamps/index.ts';
import { storage } from '../../src/lib/storage/index.ts';
import { notifyCatalogChanged } from '../../src/lib/search/index.ts';
import { seedDemoPlaces } from './demo-places.ts';
import { seedMonitoring } from './demo-monitor.ts';
import { seedOffice } from './demo-office.ts';
import { seedShopDemo } from './demo-shop.ts';
import { CERT_SCENARIOS, intBetween, ratingsInStory, rng, seedCombos, seedProducts, type SeedProduct } from './demo-data.ts';

export const DEMO_PASSWORD = 'ocop-demo-2026';
export const DEMO_ADMIN_EMAIL = 'admin@ocop.local';
const STAMPS_PER_RUN = 12;

type Progress = (step: string) => void;

/** Shelf life in days by product set; null where "best before" means nothing (crafts, plants, tours). */
const SHELF_LIFE: Record<string, number | null> = {
  'fresh-produce': 21, 'fresh-meat-seafood': 5, 'processed-meat-seafood': 30, sauces: 720, spices: 540,
  'rice-grains': 365, 'processed-grains': 180, 'honey-syrups': 730, tea: 540, 'herbal-tea': 540,
  'processed-produce': 365, coffee: 540, 'convenience-food': 180,
};
const NO_EXPIRY_GROUPS = new Set(['handicrafts', 'ornamentals', 'tourism']);

const BANKS = ['970436', '970405', '970418', '970415', '970422', '970407'];

function monthsBefore(iso: string, months: number, r: () => number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  d.setUTCDate(Math.min(28, 1 + Math.floor(r() * 28)));
  return d.toISOString().slice(0, 10);
}

/** Council scores within 10 points whose average falls in the band of `stars`. */
function councilScores(stars: number, r: () => number): number[] {
  const band = { 3: [52, 67], 4: [71, 87], 5: [90.5, 97] }[stars as 3 | 4 | 5] ?? [52, 67];
  const target = band[0]! + r() * (band[1]! - band[0]!);
  return Array.from({ length: 5 }, () => Math.max(0, Math.min(100, Math.round((target + (r() - 0.5) * 6) * 2) / 2)));
}

function authorityName(level: string, p: SeedProduct, provinceVi: string, on: string): string {
  if (level === 'central') return on >= '2025-03-01' ? 'Bộ Nông nghiệp và Môi trường' : 'Bộ Nông nghiệp và Phát triển nông thôn';
  if (level === 'province') return `UBND ${provinceVi.startsWith('Thành phố') ? provinceVi : `tỉnh ${provinceVi}`}`;
  const district = /huyện [^,]+/.exec(p.extra.historical_address)?.[0];
  return district ? `UBND ${district}` : `UBND cấp huyện (${p.extra.historical_address})`;
}

/** Fills an empty database with the demo catalogue. One transaction: all or nothing. */
export async function seedDemo(db: Db, progress: Progress = () => {}): Promise<void> {
  const today = todayInVietnam();
  const secret = stampSecret();
  progress('images');
  const media = storage();
  await Promise.all(seedProducts.map((p) =>
    media.put(`products/${p.extra.product_slug}.svg`, productImageSvg({ slug: p.extra.product_slug, name: p.nameVi, motif: p.extra.motif, palette: p.extra.palette }), 'image/svg+xml')));
  progress('accounts');
  // A salt per account, demo ones included (tests/integration/seed.test.ts): a demo account whose
  // password is changed keeps nothing in common with the others. scrypt runs on the thread pool.
  const hashes = await Promise.all([DEMO_ADMIN_EMAIL, ...seedProducts.map((p) => p.extra.producer_slug)].map(() => hashPassword(DEMO_PASSWORD)));

  await db.transaction(async (tx) => {
    progress('producers and products');
    const producerIds = new Map<string, number>();
    const productIds: number[] = [];
    for (const p of seedProducts) {
      const province = findProvince(p.provinceName);
      if (!province) throw new Error(`unknown province ${p.provinceName}`);
      const r = rng(p.extra.producer_slug);
      let producerId = producerIds.get(p.extra.producer_slug);
      if (producerId === undefined) {
        const [row] = await tx.insert(t.producers).values({
          slug: p.extra.producer_slug,
          name: p.producerName,
          type: p.extra.producer_type,
          taxCode: String(intBetween(r, 1_000_000_000, 6_999_999_999)),
          provinceCode: province.code,
          commune: p.extra.commune,
          historicalAddress: p.extra.historical_address,
          storyVi: p.extra.producer_story_vi,
          storyEn: p.extra.producer_story_en,
          phone: `0${intBetween(r, 3, 9)}${String(intBetween(r, 10_000_000, 99_999_999))}`,
          email: `${p.extra.producer_slug}@ocop.local`,
          bankBin: BANKS[intBetween(r, 0, BANKS.length - 1)],
          bankAccount: String(intBetween(r, 100_000_000, 9_999_999_999)),
          bankAccountName: p.producerName.toUpperCase(),
          status: 'verified',
        }).returning({ id: t.producers.id });
        producerId = row!.id;
        producerIds.set(p.extra.producer_slug, producerId);
      }
      const experience = p.groupCode === 'tourism';
      const publishedAt = new Date(`${addDays(today, -intBetween(r, 20, 400))}T09:00:00+07:00`);
      const [product] = await tx.insert(t.products).values({
        slug: p.extra.product_slug,
        producerId,
        groupCode: p.groupCode,
        subgroupCode: p.subgroupCode,
        kind: experience ? 'experience' : 'goods',
        nameVi: p.nameVi,
        nameEn: p.nameEn,
        descriptionVi: p.extra.description_vi,
        descriptionEn: p.extra.description_en,
        storyVi: p.storyVi,
        storyEn: p.extra.story_en,
        price: p.extra.price,
        unitVi: p.extra.unit_vi,
        unitEn: p.extra.unit_en,
        weightGrams: experience ? 0 : p.extra.weight_grams,
        stock: experience ? 0 : p.index === 3 ? 3 : intBetween(r, 12, 160),
        gtin: makeGtin13(`893${String(1000 + producerIds.size).padStart(4, '0')}${String(10_000 + p.index).padStart(5, '0')}`),
        images: [{ url: media.url(`products/${p.extra.product_slug}.svg`), width: 800, height: 800, altVi: p.nameVi, altEn: p.nameEn }],
        standards: p.extra.standards,
        status: 'published',
        featured: p.stars === 5 && p.index % 2 === 0,
        publishedAt,
        createdAt: publishedAt,
      }).returning({ id: t.products.id });
      productIds.push(product!.id);
    }

    progress('evaluations and certificates');
    let certSeq = 0;
    for (const p of seedProducts) {
      const productId = productIds[p.index]!;
      const r = rng(`cert:${p.extra.product_slug}`);
      const province = findProvince(p.provinceName)!;
      // [issuedOn, stars, superseded?] oldest first.
      const history: Array<{ issuedOn: string; stars: number }> = [];
      if (p.index === CERT_SCENARIOS.expiring) {
        // Valid until 18 days from today: issued the same calendar day three years earlier.
        const until = addDays(today, 18);
        history.push({ issuedOn: `${Number(until.slice(0, 4)) - 3}${until.slice(4).replace('-02-29', '-02-28')}`, stars: p.stars });
      }
      else if (p.index === CERT_SCENARIOS.expired) history.push({ issuedOn: '2021-06-18', stars: p.stars });
      else if (p.index === CERT_SCENARIOS.renewed) history.push({ issuedOn: '2021-12-31', stars: p.stars }, { issuedOn: '2025-01-16', stars: p.stars });
      else if (p.index === CERT_SCENARIOS.reRecognised) history.push({ issuedOn: '2021-09-24', stars: 5 }, { issuedOn: '2024-09-20', stars: 5 });
      else if (ratingsInStory(p.storyVi).length > 0) {
        // The years the story tells, each re-recognised every 36 months until the last is valid today.
        for (const { stars, year } of ratingsInStory(p.storyVi)) {
          const issuedOn = `${year}-${String(intBetween(r, 3, 11)).padStart(2, '0')}-${String(intBetween(r, 1, 28)).padStart(2, '0')}`;
          if (history.at(-1) && history.at(-1)!.issuedOn.slice(0, 4) >= issuedOn.slice(0, 4)) continue;
          history.push({ issuedOn, stars });
        }
        while (validUntil(history.at(-1)!.issuedOn) <= today) history.push({ issuedOn: addDays(validUntil(history.at(-1)!.issuedOn), -intBetween(r, 5, 40)), stars: p.stars });
      }
      else if (p.index % 5 === 1 && p.stars >= 4) history.push({ issuedOn: monthsBefore(today, intBetween(r, 40, 48), r), stars: p.stars - 1 }, { issuedOn: monthsBefore(today, intBetween(r, 3, 20), r), stars: p.stars });
      else history.push({ issuedOn: monthsBefore(today, intBetween(r, 2, 30), r), stars: p.stars });

      let previousId: number | null = null;
      for (const [i, h] of history.entries()) {
        const last = i === history.length - 1;
        const scores = councilScores(h.stars, r);
        const score = Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100;
        const stars = starsForScore(score);
        const level = certifyingLevel(stars, h.issuedOn);
        const evaluatedOn = addDays(h.issuedOn, -intBetween(r, 10, 40));
        const [evaluation] = await tx.insert(t.evaluations).values({
          productId, level, councilName: `Hội đồng đánh giá, phân hạng sản phẩm OCOP ${level === 'central' ? 'Trung ương' : level === 'province' ? 'cấp tỉnh' : 'cấp huyện'}`,
          evaluatedOn, score, stars, mandatoryMet: true,
        }).returning({ id: t.evaluations.id });
        await tx.insert(t.evaluationScores).values(scores.map((s, m) => ({
          evaluationId: evaluation!.id, memberName: `Thành viên ${m + 1}`, isChair: m === 0, score: s,
        })));
        certSeq++;
        const year = h.issuedOn.slice(0, 4);
        const revoked = last && p.index === CERT_SCENARIOS.revoked;
        const [cert]: Array<{ id: number }> = await tx.insert(t.certificates).values({
          productId,
          evaluationId: evaluation!.id,
          number: `${String(certSeq).padStart(4, '0')}/${year}/GCN-OCOP-${province.code.toUpperCase()}`,
          decisionNumber: `${intBetween(r, 100, 4999)}/QĐ-${level === 'central' ? 'BNN' : 'UBND'}`,
          authority: authorityName(level, p, province.vi, h.issuedOn),
          authorityLevel: level,
          stars,
          score,
          issuedOn: h.issuedOn,
          validUntil: validUntil(h.issuedOn),
          status: revoked ? 'revoked' : last ? 'active' : 'superseded',
          revokedAt: revoked ? new Date(`${addDays(today, -12)}T10:00:00+07:00`) : null,
          // A code from the fixed list (labels in both languages) and the office's note, read on Vietnamese pages.
          revocationCode: revoked ? 'packaging_label' : null,
          revocationReason: revoked ? 'Kiểm tra sau công nhận: bao bì và nhãn không đúng mẫu đã được đánh giá, phân hạng.' : null,
          supersedesId: previousId,
        }).returning({ id: t.certificates.id });
        previousId = cert!.id;
      }
    }

    progress('lots, events and stamps');
    for (const p of seedProducts) {
      await seedLots(tx, p, productIds[p.index]!, today, secret);
    }

    progress('combos');
    for (const c of seedCombos) {
      const items = c.items.map(([index, qty]) => ({ p: seedProducts[index]!, qty }));
      const sum = items.reduce((s, i) => s + i.p.extra.price * i.qty, 0);
      const [combo] = await tx.insert(t.combos).values({
        slug: c.slug, nameVi: c.vi, nameEn: c.en, descriptionVi: c.dvi, descriptionEn: c.den,
        price: Math.round((sum * 0.9) / 1000) * 1000, status: 'published', featured: true,
      }).returning({ id: t.combos.id });
      await tx.insert(t.comboItems).values(items.map((i) => ({ comboId: combo!.id, productId: productIds[i.p.index]!, qty: i.qty })));
    }

    // The search index learns of the new catalogue through the outbox, like any other change.
    await notifyCatalogChanged(tx, { productIds });

    progress('accounts');
    await tx.insert(t.users).values({ email: DEMO_ADMIN_EMAIL, name: 'Văn phòng OCOP', passwordHash: hashes[0]!, role: 'admin' });
    await seedDemoPlaces(tx, { today, password: DEMO_PASSWORD });
    const seen = new Set<string>();
    for (const p of seedProducts) {
      if (seen.has(p.extra.producer_slug)) continue;
      seen.add(p.extra.producer_slug);
      await tx.insert(t.users).values({
        email: `${p.extra.producer_slug}@ocop.local`, name: p.producerName, passwordHash: hashes[p.index + 1]!,
        role: 'producer', producerId: producerIds.get(p.extra.producer_slug)!,
      });
    }
    await seedMonitoring(tx);

    progress('office programme');
    await seedOffice(tx, today);
  });
  progress('gift boxes');
  await seedShopDemo(db);
}

async function seedLots(tx: Tx, p: SeedProduct, productId: number, today: string, secret: string): Promise<void> {
  const r = rng(`lots:${p.extra.product_slug}`);
  const count = 2 + (p.index % 2);
  const shelf = NO_EXPIRY_GROUPS.has(p.groupCode) ? null : SHELF_LIFE[p.subgroupCode] ?? 365;
  const initials = p.extra.product_slug.split('-').map((w) => w[0]!.toUpperCase()).join('').slice(0, 4);
  const place = `${p.extra.commune}, ${p.provinceName}`;
  for (let i = 0; i < count; i++) {
    // Newest lot last; short shelf lives get recent lots so the current one is still good.
    const age = shelf !== null && shelf < 60 ? (count - 1 - i) * Math.max(2, Math.floor(shelf / 3)) + 1 : (count - 1 - i) * intBetween(r, 25, 60) + intBetween(r, 3, 20);
    const producedOn = addDays(today, -age);
    const code = `${initials}${producedOn.slice(2, 4)}${producedOn.slice(5, 7)}${String.fromCharCode(65 + i)}`;
    const harvestedOn = addDays(producedOn, -intBetween(r, 1, 10));
    const quantity = intBetween(r, 80, 600);
    const [lot] = await tx.insert(t.lots).values({
      productId, code, producedOn, bestBefore: shelf === null ? null : addDays(producedOn, shelf), quantity,
      materialAreaVi: p.extra.material_area_vi, materialAreaEn: p.extra.material_area_en,
      growingAreaCode: ['food', 'beverages', 'herbal'].includes(p.groupCode) ? `VN-${findProvince(p.provinceName)!.code.toUpperCase().replace(/-/g, '')}-${String(intBetween(r, 1, 999)).padStart(3, '0')}` : null,
      harvestedOn,
      documents: [{ type: 'test-report', title: `Phiếu kết quả thử nghiệm lô ${code}`, titleEn: `Test report for lot ${code}`, url: `/media/docs/${p.extra.product_slug}-${code.toLowerCase()}.pdf`, issuedBy: 'Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng', issuedOn: addDays(producedOn, 2) }],
      status: 'released',
    }).returning({ id: t.lots.id });
    const at = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+07:00`);
    const events = [
      { bizStep: 'commissioning', disposition: 'active', occurredAt: at(harvestedOn, 7), descriptionVi: `Thu hoạch, tiếp nhận nguyên liệu tại ${p.extra.material_area_vi}`, descriptionEn: `Raw material harvested and received from ${p.extra.material_area_en}`, eventType: 'ObjectEvent' as const, action: 'ADD' },
      { bizStep: 'transforming', disposition: 'in_progress', occurredAt: at(producedOn, 8), descriptionVi: 'Chế biến theo quy trình của cơ sở', descriptionEn: 'Processed following the producer\'s own method', eventType: 'TransformationEvent' as const, action: 'OBSERVE', inputs: [{ quantity: Math.round(quantity * 1.4), uom: 'KGM' }], outputs: [{ lotId: lot!.id, quantity }] },
      { bizStep: 'inspecting', disposition: 'conformant', occurredAt: at(addDays(producedOn, 2), 14), descriptionVi: 'Kiểm tra chất lượng lô, lưu mẫu', descriptionEn: 'Lot quality check, samples retained', eventType: 'ObjectEvent' as const, action: 'OBSERVE', evidence: [{ type: 'test-report', title: `Phiếu thử nghiệm ${code}`, titleEn: `Test report ${code}`, url: `/media/docs/${p.extra.product_slug}-${code.toLowerCase()}.pdf` }] },
      { bizStep: 'packing', disposition: 'active', occurredAt: at(addDays(producedOn, 3), 9), descriptionVi: 'Đóng gói, dán tem truy xuất OCOP', descriptionEn: 'Packed and labelled with OCOP traceability stamps', eventType: 'ObjectEvent' as const, action: 'OBSERVE' },
      { bizStep: 'shipping', disposition: 'in_transit', occurredAt: at(addDays(producedOn, 5), 10), descriptionVi: 'Xuất kho giao cho điểm bán', descriptionEn: 'Dispatched to retail outlets', eventType: 'ObjectEvent' as const, action: 'OBSERVE' },
    ].filter((e) => e.occurredAt.getTime() <= Date.now());
    await tx.insert(t.traceEvents).values(events.map((e) => ({
      lotId: lot!.id, placeName: place, readPoint: `urn:ocop:loc:${p.extra.producer_slug}`, bizLocation: `urn:ocop:loc:${p.extra.producer_slug}`,
      actor: p.producerName, timeZoneOffset: '+07:00', ...e,
    })));
    const [run] = await tx.insert(t.stampRuns).values({ lotId: lot!.id, productId, count: STAMPS_PER_RUN, note: 'Đợt tem mẫu' }).returning({ id: t.stampRuns.id });
    await tx.insert(t.stamps).values(Array.from({ length: STAMPS_PER_RUN }, () => ({
      code: generateStampCode(secret), runId: run!.id, lotId: lot!.id, status: 'active' as const,
    })));
  }
}

/** True when the database has no catalogue yet. */
export async function isEmpty(db: Db): Promise<boolean> {
  const rows = await db.execute(sql`select not exists (select 1 from producers) as empty`);
  return Boolean((rows as unknown as Array<{ empty: boolean }>)[0]?.empty);
}

/** True when the demo sign-ins exist (the start-up tour lists them only then). */
export async function hasDemoAccounts(db: Db): Promise<boolean> {
  const rows = await db.execute(sql`select exists (select 1 from users where email = ${DEMO_ADMIN_EMAIL}) as demo`);
  return Boolean((rows as unknown as Array<{ demo: boolean }>)[0]?.demo);
}

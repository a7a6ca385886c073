import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { login } from '../../src/lib/auth/index.ts';
import { AppError } from '../../src/lib/errors/index.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import {
  createPointOfSale, createStaffAccount, getForOffice, getPointOfSale, listPointsOfSale, placesForProduct, recordCounterSale,
  refusalMessage, setStockedProducts, staffPlace, updatePointOfSale,
} from '../../src/lib/places/index.ts';
import { generateStampCode, stampSecret } from '../../src/lib/stamps/index.ts';
import { renderProvenancePage, traceStamp } from '../../src/lib/trace/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const rows = async <T>(query: ReturnType<typeof sql>) => (await database.get().db.execute(query)) as unknown as T[];
const failure = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? `${e.status} ${e.code}${e.fields ? ` ${JSON.stringify(e.fields)}` : ''}` : String(e)));
const office = { id: 0, email: 'admin@ocop.local' };
const staffId = async (email: string) => (await rows<{ id: number }>(sql`select id from users where email = ${email}`))[0]!.id;

/** Active demo stamps of one product (the seed releases lots and activates their stamps). */
async function activeStamps(n: number, offset = 0): Promise<Array<{ code: string; lot_id: number }>> {
  return rows(sql`select s.code, s.lot_id from stamps s join lots l on l.id = s.lot_id where s.status = 'active' and l.status = 'released'
    order by s.id limit ${n} offset ${offset}`);
}

describe(`points of sale (${target})`, () => {
  it('the demo has at least 15 open points of sale in at least 8 provinces, each with a maps link and products stocked', async () => {
    const { pointsOfSale } = await listPointsOfSale({});
    expect(pointsOfSale.length).toBeGreaterThanOrEqual(15);
    expect(new Set(pointsOfSale.map((p) => p.province.code)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(pointsOfSale.map((p) => p.kind))).toEqual(new Set(['ocop_shop', 'showroom', 'hotel', 'airport', 'tourist_site', 'supermarket']));
    for (const p of pointsOfSale) {
      expect(p.mapsUrl).toMatch(/^https:\/\/www\.openstreetmap\.org\/\?mlat=-?\d+\.\d{6}&mlon=-?\d+\.\d{6}#map=17\//);
      expect(p.productCount).toBeGreaterThan(0);
    }
  });

  it('filters by province code or name (any case, with or without diacritics) and by kind; unknown values are refused per field', async () => {
    const byCode = await listPointsOfSale({ province: 'quang-ninh' });
    expect(byCode.pointsOfSale.length).toBeGreaterThanOrEqual(2);
    expect(byCode.pointsOfSale.every((p) => p.province.code === 'quang-ninh')).toBe(true);
    for (const name of ['Quảng Ninh', 'quang ninh', 'Tỉnh Quảng Ninh', 'QUANG NINH']) {
      expect((await listPointsOfSale({ province: name })).pointsOfSale.map((p) => p.slug)).toEqual(byCode.pointsOfSale.map((p) => p.slug));
    }
    const airports = await listPointsOfSale({ kind: 'airport' });
    expect(airports.pointsOfSale.length).toBeGreaterThanOrEqual(4);
    expect(airports.pointsOfSale.every((p) => p.kind === 'airport')).toBe(true);
    const hanoiAirports = await listPointsOfSale({ province: 'Hà Nội', kind: 'airport' });
    expect(hanoiAirports.pointsOfSale.map((p) => p.slug)).toEqual(['quay-ocop-san-bay-noi-bai']);
    expect(await failure(listPointsOfSale({ province: 'Bình Định' }))).toBe('400 places.invalid_filter {"province":"unknown_province"}');
    expect(await failure(listPointsOfSale({ kind: 'casino' }))).toBe('400 places.invalid_filter {"kind":"unknown_kind"}');
  });

  it('a product page learns where the product is stocked; the place page lists what it stocks', async () => {
    const places = await placesForProduct('tra-hoa-vang-ba-che');
    expect(places.map((p) => p.slug)).toContain('trung-tam-ocop-quang-ninh');
    const place = await getPointOfSale('trung-tam-ocop-quang-ninh');
    expect(place?.products.map((p) => p.slug)).toContain('tra-hoa-vang-ba-che');
    expect(place?.historicalAddress).toBe('phường Hồng Hải, TP Hạ Long, tỉnh Quảng Ninh');
    expect(await getPointOfSale('no-such-place')).toBeNull();
  });

  it('the office creates, edits and closes a point of sale, sets what it stocks (all or nothing) and adds counter accounts', async () => {
    expect(await failure(createPointOfSale(office, { slug: 'Bad Slug', kind: 'shop', nameVi: '', nameEn: 'x', province: 'Atlantis', commune: 'x', addressLine: 'x', latitude: '21' })))
      .toBe('400 places.invalid {"slug":"invalid","kind":"invalid","nameVi":"required","province":"invalid"}');
    const input = {
      slug: 'quay-ocop-ga-hue', kind: 'tourist_site', nameVi: 'Quầy OCOP ga Huế', nameEn: 'OCOP counter, Huế station', province: 'Thừa Thiên Huế',
      commune: 'Phường Thuận Hóa', addressLine: '2 Bùi Thị Xuân', historicalAddress: 'phường Đúc, TP Huế, tỉnh Thừa Thiên Huế', hoursVi: '6:00–22:00', hoursEn: '6:00–22:00',
      phone: '0234 3822 175', latitude: '16,4564', longitude: '107.5789',
    };
    // Coordinates come in pairs.
    expect(await failure(createPointOfSale(office, { ...input, province: 'hue', longitude: '' }))).toBe('400 places.invalid {"longitude":"invalid"}');
    expect(await failure(createPointOfSale(office, { ...input, province: 'hue' }))).toBe('ok');
    expect(await failure(createPointOfSale(office, { ...input, province: 'hue' }))).toBe('409 places.slug_taken {"slug":"taken"}');
    const created = await getForOffice('quay-ocop-ga-hue');
    expect(created).toMatchObject({ province: { code: 'hue' }, coordinates: { lat: 16.4564, lng: 107.5789 }, status: 'open' });
    expect(await failure(setStockedProducts(office, 'quay-ocop-ga-hue', { products: 'gao-huu-co-an-lo, no-such-product' }))).toBe('400 places.unknown_products {"products":"not_found"}');
    expect((await getForOffice('quay-ocop-ga-hue'))?.stocked).toEqual([]);
    await setStockedProducts(office, 'quay-ocop-ga-hue', { products: 'gao-huu-co-an-lo\ntra-hoa-vang-ba-che' });
    expect((await getForOffice('quay-ocop-ga-hue'))?.stocked).toEqual(['gao-huu-co-an-lo', 'tra-hoa-vang-ba-che']);
    expect((await placesForProduct('gao-huu-co-an-lo')).map((p) => p.slug)).toContain('quay-ocop-ga-hue');

    await createStaffAccount(office, 'quay-ocop-ga-hue', { email: 'Ga-Hue@ocop.local', name: 'Thu ngân ga Huế', password: 'mat-khau-quay-2026' });
    expect(await failure(createStaffAccount(office, 'quay-ocop-ga-hue', { email: 'ga-hue@ocop.local', name: 'x', password: 'mat-khau-quay-2026' }))).toBe('409 places.email_taken {"email":"taken"}');
    const signedIn = await login({ email: 'ga-hue@ocop.local', password: 'mat-khau-quay-2026' }, { client: 't-ga-hue' });
    expect(signedIn.user.role).toBe('pos');
    expect((await staffPlace(signedIn.user.id))?.slug).toBe('quay-ocop-ga-hue');

    await updatePointOfSale(office, 'quay-ocop-ga-hue', { ...input, province: 'Huế', status: 'closed' });
    expect(await getPointOfSale('quay-ocop-ga-hue')).toBeNull();
    expect((await listPointsOfSale({ province: 'hue' })).pointsOfSale.map((p) => p.slug)).not.toContain('quay-ocop-ga-hue');
    expect((await placesForProduct('gao-huu-co-an-lo')).map((p) => p.slug)).not.toContain('quay-ocop-ga-hue');
    const audit = await rows<{ action: string }>(sql`select action from audit_log where entity_type = 'point_of_sale' order by id`);
    expect(audit.map((a) => a.action)).toEqual(['point_of_sale.created', 'point_of_sale.stock_set', 'point_of_sale.staff_added', 'point_of_sale.updated']);
  });
});

describe(`counter sales (${target})`, () => {
  const t = createT('vi');
  const en = createT('en');

  it('records a sale: the stamp is sold once, remembers where, its lot gets a retail event, the provenance page says where and when', async () => {
    const [stamp] = await activeStamps(1);
    const user = await staffId('cua-hang-ocop-hue@ocop.local');
    const sale = await recordCounterSale({ code: stamp!.code.toLowerCase().replace(/(.{4})/g, '$1-'), userId: user });
    expect(sale.code).toBe(stamp!.code);
    const [row] = await rows<{ status: string; sold_place: { slug: string; nameVi: string }; sold_at: Date }>(sql`select status, sold_place, sold_at from stamps where code = ${stamp!.code}`);
    expect(row).toMatchObject({ status: 'sold', sold_place: { slug: 'cua-hang-ocop-hue', nameVi: 'Cửa hàng OCOP Huế', provinceCode: 'hue' } });
    const [event] = await rows<{ biz_step: string; place_name: string; latitude: number }>(sql`select biz_step, place_name, latitude from trace_events
      where lot_id = ${stamp!.lot_id} order by id desc limit 1`);
    expect(event).toMatchObject({ biz_step: 'retail_selling', place_name: 'Cửa hàng OCOP Huế' });
    expect(Number(event!.latitude)).toBeCloseTo(16.4637, 4);

    const traced = await traceStamp(stamp!.code);
    if (!traced.found) throw new Error('stamp not found');
    expect(traced.provenance.stamp).toMatchObject({ status: 'sold', soldPlace: { slug: 'cua-hang-ocop-hue' } });
    const html = renderProvenancePage({ locale: 'en', origin: 'https://cho.example.vn', provenance: traced.provenance });
    expect(html).toMatch(/Sold on .+ at <a href="\/en\/points-of-sale\/cua-hang-ocop-hue">Huế OCOP Shop<\/a>\./);
    const vi = renderProvenancePage({ locale: 'vi', origin: 'https://cho.example.vn', provenance: traced.provenance });
    expect(vi).toContain('tại <a href="/points-of-sale/cua-hang-ocop-hue">Cửa hàng OCOP Huế</a>');

    // Sold once: a second sale, here or elsewhere, is refused and says when it was sold.
    const again = await recordCounterSale({ code: stamp!.code, userId: await staffId('quay-ocop-san-bay-noi-bai@ocop.local') }).catch((e: AppError) => e);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).status).toBe(409);
    expect((again as AppError).code).toBe('pos.already_sold');
    expect(refusalMessage(again as AppError, en, 'en')).toMatch(/^This stamp was already sold on .+: it may be a cloned stamp\.$/);
    expect((await rows(sql`select 1 from counter_sales cs join stamps s on s.id = cs.stamp_id where s.code = ${stamp!.code}`)).length).toBe(1);
  });

  it('refuses unknown, voided, recalled and unreleased stamps with the reason in Vietnamese and English, and changes nothing', async () => {
    const user = await staffId('cua-hang-ocop-thanh-hoa@ocop.local');
    const reason = async (code: string) => {
      const e = await recordCounterSale({ code, userId: user }).then(() => null, (err: AppError) => err);
      return e ? `${e.status} ${e.code} | ${refusalMessage(e, t, 'vi')} | ${refusalMessage(e, en, 'en')}` : 'sold';
    };
    expect(await reason('not a code')).toMatch(/^404 pos\.unknown \| Không có tem nào mang mã này\..* \| No stamp has this code\./);
    // A well-formed code with a valid check that was never issued: a counterfeit print.
    expect(await reason(generateStampCode(stampSecret()))).toMatch(/^404 pos\.unknown/);

    const [voided, recalledByStatus, recalledByDate, issued] = await activeStamps(4, 10);
    await database.get().db.execute(sql`update stamps set status = 'voided', voided_at = now() where code = ${voided!.code}`);
    expect(await reason(voided!.code)).toBe('409 pos.voided | Tem này đã bị huỷ: không được bán sản phẩm mang tem này. | This stamp was voided: a product carrying it must not be sold.');

    await database.get().db.execute(sql`update lots set status = 'recalled', recall_reason = 'vượt ngưỡng histamin' where id = ${recalledByStatus!.lot_id}`);
    expect(await reason(recalledByStatus!.code)).toBe('409 pos.recalled | Lô sản phẩm của tem này đã bị thu hồi (vượt ngưỡng histamin): không được bán. | The lot of this stamp has been recalled (vượt ngưỡng histamin): it must not be sold.');
    // The monitoring work's columns (recalled_at, recall_reason) count as a recall too.
    if (recalledByDate!.lot_id !== recalledByStatus!.lot_id) {
      await database.get().db.execute(sql`update lots set recalled_at = now(), recall_reason = null where id = ${recalledByDate!.lot_id}`);
      expect(await reason(recalledByDate!.code)).toMatch(/^409 pos\.recalled \| Lô sản phẩm của tem này đã bị thu hồi: không được bán\./);
    }
    const [other] = await rows<{ code: string; lot_id: number }>(sql`select s.code, s.lot_id from stamps s join lots l on l.id = s.lot_id
      where s.status = 'active' and l.status = 'released' and l.recalled_at is null and s.code <> ${issued!.code} order by s.id desc limit 1`);
    await database.get().db.execute(sql`update stamps set status = 'issued' where code = ${other!.code}`);
    expect(await reason(other!.code)).toMatch(/^409 pos\.not_released \| .+ \| The lot of this stamp has not been released yet/);
    const sold = await rows(sql`select 1 from counter_sales cs join stamps s on s.id = cs.stamp_id where s.code in (${voided!.code}, ${recalledByStatus!.code}, ${recalledByDate!.code}, ${other!.code})`);
    expect(sold).toHaveLength(0);
  });

  it('an account that is not a counter account cannot sell', async () => {
    const [stamp] = await activeStamps(1, 30);
    const producer = await staffId('cong-ty-le-gia@ocop.local');
    expect(await failure(recordCounterSale({ code: stamp!.code, userId: producer }))).toBe('403 pos.no_place');
  });

  it('racing sales of one stamp from several counters: exactly one succeeds, the others are told it was sold', async () => {
    const [stamp] = await activeStamps(1, 40);
    const counters = ['cua-hang-ocop-hai-phong', 'quay-ocop-san-bay-cat-bi', 'trung-tam-ocop-quang-ninh', 'quay-ocop-san-bay-tan-son-nhat', 'diem-ban-ocop-sa-dec', 'cua-hang-ocop-vinh-long'];
    const ids = await Promise.all(counters.map((c) => staffId(`${c}@ocop.local`)));
    const results = await Promise.allSettled(ids.map((userId) => recordCounterSale({ code: stamp!.code, userId })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []));
    expect(refusals).toEqual(Array(counters.length - 1).fill('pos.already_sold'));
    const [n] = await rows<{ sales: number; events: number }>(sql`select (select count(*)::int from counter_sales cs join stamps s on s.id = cs.stamp_id where s.code = ${stamp!.code}) as sales`);
    expect(Number(n!.sales)).toBe(1);
  });
});

import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, type CurrentUser } from '../../src/lib/auth/index.ts';
import sharp from 'sharp';
import {
  createProduct, decideProduct, getEditableCombo, listEditableCombos, listProductsForApproval, revokeCertificate, saveCombo, setProducerStatus,
} from '../../src/lib/backoffice/index.ts';
import { storage } from '../../src/lib/storage/index.ts';
import { getCombo, getProduct } from '../../src/lib/catalog/index.ts';
import type { AppError } from '../../src/lib/errors/index.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import { addToCart, createOrder, getCart, markPaidByOffice, parseOrderInput, type OrderInput } from '../../src/lib/orders/index.ts';
import { drainOutbox } from '../../src/lib/outbox/index.ts';
import { notifyCatalogChanged, parseSearchParams, searchProducts } from '../../src/lib/search/index.ts';
import { provenanceJson, renderProvenancePage, traceStamp } from '../../src/lib/trace/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

/**
 * Chợ OCOP's sale rules (lib/catalog/sellability.ts and the one-parcel gift box): what can be
 * sold, what a gift box costs to ship and whom it credits, and what a stamp page says when a
 * product stops being sold.
 */
const database = useTestDatabase();
const vi = createT('vi');
const en = createT('en');
const ctx = { t: vi, locale: 'vi' as const, origin: 'http://shop.test' };
const customer = { name: 'Trần Thị Bình', phone: '0987654321', address: { line: '5 Hàng Bạc', commune: 'Phường Hoàn Kiếm', province: 'ha-noi' } };
const order = (items: OrderInput['items'], extra: Partial<OrderInput> = {}): OrderInput => ({ items, customer, payment: 'vietqr', ...extra });
const rows = async <T>(query: ReturnType<typeof sql>) => (await database.get().db.execute(query)) as unknown as T[];
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('accepted'); }, (e: unknown) => e as AppError);
const search = (qs: string) => searchProducts(parseSearchParams(new URLSearchParams(qs)));
async function signIn(email: string): Promise<CurrentUser & { producerId: number }> {
  return (await login({ email, password: 'ocop-demo-2026' }, { client: `shop-${email}` })).user as CurrentUser & { producerId: number };
}
async function setStock(slug: string, stock: number) {
  await database.get().db.execute(sql`update products set stock = ${stock}, reserved = 0 where slug = ${slug}`);
}
/** A published combo packed by the producer of one of its components (as the editor requires). */
async function makeCombo(slug: string, components: Array<[string, number]>, price: number, assemblerOf: string) {
  const [c] = await rows<{ id: number }>(sql`insert into combos (slug, name_vi, name_en, price, status, assembler_producer_id)
    values (${slug}, ${`Hộp ${slug}`}, ${`Box ${slug}`}, ${price}, 'published', (select producer_id from products where slug = ${assemblerOf})) returning id`);
  for (const [p, qty] of components) {
    await database.get().db.execute(sql`insert into combo_items (combo_id, product_id, qty) values (${c!.id}, (select id from products where slug = ${p}), ${qty})`);
  }
}

describe(`a gift box is one parcel (${target})`, () => {
  beforeAll(async () => {
    for (const slug of ['nuoc-mam-nam-quyen', 'mam-tom-le-gia', 'nuoc-mam-phu-quoc-khai-hoan-40-do-dam', 'gao-daka']) await setStock(slug, 40);
    // 270,000 đ box of three producers in three provinces, packed by Lê Gia.
    await makeCombo('hop-qua-ba-mien', [['nuoc-mam-nam-quyen', 1], ['mam-tom-le-gia', 1], ['nuoc-mam-phu-quoc-khai-hoan-40-do-dam', 1]], 270_000, 'mam-tom-le-gia');
  });

  it('ships the combo as ONE parcel from its assembler with ONE fee, reserving every component in the order', async () => {
    const view = await createOrder(order([{ combo: 'hop-qua-ba-mien', qty: 1 }]), ctx);
    expect(view.parts).toHaveLength(1);
    const [parcel] = view.parts;
    expect(parcel!.producer.slug).toBe('cong-ty-le-gia');
    expect(parcel!.items.map((i) => i.slug).sort()).toEqual(['mam-tom-le-gia', 'nuoc-mam-nam-quyen', 'nuoc-mam-phu-quoc-khai-hoan-40-do-dam']);
    expect(parcel!.subtotal).toBe(270_000);
    expect(view.shippingTotal).toBe(parcel!.shippingFee);
    expect(parcel!.shippingFee).toBeGreaterThan(0);
    expect(parcel!.shippingFee).toBeLessThanOrEqual(48_000); // one parcel: never three fees
    expect(view.total).toBe(270_000 + parcel!.shippingFee);
    const held = await rows<{ slug: string; reserved: number }>(sql`select slug, reserved from products
      where slug in ('nuoc-mam-nam-quyen', 'mam-tom-le-gia', 'nuoc-mam-phu-quoc-khai-hoan-40-do-dam') order by slug`);
    expect(held.map((h) => Number(h.reserved))).toEqual([1, 1, 1]);
  });

  it('credits each component producer its share and the assembler the shipping fee, once', async () => {
    const view = await createOrder(order([{ combo: 'hop-qua-ba-mien', qty: 2 }, { slug: 'gao-daka', qty: 1 }]), ctx);
    expect(view.parts.map((p) => p.producer.slug).sort()).toEqual(['cong-ty-le-gia', 'htx-dv-nong-nghiep-dak-kan']);
    expect(await markPaidByOffice(view.publicId, 'office')).toBe('paid');
    expect(await markPaidByOffice(view.publicId, 'office')).not.toBe('paid');
    const ledger = await rows<{ producer: string; kind: string; amount: number }>(sql`select pr.slug as producer, e.kind, sum(e.amount)::int as amount
      from payout_entries e join producers pr on pr.id = e.producer_id join order_parts op on op.id = e.order_part_id
      join orders o on o.id = op.order_id where o.public_id = ${view.publicId} group by 1, 2 order by 1, 2`);
    const credit = (slug: string) => Number(ledger.find((l) => l.producer === slug && l.kind === 'credit')?.amount ?? 0);
    const box = view.parts.find((p) => p.producer.slug === 'cong-ty-le-gia')!;
    const share = (slug: string) => box.items.filter((i) => i.slug.startsWith(slug)).reduce((s, i) => s + i.lineTotal, 0);
    // Three producers credited from one parcel; their goods add up to the two boxes' price exactly.
    expect(credit('co-so-nuoc-mam-nam-quyen')).toBe(share('nuoc-mam-nam-quyen'));
    expect(credit('cong-ty-khai-hoan')).toBe(share('nuoc-mam-phu-quoc'));
    expect(credit('cong-ty-le-gia')).toBe(share('mam-tom-le-gia') + box.shippingFee);
    expect(share('nuoc-mam-nam-quyen') + share('nuoc-mam-phu-quoc') + share('mam-tom-le-gia')).toBe(540_000);
    expect(ledger.filter((l) => l.kind === 'fee').every((l) => Number(l.amount) < 0)).toBe(true);
  });

  it('combos and single items racing for the last units never oversell', async () => {
    await setStock('mam-tom-le-gia', 5);
    const attempts = [
      ...Array.from({ length: 6 }, () => [{ combo: 'hop-qua-ba-mien', qty: 1 }]),
      ...Array.from({ length: 6 }, () => [{ slug: 'mam-tom-le-gia', qty: 1 }]),
    ];
    const results = await Promise.allSettled(attempts.map((items) => createOrder(order(items as OrderInput['items']), ctx)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).status).toBe(409);
    const [p] = await rows<{ stock: number; reserved: number }>(sql`select stock, reserved from products where slug = 'mam-tom-le-gia'`);
    expect(ok).toBe(5);
    expect({ stock: Number(p!.stock), reserved: Number(p!.reserved) }).toEqual({ stock: 0, reserved: 5 });
  });

  it('keeps a gift recipient and message apart from the buyer', async () => {
    await setStock('gao-daka', 10);
    const view = await createOrder(parseOrderInput(order([{ slug: 'gao-daka', qty: 1 }], { gift: { recipient: { name: 'Bà Ngoại', phone: '0912 000 111' }, message: 'Chúc bà mạnh khỏe!' } }), vi), ctx);
    expect(view.gift).toEqual({ recipient: { name: 'Bà Ngoại' }, message: 'Chúc bà mạnh khỏe!' });
    const [o] = await rows<{ customer_name: string; gift_recipient_phone: string }>(sql`select customer_name, gift_recipient_phone from orders where public_id = ${view.publicId}`);
    expect(o).toEqual({ customer_name: 'Trần Thị Bình', gift_recipient_phone: '0912000111' });
    const bad = await failure(Promise.resolve().then(() => parseOrderInput(order([{ slug: 'gao-daka', qty: 1 }], { gift: { recipient: { name: '', phone: '12' } } as OrderInput['gift'] }), vi)));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(['gift.recipient.name', 'gift.recipient.phone']);
  });
});

describe(`revocation, suspension and recall stop sales at once (${target})`, () => {
  /** A goods product with an active 3★+ certificate in force and issued stamps, not used elsewhere in this file. */
  let certified = '';
  beforeAll(async () => {
    const [row] = await rows<{ slug: string }>(sql`select p.slug from products p join certificates c on c.product_id = p.id
      where c.status = 'active' and c.stars >= 3 and c.valid_until > current_date + 60 and p.kind = 'goods'
        and exists (select 1 from stamps s join lots l on l.id = s.lot_id where l.product_id = p.id and s.status in ('active', 'sold'))
        and p.slug not in ('nuoc-mam-nam-quyen', 'mam-tom-le-gia', 'nuoc-mam-phu-quoc-khai-hoan-40-do-dam', 'gao-daka', 'nem-chua-ba-lan', 'mat-ong-bac-ha-tuan-dung')
      order by p.id limit 1`);
    certified = row!.slug;
    for (const slug of [certified, 'mat-ong-bac-ha-tuan-dung', 'nem-chua-ba-lan', 'gao-daka']) await setStock(slug, 30);
  });

  it('a revoked certificate: 409 with the reason in vi and en, page says why, combo unavailable, cart says so, search and OCOP filters drop it', async () => {
    await makeCombo('hop-tra-va-gao', [[certified, 1], ['gao-daka', 1]], 150_000, 'gao-daka');
    const token = await addToCart(undefined, `p:${certified}`, 1);
    await addToCart(token, 'c:hop-tra-va-gao', 1);
    const admin = await signIn('admin@ocop.local');
    const [cert] = await rows<{ id: number }>(sql`select c.id from certificates c join products p on p.id = c.product_id
      where p.slug = ${certified} and c.status = 'active' order by c.issued_on desc limit 1`);
    await revokeCertificate(admin, Number(cert!.id), { code: 'food_safety', note: 'Vi phạm an toàn thực phẩm' });
    await drainOutbox();

    const viError = await failure(createOrder(order([{ slug: certified, qty: 1 }]), ctx));
    expect(viError).toMatchObject({ status: 409, code: 'orders.not_for_sale' });
    expect(viError.message).toContain('Giấy chứng nhận OCOP của sản phẩm đã bị thu hồi');
    expect(viError.details).toMatchObject({ unavailable: [{ item: 0, slug: certified, reason: 'certificate_revoked' }] });
    const enError = await failure(createOrder(order([{ combo: 'hop-tra-va-gao', qty: 1 }]), { ...ctx, t: en, locale: 'en' }));
    expect(enError).toMatchObject({ status: 409, code: 'orders.not_for_sale', details: { unavailable: [{ combo: 'hop-tra-va-gao', reason: 'certificate_revoked' }] } });
    expect(enError.message).toContain('OCOP certificate was revoked');

    expect(await getProduct(certified)).toMatchObject({ sale: { sellable: false, block: 'certificate_revoked' }, available: 0, stars: null });
    expect(await getCombo('hop-tra-va-gao')).toMatchObject({ available: 0, blocked: [{ block: 'certificate_revoked' }] });
    await expect(addToCart(token, `p:${certified}`, 1)).rejects.toMatchObject({ status: 404 });
    const cart = await getCart(token);
    expect(cart.unavailable).toBe(true);
    expect(cart.lines.map((l) => [l.key, l.block])).toEqual(expect.arrayContaining([[`p:${certified}`, 'certificate_revoked'], ['c:hop-tra-va-gao', 'certificate_revoked']]));
    expect((await search('q=che dinh tan cuong')).hits.map((h) => h.slug)).not.toContain(certified);
    expect((await search('stars=3,4,5&limit=100')).hits.map((h) => h.slug)).not.toContain(certified);
  });

  it('a suspended producer: orders 409, stamps stay genuine, the stamp page and /api/trace say the producer is suspended (since when, why)', async () => {
    const admin = await signIn('admin@ocop.local');
    const [row] = await rows<{ code: string; producer: string }>(sql`select s.code, pr.slug as producer from stamps s join lots l on l.id = s.lot_id
      join products p on p.id = l.product_id join producers pr on pr.id = p.producer_id
      where p.slug = 'mat-ong-bac-ha-tuan-dung' and s.status in ('active', 'sold') and s.scan_count = 0 limit 1`);
    await setProducerStatus(admin, row!.producer, { status: 'suspended', reason: 'Không duy trì điều kiện sản xuất' });
    await drainOutbox();
    const error = await failure(createOrder(order([{ slug: 'mat-ong-bac-ha-tuan-dung', qty: 1 }]), ctx));
    expect(error).toMatchObject({ status: 409, details: { unavailable: [{ reason: 'producer_suspended' }] } });

    const traced = await traceStamp(row!.code);
    if (!traced.found) throw new Error('stamp not found');
    expect(traced.provenance).toMatchObject({ verdict: 'genuine', alert: 'producer_suspended', producer: { status: 'suspended', suspensionReason: 'Không duy trì điều kiện sản xuất' }, product: { onSale: false } });
    const json = provenanceJson(traced.provenance, 'http://shop.test');
    expect(json.standing).toMatchObject({ producerSuspended: true, onSale: false, reason: 'Không duy trì điều kiện sản xuất', since: expect.any(String) });
    expect(json.standing.message.en.join(' ')).toMatch(/genuine.*suspended/s);
    const html = renderProvenancePage({ locale: 'vi', origin: 'http://shop.test', provenance: traced.provenance, code: row!.code });
    // ONE verdict: genuine AND suspended, never the green "in force" box.
    expect(html).toContain('Tem thật — nhưng chủ thể sản xuất đang bị đình chỉ');
    expect(html).toContain('Không duy trì điều kiện sản xuất');
    expect(html).not.toContain('class="v ok"');
    expect(html).not.toContain('đang còn hiệu lực');
    await setProducerStatus(admin, row!.producer, { status: 'verified' });
    expect((await getProduct('mat-ong-bac-ha-tuan-dung'))?.sale.sellable).toBe(true);
  });

  it('a revoked product\'s stamp page: genuine stamp, no longer OCOP-certified, one verdict', async () => {
    const [row] = await rows<{ code: string }>(sql`select s.code from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id
      where p.slug = ${certified} and s.status in ('active', 'sold') limit 1`);
    const traced = await traceStamp(row!.code);
    if (!traced.found) throw new Error('stamp not found');
    const html = renderProvenancePage({ locale: 'en', origin: 'http://shop.test', provenance: traced.provenance, code: row!.code });
    expect(html).toContain('Genuine stamp — but the product is no longer OCOP-certified');
    // The English page gives the reason's English label; the office's Vietnamese note is for the Vietnamese page.
    expect(html).toContain(`Reason: ${en('certificate.revocation.food_safety')}`);
    expect(html).not.toContain('Vi phạm an toàn thực phẩm');
    expect(html).not.toContain('class="v ok"');
    expect(html).not.toContain('is in force');
    const vi = renderProvenancePage({ locale: 'vi', origin: 'http://shop.test', provenance: traced.provenance, code: row!.code });
    expect(vi).toContain('Vi phạm an toàn thực phẩm');
    expect(provenanceJson(traced.provenance, 'http://shop.test').standing).toMatchObject({
      ocopCertified: false, onSale: false, reason: 'Vi phạm an toàn thực phẩm',
      revocation: { code: 'food_safety', label: { en: en('certificate.revocation.food_safety') }, note: 'Vi phạm an toàn thực phẩm' },
    });
  });

  it('all lots recalled: not sellable; one lot not recalled keeps it on sale', async () => {
    const lots = await rows<{ id: number }>(sql`select l.id from lots l join products p on p.id = l.product_id where p.slug = 'nem-chua-ba-lan' order by l.id`);
    expect(lots.length).toBeGreaterThan(0);
    await database.get().db.execute(sql`update lots set recalled_at = now(), recall_reason = 'Nhiễm khuẩn' where id = ${lots[0]!.id}`);
    if (lots.length > 1) expect((await getProduct('nem-chua-ba-lan'))?.sale.sellable).toBe(true);
    await database.get().db.execute(sql`update lots set recalled_at = now(), recall_reason = 'Nhiễm khuẩn' where product_id = (select id from products where slug = 'nem-chua-ba-lan')`);
    expect(await getProduct('nem-chua-ba-lan')).toMatchObject({ sale: { sellable: false, block: 'recalled' } });
    expect(await failure(createOrder(order([{ slug: 'nem-chua-ba-lan', qty: 1 }]), ctx))).toMatchObject({ status: 409, details: { unavailable: [{ reason: 'recalled' }] } });
    await database.get().db.execute(sql`update lots set recalled_at = null, recall_reason = null where product_id = (select id from products where slug = 'nem-chua-ba-lan')`);
    expect((await getProduct('nem-chua-ba-lan'))?.sale.sellable).toBe(true);
  });
});

describe(`new products go public only when approved; OCOP filters (${target})`, () => {
  it('a dashboard product is pending until the office approves it; a rejection needs a note and keeps it off', async () => {
    const producer = await signIn('cong-ty-le-gia@ocop.local');
    const admin = await signIn('admin@ocop.local');
    await createProduct(producer, { subgroup: 'processed-produce', nameVi: 'Mắm tép Lê Gia', nameEn: 'Le Gia small shrimp paste', price: 55000, unitVi: 'hũ', unitEn: 'jar', stock: 10, status: 'published' });
    await createProduct(producer, { subgroup: 'processed-produce', nameVi: 'Mắm cáy Lê Gia', nameEn: 'Le Gia crab paste', price: 60000, unitVi: 'hũ', unitEn: 'jar', stock: 10, status: 'published' });
    await drainOutbox();
    expect(await getProduct('mam-tep-le-gia')).toBeNull();
    expect((await search('q=mam tep le gia')).hits.map((h) => h.slug)).not.toContain('mam-tep-le-gia');
    expect(await failure(createOrder(order([{ slug: 'mam-tep-le-gia', qty: 1 }]), ctx))).toMatchObject({ status: 400 });
    expect((await listProductsForApproval()).map((p) => p.slug)).toEqual(expect.arrayContaining(['mam-tep-le-gia', 'mam-cay-le-gia']));

    expect(await failure(decideProduct(admin, 'mam-cay-le-gia', { decision: 'reject' }))).toMatchObject({ status: 400, fields: { note: expect.any(String) } });
    await decideProduct(admin, 'mam-cay-le-gia', { decision: 'reject', note: 'Thiếu phiếu kiểm nghiệm' });
    await decideProduct(admin, 'mam-tep-le-gia', { decision: 'approve' });
    await drainOutbox();
    const approved = await getProduct('mam-tep-le-gia');
    // Approved but never certified: on sale, labelled not OCOP (no stars), never under an OCOP filter.
    expect(approved).toMatchObject({ sale: { sellable: true }, stars: null, certificate: null });
    expect((await search('q=mam tep le gia')).hits.map((h) => h.slug)).toContain('mam-tep-le-gia');
    expect((await search('q=mam tep le gia&stars=3,4,5')).hits.map((h) => h.slug)).not.toContain('mam-tep-le-gia');
    expect(await getProduct('mam-cay-le-gia')).toBeNull();
    const audit = await rows<{ action: string }>(sql`select action from audit_log where action like 'product.%ed' and action in ('product.approved', 'product.rejected') order by id`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['product.approved', 'product.rejected']));
  });

  it('an expired certificate: still sold, but not OCOP and never under OCOP filters', async () => {
    await database.get().db.execute(sql`update certificates set valid_until = current_date - 1, issued_on = current_date - 1100
      where product_id = (select id from products where slug = 'gao-daka') and status = 'active'`);
    const ids = await rows<{ id: number }>(sql`select id from products where slug = 'gao-daka'`);
    await notifyCatalogChanged(database.get().db, { productIds: [Number(ids[0]!.id)] });
    await drainOutbox();
    expect(await getProduct('gao-daka')).toMatchObject({ sale: { sellable: true }, stars: null });
    expect((await search('stars=3,4,5&limit=100')).hits.map((h) => h.slug)).not.toContain('gao-daka');
    expect((await search('q=gao daka')).hits.map((h) => h.slug)).toContain('gao-daka');
  });
});


describe(`the gift-box editor (${target})`, () => {
  it('a producer builds a box of its own products only; the picture is composed from the components, never one product\'s', async () => {
    const producer = await signIn('cong-ty-le-gia@ocop.local');
    const editor = { kind: 'producer' as const, producerId: producer.producerId, actor: producer };
    const [own] = await rows<{ slug: string }>(sql`select slug from products where producer_id = ${producer.producerId} and kind = 'goods' order by id limit 1`);
    const foreign = await failure(saveCombo(editor, null, { nameVi: 'Hộp lạ', nameEn: 'Odd box', price: 100000, items: [{ product: own!.slug, qty: 1 }, { product: 'gao-daka', qty: 1 }] }));
    expect(foreign).toMatchObject({ status: 400, fields: { product_1: 'not_own' } });
    expect(await failure(saveCombo(editor, null, { nameVi: 'Hộp một', nameEn: 'One', price: 50000, items: [{ product: own!.slug, qty: 1 }] }))).toMatchObject({ fields: { product_0: 'components' } });
    expect(await failure(saveCombo(editor, null, { nameVi: 'Hộp nhớ', nameEn: 'Souvenir', price: 50000, occasion: 'souvenir', items: [{ product: own!.slug, qty: 2 }] }))).toMatchObject({ fields: { place: 'place' } });

    const { slug } = await saveCombo(editor, null, { nameVi: 'Quà quê Thanh Hóa', nameEn: 'A taste of Thanh Hoa', price: 150000, occasion: 'souvenir', place: 'Sầm Sơn', status: 'published', storyVi: 'Mắm tôm làng chài.', storyEn: 'Shrimp paste from the fishing village.', items: [{ product: own!.slug, qty: 2 }] });
    const combo = await getCombo(slug);
    expect(combo).toMatchObject({ occasion: 'souvenir', place: 'Sầm Sơn', assembler: { slug: 'cong-ty-le-gia' }, story: { en: 'Shrimp paste from the fishing village.' } });
    expect(combo!.image!.url).toMatch(/^\/media\/combos\/.+\.webp$/);
    expect(combo!.image!.url).not.toBe(combo!.items[0]!.product.image?.url);
    const stored = await storage().get(combo!.image!.url.slice('/media/'.length));
    expect(stored?.contentType).toBe('image/webp');
    expect((await sharp(stored!.data).metadata()).width).toBe(800);
    expect((await listEditableCombos(editor)).map((c) => c.slug)).toEqual([slug]);
  });

  it('the office builds a box across producers and names the packer among their producers; the order ships it from that packer', async () => {
    const admin = await signIn('admin@ocop.local');
    const office = { kind: 'office' as const, actor: admin };
    const items = [{ product: 'nuoc-mam-nam-quyen', qty: 1 }, { product: 'mam-tom-le-gia', qty: 1 }];
    expect(await failure(saveCombo(office, null, { nameVi: 'Hộp biển', nameEn: 'Sea box', price: 200000, assembler: 'gao-daka-no-such', items }))).toMatchObject({ fields: { assembler: 'assembler' } });
    const { slug } = await saveCombo(office, null, { nameVi: 'Hộp biển', nameEn: 'Sea box', price: 200000, assembler: 'cong-ty-le-gia', status: 'published', occasion: 'tet', items });
    await setStock('nuoc-mam-nam-quyen', 10);
    await setStock('mam-tom-le-gia', 10);
    const view = await createOrder(order([{ combo: slug, qty: 1 }]), ctx);
    expect(view.parts.map((p) => p.producer.slug)).toEqual(['cong-ty-le-gia']);
    // An uploaded picture has priority over the composite.
    const png = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#c0392b' } }).png().toBuffer();
    await saveCombo(office, slug, { nameVi: 'Hộp biển', nameEn: 'Sea box', price: 210000, assembler: 'cong-ty-le-gia', status: 'published', occasion: 'tet', items }, { upload: { name: 'box.png', data: png } });
    const edited = await getEditableCombo(office, slug);
    expect(edited).toMatchObject({ uploaded: true, values: { price: '210000' } });
    const [pictures] = await rows<{ image: { url: string }; composite_image: { url: string } }>(sql`select image, composite_image from combos where slug = ${slug}`);
    expect(pictures!.composite_image.url).not.toBe(pictures!.image.url);
    expect((await getCombo(slug))!.image!.url).toBe(pictures!.image.url);
    const audit = await rows<{ action: string }>(sql`select action from audit_log where entity_type = 'combo' order by id`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['combo.created', 'combo.updated']));
  });
});

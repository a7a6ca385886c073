import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { login, type CurrentUser } from '../../src/lib/auth/index.ts';
import { getOwnProfile, patchOwnProfile, updateOwnProfile } from '../../src/lib/backoffice/index.ts';
import { AppError } from '../../src/lib/errors/index.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import {
  decideInspection, listReportsForOffice, listReportsForProducer, recallLotByOffice, recallOwnLot, recordInspection, setReportStatus, submitReport,
} from '../../src/lib/monitoring/index.ts';
import { confirmPaymentByOffice, createOrder, importStatementByOffice, listOrdersForOffice } from '../../src/lib/orders/index.ts';
import { currentPayoutBalances, settlePayoutByOffice } from '../../src/lib/payments/index.ts';
import { SEARCH_TOPIC } from '../../src/lib/search/index.ts';
import { provenanceJson, traceStamp } from '../../src/lib/trace/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const PASSWORD = 'ocop-demo-2026';
type Producer = CurrentUser & { producerId: number };
const signIn = async (email: string) => (await login({ email, password: PASSWORD }, { client: `monitor-${email}` })).user as Producer;
const rows = async <T>(q: ReturnType<typeof sql>) => (await database.get().db.execute(q)) as unknown as T[];
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? `${e.status} ${e.code} ${Object.keys(e.fields ?? {}).join(',')}`.trim() : String(e)));

/** A live stamp of one of the producer's lots that is not recalled, and the lot. */
async function stampOf(producerSlug: string): Promise<{ code: string; lotId: number; productId: number; producerId: number; productSlug: string }> {
  const [row] = await rows<{ code: string; lot_id: number; product_id: number; producer_id: number; slug: string }>(sql`
    select s.code, s.lot_id, p.id as product_id, p.producer_id, p.slug from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id
    join producers pr on pr.id = p.producer_id
    where pr.slug = ${producerSlug} and s.status in ('active','sold') and l.recalled_at is null order by s.id limit 1`);
  if (!row) throw new Error(`no stamp of ${producerSlug}`);
  return { code: row.code, lotId: Number(row.lot_id), productId: Number(row.product_id), producerId: Number(row.producer_id), productSlug: row.slug };
}

describe(`monitoring after certification (${target})`, () => {
  it('a producer recalls its own lot: the next scan shows the recall first, the API carries it, and it is announced and audited once', async () => {
    const owner = await signIn('cong-ty-le-gia@ocop.local');
    const other = await signIn('cong-ty-khai-hoan@ocop.local');
    const stamp = await stampOf('cong-ty-le-gia');
    // Read once so the process holds the lot's part (the per-process lot cache of the provenance path).
    const before = await traceStamp(stamp.code);
    expect(before.found && before.provenance.alert).toBeNull();
    expect(before.found && provenanceJson(before.provenance, 'https://x').recall).toBeNull();

    expect(await outcome(recallOwnLot(other, stamp.lotId, { reason: 'Không phải lô của tôi' }))).toBe('404 monitoring.lot_not_found');
    expect(await outcome(recallOwnLot(owner, stamp.lotId, { reason: 'x' }))).toBe('400 monitoring.invalid reason');
    expect(await outcome(recallOwnLot(owner, stamp.lotId, {}))).toBe('400 monitoring.invalid reason');
    const [untouched] = await rows<{ recalled_at: Date | null }>(sql`select recalled_at from lots where id = ${stamp.lotId}`);
    expect(untouched!.recalled_at).toBeNull();

    const recall = await recallOwnLot(owner, stamp.lotId, { reason: 'Phát hiện nhiễm khuẩn trong mẫu lưu' });
    expect(recall).toMatchObject({ lotId: stamp.lotId, reason: 'Phát hiện nhiễm khuẩn trong mẫu lưu' });

    const after = await traceStamp(stamp.code);
    if (!after.found) throw new Error('stamp not found');
    expect(after.provenance.alert).toBe('recall');
    expect(provenanceJson(after.provenance, 'https://x').recall).toEqual({ at: recall.recalledAt, reason: 'Phát hiện nhiễm khuẩn trong mẫu lưu' });
    const page = after.sections('vi');
    expect(page.alert).toContain('Lô hàng này đã bị thu hồi');
    expect(page.alert).toContain('Phát hiện nhiễm khuẩn trong mẫu lưu');
    expect(after.provenance.events.at(-1)).toMatchObject({ bizStep: 'recalling', disposition: 'recalled' });

    const [lot] = await rows<{ status: string; recalled_by: string }>(sql`select status, recalled_by from lots where id = ${stamp.lotId}`);
    expect(lot).toEqual({ status: 'recalled', recalled_by: 'producer:cong-ty-le-gia@ocop.local' });
    const messages = await rows<{ payload: Record<string, unknown> }>(sql`select payload from outbox where topic = 'lot.recalled' and (payload->>'lotId')::int = ${stamp.lotId}`);
    expect(messages.map((m) => m.payload)).toEqual([{ lotId: stamp.lotId, productId: stamp.productId, producerId: stamp.producerId, reason: 'Phát hiện nhiễm khuẩn trong mẫu lưu', at: recall.recalledAt }]);
    const search = await rows<{ payload: { productIds?: number[] } }>(sql`select payload from outbox where topic = ${SEARCH_TOPIC} order by id desc limit 5`);
    expect(search.some((m) => m.payload.productIds?.includes(stamp.productId))).toBe(true);
    const audit = await rows<{ action: string; actor_email: string }>(sql`select action, actor_email from audit_log where entity_type = 'lot' and entity_id = ${String(stamp.lotId)}`);
    expect(audit).toEqual([{ action: 'lot.recalled', actor_email: 'cong-ty-le-gia@ocop.local' }]);

    expect(await outcome(recallOwnLot(owner, stamp.lotId, { reason: 'Thu hồi lần hai' }))).toBe('409 monitoring.already_recalled');
    expect(await outcome(recallLotByOffice(await signIn('admin@ocop.local'), 2_147_483_647, { reason: 'Không có lô này' }))).toBe('404 monitoring.lot_not_found');
  });

  it('an inspection with a violation ends in one decision: a lot recall (by the office) or the revocation of the certificate', async () => {
    const admin = await signIn('admin@ocop.local');
    const stamp = await stampOf('cong-ty-khai-hoan');
    const base = { producer: 'cong-ty-khai-hoan', product: stamp.productSlug, inspectedOn: '2026-11-20', inspectors: ['Nguyễn Thị Hoa', 'Trần Văn Bình'], findings: 'Nhãn thiếu hạn sử dụng; mẫu lưu không đạt.' };
    expect(await outcome(recordInspection(admin, { ...base, outcome: 'bad', inspectedOn: '2999-01-01' }))).toBe('400 monitoring.invalid outcome');
    expect(await outcome(recordInspection(admin, { ...base, outcome: 'violation', inspectedOn: '2999-01-01' }))).toBe('400 monitoring.invalid inspectedOn');
    expect(await outcome(recordInspection(admin, { ...base, outcome: 'violation', producer: 'khong-co' }))).toBe('400 monitoring.invalid producer');
    expect(await outcome(recordInspection(admin, { ...base, outcome: 'violation', lotId: 2_000_000_000 }))).toBe('400 monitoring.invalid lotId');

    const compliant = await recordInspection(admin, { ...base, outcome: 'compliant' });
    expect(await outcome(decideInspection(admin, compliant.id, { decision: 'warning', note: 'Không cần' }))).toBe('409 monitoring.not_violation');

    const violation = await recordInspection(admin, { ...base, outcome: 'violation', lotId: stamp.lotId });
    expect(violation).toMatchObject({ outcome: 'violation', decision: null, lot: { id: stamp.lotId }, inspectors: base.inspectors });
    expect(await outcome(decideInspection(admin, violation.id, { decision: 'lot_recall', note: 'Thu hồi lô vi phạm' }))).toBe('400 monitoring.invalid lotIds');
    const decided = await decideInspection(admin, violation.id, { decision: 'lot_recall', note: 'Thu hồi lô do mẫu lưu không đạt', lotIds: [String(stamp.lotId)] });
    expect(decided).toMatchObject({ decision: 'lot_recall', recalled: [{ lotId: stamp.lotId }] });
    const [lot] = await rows<{ recall_inspection_id: number; recalled_by: string }>(sql`select recall_inspection_id, recalled_by from lots where id = ${stamp.lotId}`);
    expect({ ...lot, recall_inspection_id: Number(lot!.recall_inspection_id) }).toEqual({ recall_inspection_id: violation.id, recalled_by: 'office:admin@ocop.local' });
    const traced = await traceStamp(stamp.code);
    expect(traced.found && provenanceJson(traced.provenance, 'https://x').recall?.reason).toBe('Thu hồi lô do mẫu lưu không đạt');
    expect(await outcome(decideInspection(admin, violation.id, { decision: 'warning', note: 'Lần nữa' }))).toBe('409 monitoring.already_decided');

    // Revocation goes through the certification path: the product's active certificate is revoked.
    const [cert] = await rows<{ id: number; slug: string; producer: string }>(sql`select c.id, p.slug, pr.slug as producer from certificates c join products p on p.id = c.product_id
      join producers pr on pr.id = p.producer_id where c.status = 'active' and pr.slug = 'htx-che-hao-dat' order by c.id limit 1`);
    const second = await recordInspection(admin, { ...base, producer: cert!.producer, product: cert!.slug, outcome: 'violation' });
    // One transaction: when the decision cannot be recorded, the certificate is not revoked either.
    await database.get().db.execute(sql`alter table inspections add constraint test_refuse_revocation check (decision is distinct from 'revocation') not valid`);
    try {
      expect(await outcome(decideInspection(admin, second.id, { decision: 'revocation', note: 'Vi phạm nghiêm trọng về an toàn thực phẩm' }))).not.toBe('ok');
    } finally {
      await database.get().db.execute(sql`alter table inspections drop constraint test_refuse_revocation`);
    }
    const [stillActive] = await rows<{ status: string }>(sql`select status from certificates where id = ${cert!.id}`);
    expect(stillActive!.status).toBe('active');
    await decideInspection(admin, second.id, { decision: 'revocation', revocationCode: 'food_safety', note: 'Vi phạm nghiêm trọng về an toàn thực phẩm' });
    const [revoked] = await rows<{ status: string; code: string; note: string }>(sql`select status, revocation_code as code, revocation_reason as note from certificates where id = ${cert!.id}`);
    // The kind of breach as a code (labels in both languages), the inspection's note beside it.
    expect(revoked).toEqual({ status: 'revoked', code: 'food_safety', note: 'Vi phạm nghiêm trọng về an toàn thực phẩm' });
    const actions = await rows<{ action: string }>(sql`select action from audit_log where entity_type in ('inspection', 'certificate') and entity_id in (${String(second.id)}, ${String(cert!.id)}) order by id`);
    expect(actions.map((a) => a.action)).toEqual(['inspection.recorded', 'certificate.revoked', 'inspection.decided']);
  });

  it('reports from the public: 202-style receipt, announced, limited per network, and the producer never sees the contact', async () => {
    const stamp = await stampOf('htx-che-hao-dat');
    const client = { network: '198.51.0.0/16', limited: true };
    expect(await outcome(submitReport({ category: 'quality', body: '   ' , product: stamp.productSlug }, client))).toBe('400 reports.invalid body');
    expect(await outcome(submitReport({ category: 'nope', body: 'x', product: stamp.productSlug }, client))).toBe('400 reports.invalid category');
    expect(await outcome(submitReport({ category: 'quality', body: 'x' }, client))).toBe('400 reports.invalid product');
    expect(await outcome(submitReport({ category: 'quality', body: 'x', code: 'AAAA-BBBB' }, client))).toBe('400 reports.invalid code');

    const filed = await submitReport({ category: 'counterfeit', body: 'Tem in mờ, vị khác hẳn', code: stamp.code, contact: '0912 000 111' }, client);
    expect(filed.status).toBe('new');
    const [message] = await rows<{ payload: Record<string, unknown> }>(sql`select payload from outbox where topic = 'report.received' and (payload->>'reportId')::int = ${filed.id}`);
    expect(message!.payload).toEqual({ reportId: filed.id, productId: stamp.productId, producerId: stamp.producerId, category: 'counterfeit' });

    const owner = await signIn('htx-che-hao-dat@ocop.local');
    const own = await listReportsForProducer(owner);
    const mine = own.find((r) => r.id === filed.id)!;
    expect(mine).toMatchObject({ category: 'counterfeit', body: 'Tem in mờ, vị khác hẳn', stampCode: stamp.code });
    expect('contact' in mine).toBe(false);
    expect(JSON.stringify(own)).not.toContain('0912 000 111');
    expect((await listReportsForProducer(await signIn('cong-ty-le-gia@ocop.local'))).some((r) => r.id === filed.id)).toBe(false);

    const admin = await signIn('admin@ocop.local');
    const queue = await listReportsForOffice({ status: 'new' });
    expect(queue.reports.find((r) => r.id === filed.id)).toMatchObject({ contact: '0912 000 111', status: 'new' });
    await setReportStatus(admin, filed.id, { status: 'reviewing', note: 'Đã liên hệ người báo' });
    expect((await listReportsForOffice({ status: 'reviewing' })).reports.map((r) => r.id)).toContain(filed.id);
    expect(await outcome(setReportStatus(admin, filed.id, { status: 'lost' }))).toBe('400 reports.invalid status');

    // REPORTS_PER_NETWORK_HOUR (10): the network has filed 1; 9 more pass, the 11th is refused; another network is not affected.
    for (let i = 0; i < 9; i++) await submitReport({ category: 'other', body: `Báo cáo ${i}`, product: stamp.productSlug }, client);
    const refused = await submitReport({ category: 'other', body: 'Một lần nữa', product: stamp.productSlug }, client).catch((e: AppError) => e);
    expect(refused).toMatchObject({ status: 429, code: 'reports.rate_limited' });
    expect(Number((refused as AppError).details?.retryAfter)).toBeGreaterThan(0);
    await submitReport({ category: 'other', body: 'Mạng khác', product: stamp.productSlug }, { network: '192.0.0.0/16', limited: true });
    await submitReport({ category: 'other', body: 'Qua máy chủ nội bộ', product: stamp.productSlug }, { network: '198.51.0.0/16', limited: false });
  });

  it('a producer edits its profile: per-field errors change nothing; a valid edit is saved, audited and sent to search', async () => {
    const owner = await signIn('htx-che-hao-dat@ocop.local');
    const before = await getOwnProfile(owner);
    const error = await updateOwnProfile(owner, { province: 'Atlantis', phone: '12345', email: 'no-at', website: 'javascript:alert(1)', bankBin: '970436', bankAccount: '12ab' }).catch((e: AppError) => e);
    expect(error).toMatchObject({ status: 400 });
    expect(Object.keys((error as AppError).fields ?? {}).sort()).toEqual(['bankAccount', 'email', 'phone', 'website']);
    expect(await outcome(updateOwnProfile(owner, { province: 'Atlantis' }))).toBe('400 backoffice.invalid province');
    expect(await outcome(updateOwnProfile(owner, { province: before.province, bankBin: '970436' }))).toBe('400 backoffice.invalid bankAccount,bankAccountName');
    expect(await getOwnProfile(owner)).toEqual(before);

    const saved = await updateOwnProfile(owner, {
      province: 'Thái Nguyên', commune: 'Xã Tân Cương', historicalAddress: 'xã Tân Cương, thành phố Thái Nguyên, tỉnh Thái Nguyên',
      storyVi: 'Chè Tân Cương hái tay.', storyEn: 'Hand-picked Tan Cuong tea.', phone: '+84 912 345 678', email: 'lienhe@haodat.vn',
      bankBin: '970418', bankAccount: '1234 5678 9012', bankAccountName: 'Hợp tác xã chè Hảo Đạt',
    });
    expect(saved).toMatchObject({ province: 'thai-nguyen', phone: '0912345678', bankAccount: '123456789012', bankAccountName: 'HOP TAC XA CHE HAO DAT', addressLine: null });
    expect(await getOwnProfile(owner)).toEqual(saved);
    const patched = await patchOwnProfile(owner, { website: 'https://haodat.vn' });
    expect(patched).toEqual({ ...saved, website: 'https://haodat.vn' });
    const [audit] = await rows<{ before: Record<string, unknown>; after: Record<string, unknown> }>(sql`select before, after from audit_log
      where action = 'producer.profile_updated' and entity_id = ${String(owner.producerId)} order by id limit 1`);
    expect(audit!.after).toMatchObject({ phone: '0912345678', bank_account: '123456789012' });
    expect(audit!.before).toHaveProperty('phone');
    const search = await rows<{ payload: { producerIds?: number[] } }>(sql`select payload from outbox where topic = ${SEARCH_TOPIC} order by id desc limit 3`);
    expect(search.some((m) => m.payload.producerIds?.includes(owner.producerId))).toBe(true);
  });

  it('the office marks a VietQR transfer received, imports a statement, lists orders by filter and records payouts within the balance', async () => {
    const admin = await signIn('admin@ocop.local');
    const t = createT('vi');
    const customer = { name: 'Lê Thu', phone: '0912345678', address: { line: '1 Trần Phú', commune: 'Phường Hạc Thành', province: 'thanh-hoa' } };
    const ctx = { t, locale: 'vi' as const, origin: 'http://shop.test' };
    const a = await createOrder({ items: [{ slug: 'gao-daka', qty: 1 }], customer, payment: 'vietqr' }, ctx);
    const b = await createOrder({ items: [{ slug: 'gao-daka', qty: 1 }], customer, payment: 'vietqr' }, ctx);
    const awaiting = await listOrdersForOffice({ awaiting: '1', q: a.publicId });
    expect(awaiting.orders).toMatchObject([{ publicId: a.publicId, canMarkPaid: true, method: 'vietqr', payment: { status: 'pending' } }]);
    expect(await confirmPaymentByOffice(admin, a.publicId)).toBe('paid');
    expect((await listOrdersForOffice({ awaiting: '1', q: a.publicId })).orders).toEqual([]);
    expect((await listOrdersForOffice({ status: 'paid', q: a.publicId })).orders.map((o) => o.canMarkPaid)).toEqual([false]);
    expect(await outcome(confirmPaymentByOffice(admin, 'ord_khong_co'))).toBe('404 orders.not_found');

    const csv = `Ngày giao dịch,Mã giao dịch,Số tiền,Nội dung\n28/11/2026,FTM${Date.now()},${b.total},${b.reference}\n`;
    const imported = await importStatementByOffice(admin, csv);
    expect(imported.rows.map((r) => [r.order, r.result])).toEqual([[b.publicId, 'paid']]);
    expect(await outcome(importStatementByOffice(admin, '  '))).toBe('400 payments.bad_statement statement');
    const audit = await rows<{ action: string }>(sql`select action from audit_log where actor_email = 'admin@ocop.local' and action in ('order.payment_confirmed', 'payments.statement_imported')`);
    expect(audit.map((r) => r.action).sort()).toEqual(['order.payment_confirmed', 'payments.statement_imported']);

    const owed = (await currentPayoutBalances()).find((x) => x.balance > 0)!;
    expect(await outcome(settlePayoutByOffice(admin, { producer: owed.producerSlug, amount: String(owed.balance + 1), reference: 'UNC-1' }))).toBe('400 payments.over_balance amount');
    expect(await outcome(settlePayoutByOffice(admin, { producer: owed.producerSlug, amount: '-5', reference: '' }))).toBe('400 payments.invalid_settlement amount,reference');
    const settled = await settlePayoutByOffice(admin, { producer: owed.producerSlug, amount: String(owed.balance), reference: 'UNC-2026-11-28' });
    expect(settled.balance).toBe(0);
    expect((await currentPayoutBalances()).find((x) => x.producerSlug === owed.producerSlug)!.balance).toBe(0);
  });
});

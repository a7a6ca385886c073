import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../src/lib/db/index.ts';
import { addDays, todayInVietnam } from '../../src/lib/catalog/index.ts';
import * as t from '../schema.ts';

/**
 * Demo data of monitoring after certification (issue 14): an inspection whose violation ended in
 * the recall of an older lot (the product stays on sale with its newer lot), a violation still
 * awaiting the office's decision, a compliant inspection, and two reports from the public.
 */
const PRODUCT = 'siro-nho-phan-rang';
const INSPECTORS = ['Nguyễn Thị Thu Hà (Chi cục QLCL Nông lâm sản và Thủy sản)', 'Trần Minh Quân (Văn phòng điều phối NTM tỉnh)'];

export async function seedMonitoring(tx: Tx): Promise<void> {
  const [product] = await tx.select({ id: t.products.id, producerId: t.products.producerId }).from(t.products).where(eq(t.products.slug, PRODUCT));
  if (!product) return;
  const lots = await tx.select({ id: t.lots.id, code: t.lots.code }).from(t.lots).where(eq(t.lots.productId, product.id)).orderBy(asc(t.lots.producedOn));
  const oldest = lots[0];
  if (!oldest || lots.length < 2) return;
  const today = todayInVietnam();
  const inspectedOn = addDays(today, -9);
  const reason = 'Kiểm tra sau công nhận: mẫu lưu của lô có độ Brix và vi sinh không đạt tiêu chuẩn công bố. Ngừng sử dụng, liên hệ nơi bán để đổi trả.';
  const decidedAt = new Date(`${addDays(today, -7)}T09:30:00+07:00`);
  const [inspection] = await tx.insert(t.inspections).values({
    producerId: product.producerId, productId: product.id, lotId: oldest.id, inspectedOn, inspectors: INSPECTORS,
    findings: `Lấy mẫu lưu lô ${oldest.code} tại cơ sở: chỉ tiêu vi sinh vượt ngưỡng; hồ sơ truy xuất đầy đủ.`,
    outcome: 'violation', decision: 'lot_recall', decisionNote: reason, decidedAt, decidedBy: 'office:admin@ocop.local', createdBy: 'office:admin@ocop.local',
  }).returning({ id: t.inspections.id });
  await tx.update(t.lots).set({ status: 'recalled', recalledAt: decidedAt, recallReason: reason, recalledBy: 'office:admin@ocop.local', recallInspectionId: inspection!.id })
    .where(and(eq(t.lots.id, oldest.id)));
  await tx.insert(t.traceEvents).values({ lotId: oldest.id, bizStep: 'recalling', disposition: 'recalled', occurredAt: decidedAt, timeZoneOffset: '+07:00', descriptionVi: reason, descriptionEn: reason });

  // Another producer: one violation awaiting a decision, one compliant visit.
  const [other] = await tx.select({ id: t.products.id, producerId: t.products.producerId }).from(t.products).where(eq(t.products.slug, 'cao-bo-ket-thao-duoc-nhien-thao'));
  if (other) {
    await tx.insert(t.inspections).values([
      { producerId: other.producerId, productId: other.id, inspectedOn: addDays(today, -3), inspectors: INSPECTORS, findings: 'Nhãn phụ thiếu thông tin thành phần và hướng dẫn bảo quản.', outcome: 'violation', createdBy: 'office:admin@ocop.local' },
      { producerId: product.producerId, productId: product.id, inspectedOn: addDays(today, -60), inspectors: INSPECTORS.slice(0, 1), findings: 'Điều kiện sản xuất, nhãn và hồ sơ truy xuất đạt yêu cầu.', outcome: 'compliant', createdBy: 'office:admin@ocop.local' },
    ]);
  }
  await tx.insert(t.publicReports).values([
    { productId: product.id, lotId: oldest.id, category: 'quality', body: 'Chai siro mua ở chợ Phan Rang có mùi lên men, nắp hơi phồng.', contact: '0905 123 456', status: 'resolved', officeNote: 'Đã kiểm tra, thu hồi lô.' },
    { productId: other?.id ?? product.id, category: 'label', body: 'Nhãn không ghi hạn sử dụng bằng tiếng Việt.', status: 'new' },
  ]);
}

import { recordAudit } from '../audit/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import { fail, revokeCertificateTx, storeEvidence, validate, type UploadedFile } from '../backoffice/index.ts';
import { todayInVietnam } from '../catalog/index.ts';
import type { EvidenceDocument } from '../catalog/lots.table.ts';
import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { DecisionSchema, InspectionSchema } from './monitoring.schemas.ts';
import * as repo from './monitoring.repository.ts';
import { recallLotsTx } from './recall.service.ts';

/**
 * Inspections after certification: date, inspectors, findings, documents, outcome. A violation
 * gets exactly one recorded decision — a warning, a lot recall (recall.service.ts) or the
 * revocation of the product's certificate through the certification path. Every step audited.
 */
const isId = (n: number) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647;
const notFound = () => new AppError('NOT_FOUND', 'monitoring.inspection_not_found', 'No such inspection.');

export async function recordInspection(user: CurrentUser, raw: unknown, upload?: UploadedFile) {
  const input = validate(InspectionSchema, raw, 'monitoring.invalid');
  if (input.inspectedOn > todayInVietnam()) fail('monitoring.invalid', { inspectedOn: 'future' });
  const d = await getDb();
  const target = await repo.resolveTarget(d, input.producer, input.product, input.lotId);
  if (!target) fail('monitoring.invalid', { producer: 'not_found' });
  if (!target.productOk) fail('monitoring.invalid', { product: 'not_found' });
  if (!target.lotOk) fail('monitoring.invalid', { lotId: 'not_found' });
  const documents: EvidenceDocument[] = [];
  if (upload && upload.data.length > 0) {
    // Checked like evidence uploads (PDF by signature, pictures re-encoded); stored before the transaction.
    const stored = await storeEvidence(upload, `inspections/${target.producerId}`, 'document');
    documents.push({ type: stored.kind === 'pdf' ? 'inspection_report' : 'photo', title: input.documentTitle || upload.name.slice(0, 200) || 'document', url: stored.url, issuedOn: input.inspectedOn });
  }
  const by = `office:${user.email}`;
  return d.transaction(async (tx) => {
    const id = await repo.insertInspection(tx, { ...input, producerId: target.producerId, productId: target.productId, documents, by });
    const row = (await repo.selectInspection(tx, id))!;
    await recordAudit(tx, user, 'inspection.recorded', { type: 'inspection', id }, null, view(row));
    return view(row);
  });
}

export async function decideInspection(user: CurrentUser, id: number, raw: unknown) {
  const input = validate(DecisionSchema, raw, 'monitoring.invalid');
  const d = await getDb();
  const found = isId(id) ? await repo.selectInspection(d, id) : null;
  if (!found) throw notFound();
  if (found.outcome !== 'violation') throw new AppError('CONFLICT', 'monitoring.not_violation', 'Only a violation leads to a decision.');
  if (found.decision) throw new AppError('CONFLICT', 'monitoring.already_decided', 'This inspection already has its decision.');
  if (input.decision === 'lot_recall' && input.lotIds.length === 0) fail('monitoring.invalid', { lotIds: 'required' });
  if (input.decision === 'revocation' && found.product_id === null) fail('monitoring.invalid', { decision: 'no_product' });
  // One transaction: the decision is recorded with its revocation or recall, or not at all.
  return d.transaction(async (tx) => {
    const row = await repo.selectInspection(tx, id, true);
    if (!row || row.decision) throw new AppError('CONFLICT', 'monitoring.already_decided', 'This inspection already has its decision.');
    if (input.decision === 'revocation') {
      const certificateId = await repo.activeCertificateOf(tx, Number(row.product_id));
      if (certificateId === null) fail('monitoring.invalid', { decision: 'no_certificate' });
      // The certification path's revocation (audited as certificate.revoked, the catalogue told).
      await revokeCertificateTx(tx, user, certificateId, { code: input.revocationCode, note: input.note.slice(0, 1000) });
    }
    let recalled: Awaited<ReturnType<typeof recallLotsTx>> = [];
    if (input.decision === 'lot_recall') {
      const allowed = new Set((await repo.selectLotsFor(tx, Number(row.producer_id), row.product_id === null ? null : Number(row.product_id))).map((l) => Number(l.id)));
      if (input.lotIds.some((l) => !allowed.has(l))) fail('monitoring.invalid', { lotIds: 'not_found' });
      recalled = await recallLotsTx(tx, user, input.lotIds, input.note.slice(0, 1000), { producerId: Number(row.producer_id), inspectionId: id });
    }
    await repo.setDecision(tx, id, { decision: input.decision, note: input.note, by: `office:${user.email}` });
    const after = (await repo.selectInspection(tx, id))!;
    await recordAudit(tx, user, 'inspection.decided', { type: 'inspection', id }, { decision: null }, { decision: input.decision, note: input.note, lots: recalled.map((r) => r.lotId) });
    return { ...view(after), recalled };
  });
}

export async function listInspections(f: { open?: boolean; producerId?: number } = {}) {
  return (await repo.selectInspections(await getDb(), { ...f, limit: 200 })).map(view);
}

export async function getInspection(id: number) {
  const d = await getDb();
  const row = isId(id) ? await repo.selectInspection(d, id) : null;
  if (!row) throw notFound();
  const lots = await repo.selectLotsFor(d, Number(row.producer_id), row.product_id === null ? null : Number(row.product_id));
  return { inspection: view(row), lots: lots.map((l) => ({ id: Number(l.id), code: l.code, producedOn: l.produced_on, quantity: l.quantity, product: { slug: l.product_slug, name: { vi: l.product_name_vi, en: l.product_name_en } }, recalledAt: l.recalled_at ? new Date(l.recalled_at).toISOString() : null, recallReason: l.recall_reason })) };
}

export function view(r: repo.InspectionRow) {
  return {
    id: Number(r.id), inspectedOn: r.inspected_on, inspectors: r.inspectors, findings: r.findings, documents: r.documents, outcome: r.outcome,
    producer: { slug: r.producer_slug, name: r.producer_name },
    product: r.product_slug ? { slug: r.product_slug, name: { vi: r.product_name_vi!, en: r.product_name_en! } } : null,
    lot: r.lot_id === null ? null : { id: Number(r.lot_id), code: r.lot_code! },
    decision: r.decision, decisionNote: r.decision_note, decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null, decidedBy: r.decided_by,
    createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString(),
  };
}
export type InspectionView = ReturnType<typeof view>;

import crypto from 'node:crypto';
import { recordAudit } from '../audit/index.ts';
import { isValidKey, storage, type StoredObject } from '../storage/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import { fail, storeProductImage, validate, type UploadedFile } from '../backoffice/index.ts';
import { config } from '../config/index.ts';
import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { enqueue } from '../outbox/index.ts';
import { hit, rateLimited } from '../ratelimit/index.ts';
import { normalizeStampCode, stampSecret, verifyStampCode } from '../stamps/index.ts';
import { ReportSchema, ReportStatusSchema } from './monitoring.schemas.ts';
import * as repo from './monitoring.repository.ts';

/**
 * Reports from the public (issue 14 item 7): "report a problem" on the provenance and product
 * pages. Anyone may file one (202: received, not yet reviewed), at most
 * REPORTS_PER_NETWORK_HOUR per client network (IPv4 /16, IPv6 /32) an hour. The office works a
 * queue with statuses; the producer sees the reports about its products but never the reporter's
 * contact. Each report is announced as `report.received` through the outbox.
 */
export const REPORT_RECEIVED_TOPIC = 'report.received';
/** Storage prefix of reports' photos (private: src/pages/media refuses it). */
export const PRIVATE_PHOTOS = 'private/reports/';
/** Keys /media must never serve: the private area, and reports' photos stored before it existed. */
export function isPrivateMediaKey(key: string): boolean {
  return key.startsWith('private/') || key.startsWith('reports/');
}
export interface ReportReceivedMessage { reportId: number; productId: number; producerId: number; category: string }

const HOUR = 3600_000;
const isId = (n: number) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647;

/** Who is reporting: the network prefix (stored) and whether the limit applies (Internet addresses only, as for orders). */
export interface ReportClient { network: string | null; limited: boolean }

/** What a report is about: a stamp (its product and lot) or a product; null when neither is known. */
export async function reportTarget(input: { code?: string | null; product?: string | null }): Promise<{ target: repo.ReportTargetRow; code: string | null } | null> {
  const d = await getDb();
  if (input.code) {
    const code = normalizeStampCode(input.code.slice(0, 40));
    if (!code || !verifyStampCode(code, stampSecret())) return null;
    const target = await repo.stampForReport(d, code);
    return target ? { target, code } : null;
  }
  if (input.product && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.product) && input.product.length <= 80) {
    const target = await repo.productForReport(d, input.product);
    return target ? { target, code: null } : null;
  }
  return null;
}

export async function submitReport(raw: unknown, client: ReportClient, photo?: UploadedFile): Promise<{ id: number; status: 'new' }> {
  const input = validate(ReportSchema, raw, 'reports.invalid');
  if (!input.product && !input.code) fail('reports.invalid', { product: 'required' });
  const found = await reportTarget(input);
  if (!found) fail('reports.invalid', input.code ? { code: 'not_found' } : { product: 'not_found' });
  const { target, code: stampCode } = found;
  const d = await getDb();
  const limit = config().REPORTS_PER_NETWORK_HOUR;
  if (client.limited && client.network && limit > 0) {
    const r = await hit(d, `reports:net:${client.network}`, { limit, windowMs: HOUR });
    if (!r.allowed) throw rateLimited(r, 'reports.rate_limited');
  }
  // The photo may show the reporter (a face, a home, a shop): it is kept under an unguessable key in
  // the private area, which /media never serves, and only the office reads it (reportPhoto).
  const photoUrl = photo && photo.data.length > 0 ? (await storeProductImage(photo, `${PRIVATE_PHOTOS}${crypto.randomBytes(16).toString('hex')}`, 'photo')).url : null;
  return d.transaction(async (tx) => {
    const id = await repo.insertReport(tx, {
      productId: Number(target.product_id), lotId: target.lot_id === null ? null : Number(target.lot_id), stampCode, category: input.category,
      body: input.body, photoUrl, contact: input.contact || null, locale: input.locale ?? 'vi', network: client.network,
    });
    await enqueue(tx, REPORT_RECEIVED_TOPIC, { reportId: id, productId: Number(target.product_id), producerId: Number(target.producer_id), category: input.category } satisfies ReportReceivedMessage);
    return { id, status: 'new' as const };
  });
}

function view(r: repo.ReportRow, withContact: boolean) {
  return {
    id: Number(r.id), category: r.category, body: r.body, status: r.status, officeNote: r.office_note,
    /**
     * The office reads the photo through its own authorised address; the producer gets none (a
     * photo may identify the reporter as surely as a contact would), only that there is one.
     */
    photoUrl: withContact && r.photo_url ? `/api/admin/reports/${Number(r.id)}/photo` : null,
    hasPhoto: r.photo_url !== null,
    product: { slug: r.product_slug, name: { vi: r.product_name_vi, en: r.product_name_en } }, producer: { name: r.producer_name },
    lot: r.lot_id === null ? null : { id: Number(r.lot_id), code: r.lot_code }, stampCode: r.stamp_code, locale: r.locale,
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
    ...(withContact ? { contact: r.contact } : {}),
  };
}
export type ReportView = ReturnType<typeof view>;

/** The office's queue (GET /api/admin/reports, /admin/reports), with the reporter's contact. */
export async function listReportsForOffice(f: { status?: string; page?: number } = {}) {
  const status = f.status && ['new', 'reviewing', 'resolved', 'dismissed'].includes(f.status) ? f.status : undefined;
  const page = Math.min(1000, Math.max(1, Math.trunc(f.page ?? 1) || 1));
  const d = await getDb();
  const rows = await repo.selectReports(d, { status, withContact: true, limit: 50, offset: (page - 1) * 50 });
  return { reports: rows.map((r) => view(r, true)), counts: await repo.countReportsByStatus(d), status: status ?? null, page };
}

/** Reports about the producer's own products: never the reporter's contact. */
export async function listReportsForProducer(user: CurrentUser & { producerId: number }) {
  const rows = await repo.selectReports(await getDb(), { producerId: user.producerId, withContact: false, limit: 100 });
  return rows.map((r) => view(r, false));
}

/** A report's photo for the office (GET /api/admin/reports/<id>/photo); null when there is none. */
export async function reportPhoto(user: CurrentUser, id: number): Promise<StoredObject | null> {
  if (user.role !== 'admin' || !isId(id)) return null;
  const row = await repo.selectReportPhoto(await getDb(), id);
  if (!row) return null;
  const key = row.replace(/^\/media\//, '');
  return isValidKey(key) ? storage().get(key) : null;
}

export async function setReportStatus(user: CurrentUser, id: number, raw: unknown) {
  const input = validate(ReportStatusSchema, raw, 'reports.invalid');
  const d = await getDb();
  return d.transaction(async (tx) => {
    const before = isId(id) ? await repo.lockReport(tx, id) : null;
    if (!before) throw new AppError('NOT_FOUND', 'reports.not_found', 'No such report.');
    const note = input.note || before.office_note || null;
    await repo.updateReport(tx, id, input.status, note);
    await recordAudit(tx, user, 'report.status_changed', { type: 'public_report', id }, { status: before.status, note: before.office_note }, { status: input.status, note });
    return { id, status: input.status, officeNote: note };
  });
}

import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { notifyCatalogChanged } from '../search/index.ts';
import * as repo from './products.repository.ts';
import { validate } from './validate.ts';

/**
 * The office approves new products (issue 14 item 10): a product a producer creates is 'pending'
 * and stays off the storefront (lib/catalog/sellability.ts) until approved; a rejection carries a
 * note the producer sees in its dashboard. Every decision is audited.
 */
export interface ProductForApproval {
  slug: string;
  nameVi: string;
  nameEn: string;
  producer: { slug: string; name: string };
  group: string;
  subgroup: string;
  price: number;
  status: 'draft' | 'published' | 'archived';
  approval: 'pending' | 'approved' | 'rejected';
  note: string | null;
  image: string | null;
  createdAt: string;
  certificate: { stars: number; status: string; validUntil: string } | null;
}

export async function listProductsForApproval(approval: 'pending' | 'rejected' = 'pending'): Promise<ProductForApproval[]> {
  const rows = await repo.selectProductsForApproval(await getDb(), approval);
  return rows.map((r) => ({
    slug: r.slug, nameVi: r.name_vi, nameEn: r.name_en, producer: { slug: r.producer_slug, name: r.producer_name },
    group: r.group_code, subgroup: r.subgroup_code, price: Number(r.price), status: r.status, approval: r.approval, note: r.approval_note,
    image: r.images[0]?.url ?? null, createdAt: new Date(r.created_at).toISOString(),
    certificate: r.cert_stars === null ? null : { stars: Number(r.cert_stars), status: String(r.cert_status), validUntil: String(r.cert_valid_until) },
  }));
}

export const ApprovalDecisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(1000).optional(),
}).strict().refine((v) => v.decision === 'approve' || (v.note !== undefined && v.note.length >= 5), { path: ['note'], message: 'required' });

/** Approves or rejects a product; a rejection needs a note of at least 5 characters. */
export async function decideProduct(actor: CurrentUser, slug: string, raw: unknown): Promise<{ slug: string; approval: 'approved' | 'rejected' }> {
  const input = validate(ApprovalDecisionSchema, raw, 'backoffice.invalid_approval');
  const d = await getDb();
  return d.transaction(async (tx) => {
    const row = await repo.selectOwnProduct(tx, null, slug, true);
    if (!row) throw new AppError('NOT_FOUND', 'backoffice.product_not_found', 'No such product.');
    const approval = input.decision === 'approve' ? 'approved' as const : 'rejected' as const;
    await repo.setApproval(tx, Number(row.id), approval, input.note || null, actor.email);
    await recordAudit(tx, actor, `product.${approval}`, { type: 'product', id: Number(row.id) }, { approval: row.approval }, { approval, note: input.note ?? null });
    // The storefront and search learn of it through the outbox, like any other catalogue change.
    await notifyCatalogChanged(tx, { productIds: [Number(row.id)] });
    return { slug, approval };
  });
}

import { sql } from 'drizzle-orm';

/**
 * THE sellability rule (DESIGN.md §4): a product is sellable only while it is published, approved
 * by the office, its producer is not suspended, its current certificate is not revoked, and — when
 * it has lots at all — at least one of its lots is not recalled. The same rule lists it in the
 * catalogue and under the OCOP filters (search), lets it into carts, orders (409 otherwise) and
 * combos. Both fragments expect the product as `p` and its producer as `pr`.
 */
export const SALE_BLOCKS = ['unpublished', 'not_approved', 'producer_suspended', 'certificate_revoked', 'recalled'] as const;
export type SaleBlock = (typeof SALE_BLOCKS)[number];

/** The current certificate's status: the newest one not superseded (as CURRENT_CERT_JOIN). */
const CURRENT_CERT_STATUS = sql`(select c.status from certificates c where c.product_id = p.id and c.status <> 'superseded'
  order by c.issued_on desc, c.id desc limit 1)`;
/** A lot still on sale: neither recalled by date (recall workflow) nor by status. */
const HAS_LOTS = sql`exists (select 1 from lots l where l.product_id = p.id)`;
const HAS_UNRECALLED_LOT = sql`exists (select 1 from lots l where l.product_id = p.id and l.recalled_at is null and l.status <> 'recalled')`;

const PUBLISHED = sql`p.status = 'published'`;
const APPROVED = sql`p.approval = 'approved'`;
const PRODUCER_ACTIVE = sql`pr.status <> 'suspended'`;
const NOT_REVOKED = sql`coalesce(${CURRENT_CERT_STATUS}, '') <> 'revoked'`;
const NOT_RECALLED = sql`(${HAS_UNRECALLED_LOT} or not ${HAS_LOTS})`;

/** A product page exists (published and approved), even when it cannot be sold right now. */
export const PAGE_VISIBLE = sql`${PUBLISHED} and ${APPROVED}`;

/** Sellable and listed: the WHERE condition. */
export const SELLABLE = sql`(${PUBLISHED} and ${APPROVED} and ${PRODUCER_ACTIVE} and ${NOT_REVOKED} and ${NOT_RECALLED})`;

/** Why a product cannot be sold (a SaleBlock code), or null when it can: a column expression. */
export const SALE_BLOCK = sql`(case
  when not ${PUBLISHED} then 'unpublished'
  when not ${APPROVED} then 'not_approved'
  when not ${PRODUCER_ACTIVE} then 'producer_suspended'
  when not ${NOT_REVOKED} then 'certificate_revoked'
  when not ${NOT_RECALLED} then 'recalled'
end)`;

export function isSaleBlock(value: unknown): value is SaleBlock {
  return typeof value === 'string' && (SALE_BLOCKS as readonly string[]).includes(value);
}

/**
 * The same rule for code that reads the facts without this SQL (the provenance page reads through
 * the raw driver): the first block in the order of SALE_BLOCK, or null. `hasSellableLot`: the
 * product has no lots, or one that is not recalled.
 */
export function saleBlockOf(f: {
  productStatus: string; approval: string; producerStatus: string; certificateStatus: string | null; hasSellableLot: boolean;
}): SaleBlock | null {
  if (f.productStatus !== 'published') return 'unpublished';
  if (f.approval !== 'approved') return 'not_approved';
  if (f.producerStatus === 'suspended') return 'producer_suspended';
  if (f.certificateStatus === 'revoked') return 'certificate_revoked';
  if (!f.hasSellableLot) return 'recalled';
  return null;
}

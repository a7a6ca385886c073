import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { orderEvents, orderItems, orderParts, orders } from './orders.table.ts';
import { COMBO_ASSEMBLER_JSON, PAGE_VISIBLE, SALE_BLOCK, type ProductImage } from '../catalog/index.ts';
import type { PartToCredit } from '../payments/index.ts';
import type { OrderStatus, ProductForSale, Shipper, ShipperKind, ShipperRef } from './orders.types.ts';

/** The SQL condition "part `op` is shipped by this shipper". */
const shippedBy = (s: ShipperRef) => (s.kind === 'producer' ? sql`op.producer_id = ${s.id}` : sql`op.point_of_sale_id = ${s.id}`);
/** A part's shipper as a reference. */
export const partShipper = (p: { producerId: number | null; pointOfSaleId: number | null }): ShipperRef =>
  (p.pointOfSaleId !== null ? { kind: 'point_of_sale', id: p.pointOfSaleId } : { kind: 'producer', id: p.producerId! });

/** All order SQL. Stock rows are always locked in ascending product id, so concurrent checkouts never deadlock. */
export type OrderRow = typeof orders.$inferSelect;
export type OrderPartRow = typeof orderParts.$inferSelect;

const ids = (list: number[]) => sql.join(list.map((i) => sql`${i}`), sql`, `);
const texts = (list: string[]) => sql.join(list.map((s) => sql`${s}`), sql`, `);

const PRODUCT_FOR_SALE = sql`p.id, p.slug, p.name_vi as "nameVi", p.name_en as "nameEn", p.price, p.weight_grams as "weightGrams",
  p.kind, p.stock, p.images->0 as image, pr.id as "producerId", pr.slug as "producerSlug", pr.name as "producerName", pr.province_code as "producerProvince",
  ${SALE_BLOCK} as block`;

/**
 * Published, approved products by slug, each with why it cannot be sold now (`block`, null when it
 * can: the catalogue's one sellability rule), so checkout can answer 409 with the reason.
 */
export async function selectProductsForSale(tx: DbOrTx, slugs: string[]): Promise<ProductForSale[]> {
  if (slugs.length === 0) return [];
  return (await tx.execute(sql`select ${PRODUCT_FOR_SALE} from products p join producers pr on pr.id = p.producer_id
    where ${PAGE_VISIBLE} and p.slug in (${texts(slugs)})`)) as unknown as ProductForSale[];
}

export interface ComboForSale {
  id: number;
  slug: string;
  nameVi: string;
  nameEn: string;
  price: number;
  /** Who packs and ships the box; null only for a combo without components. */
  assembler: Shipper | null;
  /** Every component, each with its `block` (null when it can be sold). */
  components: Array<{ qty: number; product: ProductForSale }>;
  image: ProductImage | null;
}

export async function selectCombosForSale(tx: DbOrTx, slugs: string[]): Promise<ComboForSale[]> {
  if (slugs.length === 0) return [];
  const rows = (await tx.execute(sql`
    select c.id, c.slug, c.name_vi as "nameVi", c.name_en as "nameEn", c.price, coalesce(c.image, c.composite_image) as image,
      ${COMBO_ASSEMBLER_JSON} as assembler,
      coalesce((select json_agg(json_build_object('qty', ci.qty, 'product', json_build_object(
          'id', p.id, 'slug', p.slug, 'nameVi', p.name_vi, 'nameEn', p.name_en, 'price', p.price, 'weightGrams', p.weight_grams,
          'kind', p.kind, 'stock', p.stock, 'image', p.images->0, 'producerId', pr.id, 'producerSlug', pr.slug, 'producerName', pr.name,
          'producerProvince', pr.province_code, 'block', ${SALE_BLOCK})) order by p.id)
        from combo_items ci join products p on p.id = ci.product_id join producers pr on pr.id = p.producer_id
        where ci.combo_id = c.id), '[]') as components
    from combos c where c.status = 'published' and c.slug in (${texts(slugs)})`)) as unknown as ComboForSale[];
  return rows;
}

/** Locks the products' rows in ascending id order and returns their stock. */
export async function lockStock(tx: DbOrTx, productIds: number[]): Promise<Map<number, { slug: string; stock: number; reserved: number }>> {
  const sorted = [...new Set(productIds)].sort((a, b) => a - b);
  if (sorted.length === 0) return new Map();
  const rows = (await tx.execute(sql`select id, slug, stock, reserved from products where id in (${ids(sorted)}) order by id for update`)) as unknown as Array<{ id: number; slug: string; stock: number; reserved: number }>;
  return new Map(rows.map((r) => [Number(r.id), { slug: r.slug, stock: Number(r.stock), reserved: Number(r.reserved) }]));
}

export type StockMove = 'reserve' | 'commit' | 'settle' | 'release_reserved' | 'release_committed';

/**
 * Moves units between stock (sellable), reserved (held by unpaid orders) and sold (implicit).
 * The conditions keep both columns ≥ 0 even if a caller forgot to lock; returns the rows changed.
 */
export async function moveStock(tx: DbOrTx, demand: Map<number, number>, move: StockMove): Promise<number> {
  const entries = [...demand.entries()].filter(([, q]) => q > 0).sort(([a], [b]) => a - b);
  if (entries.length === 0) return 0;
  const values = sql.join(entries.map(([id, q]) => sql`(${id}::int, ${q}::int)`), sql`, `);
  const set = {
    reserve: sql`stock = p.stock - d.qty, reserved = p.reserved + d.qty`,
    commit: sql`stock = p.stock - d.qty`,
    settle: sql`reserved = p.reserved - d.qty`,
    release_reserved: sql`stock = p.stock + d.qty, reserved = p.reserved - d.qty`,
    release_committed: sql`stock = p.stock + d.qty`,
  }[move];
  const guard = { reserve: sql`p.stock >= d.qty`, commit: sql`p.stock >= d.qty`, settle: sql`p.reserved >= d.qty`, release_reserved: sql`p.reserved >= d.qty`, release_committed: sql`true` }[move];
  const rows = await tx.execute(sql`update products p set ${set}, updated_at = now()
    from (values ${values}) as d(id, qty) where p.id = d.id and ${guard} returning p.id`);
  return (rows as unknown as unknown[]).length;
}

export async function insertOrder(tx: DbOrTx, row: typeof orders.$inferInsert): Promise<OrderRow> {
  const [created] = await tx.insert(orders).values(row).returning();
  return created!;
}

/** Inserts the parts in one statement; returned in the order given. */
export async function insertParts(tx: DbOrTx, rows: Array<typeof orderParts.$inferInsert>): Promise<OrderPartRow[]> {
  const created = await tx.insert(orderParts).values(rows).returning();
  return rows.map((r) => created.find((c) => c.producerId === (r.producerId ?? null) && c.pointOfSaleId === (r.pointOfSaleId ?? null))!);
}

export async function insertItems(tx: DbOrTx, rows: Array<typeof orderItems.$inferInsert>): Promise<void> {
  if (rows.length) await tx.insert(orderItems).values(rows);
}

export async function insertEvent(tx: DbOrTx, row: typeof orderEvents.$inferInsert): Promise<void> {
  await tx.insert(orderEvents).values(row);
}

export async function selectOrderByPublicId(tx: DbOrTx, publicId: string): Promise<OrderRow | null> {
  const rows = await tx.select().from(orders).where(eq(orders.publicId, publicId)).limit(1);
  return rows[0] ?? null;
}

export async function lockOrder(tx: DbOrTx, orderId: number): Promise<OrderRow | null> {
  const rows = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update').limit(1);
  return rows[0] ?? null;
}

/** The order with this public id, locked for the transaction (one statement: find and lock). */
export async function lockOrderByPublicId(tx: DbOrTx, publicId: string): Promise<OrderRow | null> {
  const rows = await tx.select().from(orders).where(eq(orders.publicId, publicId)).for('update').limit(1);
  return rows[0] ?? null;
}

export async function lockOrderByReference(tx: DbOrTx, reference: string): Promise<OrderRow | null> {
  const rows = await tx.select().from(orders).where(eq(orders.paymentReference, reference)).for('update').limit(1);
  return rows[0] ?? null;
}

/** Sets the status only when the order is in one of `from`; returns whether it changed. */
export async function setStatus(tx: DbOrTx, orderId: number, from: OrderStatus[], to: OrderStatus, patch: Partial<OrderRow> = {}): Promise<boolean> {
  const rows = await tx.update(orders).set({ ...patch, status: to, updatedAt: new Date() })
    .where(sql`${orders.id} = ${orderId} and ${orders.status} in (${texts(from)})`).returning({ id: orders.id });
  return rows.length > 0;
}

/** Marks the order's stock released; false when it already was (so stock is released once). */
export async function markStockReleased(tx: DbOrTx, orderId: number): Promise<boolean> {
  const rows = await tx.update(orders).set({ stockReleasedAt: new Date() })
    .where(sql`${orders.id} = ${orderId} and ${orders.stockReleasedAt} is null`).returning({ id: orders.id });
  return rows.length > 0;
}

/** Units per product of the order, or of only some of its parts. */
export async function orderDemand(tx: DbOrTx, orderId: number, partIds?: number[]): Promise<Map<number, number>> {
  if (partIds?.length === 0) return new Map();
  const only = partIds ? sql` and op.id in (${ids(partIds)})` : sql``;
  const rows = (await tx.execute(sql`select oi.product_id as id, sum(oi.qty)::int as qty from order_items oi
    join order_parts op on op.id = oi.order_part_id join products p on p.id = oi.product_id
    where op.order_id = ${orderId}${only} and p.kind = 'goods' group by 1 order by 1`)) as unknown as Array<{ id: number; qty: number }>;
  return new Map(rows.map((r) => [Number(r.id), Number(r.qty)]));
}

/** The goods of each part per producer of its items (a gift box holds other producers' components), for the payout ledger. */
export async function partShares(tx: DbOrTx, partIds: number[]): Promise<Map<number, Array<{ producerId: number; goods: number }>>> {
  const out = new Map<number, Array<{ producerId: number; goods: number }>>();
  if (partIds.length === 0) return out;
  const rows = (await tx.execute(sql`select oi.order_part_id as part, p.producer_id as producer, sum(oi.line_total)::int as goods
    from order_items oi join products p on p.id = oi.product_id where oi.order_part_id in (${ids(partIds)})
    group by 1, 2 order by 1, 2`)) as unknown as Array<{ part: number; producer: number; goods: number }>;
  for (const r of rows) {
    const list = out.get(Number(r.part)) ?? [];
    list.push({ producerId: Number(r.producer), goods: Number(r.goods) });
    out.set(Number(r.part), list);
  }
  return out;
}

/** The payout ledger's view of these parts: the shipper, its fee, and each producer's goods. */
export async function partsToCredit(tx: DbOrTx, parts: OrderPartRow[]): Promise<PartToCredit[]> {
  const shares = await partShares(tx, parts.map((p) => p.id));
  return parts.map((p) => ({ partId: p.id, shipper: partShipper(p), shippingFee: p.shippingFee, shares: shares.get(p.id) ?? [] }));
}

export async function partsOf(tx: DbOrTx, orderId: number): Promise<OrderPartRow[]> {
  return tx.select().from(orderParts).where(eq(orderParts.orderId, orderId)).orderBy(orderParts.id);
}

/** Moves the order's parts that are in one of `from` to `to`; returns the ids of those it moved (a conditional update: each moves once). */
export async function setPartsStatus(tx: DbOrTx, orderId: number, from: string[], to: OrderPartRow['status']): Promise<number[]> {
  const rows = await tx.update(orderParts).set({ status: to, updatedAt: new Date() })
    .where(sql`${orderParts.orderId} = ${orderId} and ${orderParts.status} in (${texts(from)})`).returning({ id: orderParts.id });
  return rows.map((r) => r.id);
}

export interface OrderDetailRows {
  parts: Array<OrderPartRow & { producerSlug: string; producerName: string; shipperKind: ShipperKind }>;
  items: Array<{ partId: number; slug: string; nameVi: string; nameEn: string; qty: number; unitPrice: number; lineTotal: number; comboSlug: string | null; comboNameVi: string | null; comboNameEn: string | null; comboQty: number | null }>;
  events: Array<{ type: string; fromStatus: string | null; toStatus: string | null; cause: string | null; createdAt: string; producerName: string | null }>;
}

export async function selectOrderDetail(tx: DbOrTx, orderId: number): Promise<OrderDetailRows> {
  const parts = (await tx.execute(sql`select op.*, coalesce(pr.slug, s.slug) as "producerSlug", coalesce(pr.name, s.name_vi) as "producerName"
    from order_parts op left join producers pr on pr.id = op.producer_id left join points_of_sale s on s.id = op.point_of_sale_id
    where op.order_id = ${orderId} order by op.id`)) as unknown as Array<Record<string, unknown>>;
  const items = (await tx.execute(sql`select oi.order_part_id as "partId", p.slug, oi.name_vi as "nameVi", oi.name_en as "nameEn", oi.qty,
      oi.unit_price as "unitPrice", oi.line_total as "lineTotal", c.slug as "comboSlug", oi.combo_name_vi as "comboNameVi",
      oi.combo_name_en as "comboNameEn", oi.combo_qty as "comboQty"
    from order_items oi join order_parts op on op.id = oi.order_part_id join products p on p.id = oi.product_id
    left join combos c on c.id = oi.combo_id
    where op.order_id = ${orderId} order by oi.id`)) as unknown as OrderDetailRows['items'];
  const events = (await tx.execute(sql`select e.type, e.from_status as "fromStatus", e.to_status as "toStatus", e.cause, e.created_at as "createdAt",
      coalesce(pr.name, s.name_vi) as "producerName"
    from order_events e left join order_parts op on op.id = e.order_part_id left join producers pr on pr.id = op.producer_id
      left join points_of_sale s on s.id = op.point_of_sale_id
    where e.order_id = ${orderId} order by e.created_at, e.id`)) as unknown as OrderDetailRows['events'];
  return {
    parts: parts.map((p) => ({
      id: Number(p.id), orderId: Number(p.order_id), producerId: p.producer_id === null ? null : Number(p.producer_id),
      pointOfSaleId: p.point_of_sale_id === null || p.point_of_sale_id === undefined ? null : Number(p.point_of_sale_id),
      shipperKind: (p.point_of_sale_id === null || p.point_of_sale_id === undefined ? 'producer' : 'point_of_sale') as ShipperKind, status: p.status as OrderPartRow['status'],
      subtotal: Number(p.subtotal), shippingFee: Number(p.shipping_fee), weightGrams: Number(p.weight_grams),
      carrier: (p.carrier as string | null) ?? null, trackingNumber: (p.tracking_number as string | null) ?? null,
      shippedAt: p.shipped_at ? new Date(String(p.shipped_at)) : null, deliveredAt: p.delivered_at ? new Date(String(p.delivered_at)) : null,
      updatedAt: new Date(String(p.updated_at)), producerSlug: String(p.producerSlug), producerName: String(p.producerName),
    })),
    items: items.map((i) => ({ ...i, partId: Number(i.partId), qty: Number(i.qty), unitPrice: Number(i.unitPrice), lineTotal: Number(i.lineTotal), comboQty: i.comboQty === null ? null : Number(i.comboQty) })),
    events,
  };
}

/** Unpaid orders whose hold has lapsed (the sweeper). */
export async function selectLapsedOrders(tx: DbOrTx, limit = 100): Promise<number[]> {
  const rows = (await tx.execute(sql`select id from orders where status = 'pending_payment' and reserved_until is not null
    and reserved_until <= now() order by reserved_until limit ${limit}`)) as unknown as Array<{ id: number }>;
  return rows.map((r) => Number(r.id));
}

/** Locks one shipper's part (a producer or a point of sale sees and changes only its own parts). */
export async function lockPart(tx: DbOrTx, orderId: number, shipper: ShipperRef): Promise<OrderPartRow | null> {
  const column = shipper.kind === 'producer' ? orderParts.producerId : orderParts.pointOfSaleId;
  const rows = await tx.select().from(orderParts).where(sql`${orderParts.orderId} = ${orderId} and ${column} = ${shipper.id}`).for('update').limit(1);
  return rows[0] ?? null;
}

export async function updatePart(tx: DbOrTx, partId: number, patch: Partial<OrderPartRow>): Promise<void> {
  await tx.update(orderParts).set({ ...patch, updatedAt: new Date() }).where(eq(orderParts.id, partId));
}

export interface ProducerPartRow {
  publicId: string;
  reference: string;
  orderStatus: OrderStatus;
  paymentMethod: string;
  partStatus: OrderPartRow['status'];
  subtotal: number;
  shippingFee: number;
  customerName: string;
  phone: string;
  addressLine: string;
  commune: string;
  provinceCode: string;
  note: string | null;
  createdAt: string;
  /** A gift: the parcel goes to this person (the buyer is customerName); the slip carries the message. */
  giftRecipientName: string | null;
  items: Array<{ slug: string; name: string; qty: number; lineTotal: number }>;
}

/**
 * A producer's parts of orders that are confirmed (paid, or cash on delivery), newest first, and
 * the parcels it shipped for orders refunded afterwards: the goods are out and the credit was
 * reversed, so the producer must still see them to arrange their return.
 */
export async function selectProducerParts(tx: DbOrTx, shipper: ShipperRef, limit: number): Promise<ProducerPartRow[]> {
  return (await tx.execute(sql`
    select o.public_id as "publicId", o.payment_reference as reference, o.status as "orderStatus", o.payment_method as "paymentMethod",
      op.status as "partStatus", op.subtotal, op.shipping_fee as "shippingFee", o.customer_name as "customerName", coalesce(o.gift_recipient_phone, o.phone) as phone,
      o.address_line as "addressLine", o.commune, o.province_code as "provinceCode", o.note, o.created_at as "createdAt",
      o.gift_recipient_name as "giftRecipientName",
      (select json_agg(json_build_object('slug', p.slug, 'name', oi.name_vi, 'qty', oi.qty, 'lineTotal', oi.line_total) order by oi.id)
        from order_items oi join products p on p.id = oi.product_id where oi.order_part_id = op.id) as items
    from order_parts op join orders o on o.id = op.order_id
    where ${shippedBy(shipper)}
      and (o.status in ('paid', 'processing', 'shipped', 'delivered') or o.status = 'refunded' and op.status in ('shipped', 'delivered'))
    order by o.created_at desc limit ${limit}`)) as unknown as ProducerPartRow[];
}

/**
 * Serialises the checkouts of one client network that hold stock until the end of the
 * transaction, so two racing orders cannot both pass the cap on holds (taken before any product
 * row lock, and only here, so it cannot deadlock with them).
 */
export async function lockNetworkHolds(tx: DbOrTx, network: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`orders.held:${network}`}, 0))`);
}

/** Unpaid orders of a network still holding stock: how many, their units, and when the first hold lapses. */
export async function selectHeldByNetwork(tx: DbOrTx, network: string): Promise<{ orders: number; units: number; firstLapse: Date | null }> {
  const rows = (await tx.execute(sql`select count(distinct o.id)::int as orders, coalesce(sum(oi.qty), 0)::int as units, min(o.reserved_until) as "firstLapse"
    from orders o join order_parts op on op.order_id = o.id join order_items oi on oi.order_part_id = op.id
    where o.client_network = ${network} and o.status = 'pending_payment' and o.stock_released_at is null`)) as unknown as Array<{ orders: number; units: number; firstLapse: Date | string | null }>;
  const r = rows[0];
  return { orders: Number(r?.orders ?? 0), units: Number(r?.units ?? 0), firstLapse: r?.firstLapse ? new Date(r.firstLapse) : null };
}

/** A shipper's name (the customer's parcel notices). */
export async function selectProducerName(tx: DbOrTx, shipper: ShipperRef): Promise<string> {
  const rows = (await tx.execute(shipper.kind === 'producer' ? sql`select name from producers where id = ${shipper.id}`
    : sql`select name_vi as name from points_of_sale where id = ${shipper.id}`)) as unknown as Array<{ name: string }>;
  return rows[0]?.name ?? '';
}

export interface SlipRow {
  publicId: string;
  reference: string;
  createdAt: string;
  orderStatus: OrderStatus;
  customerName: string;
  phone: string;
  addressLine: string;
  commune: string;
  provinceCode: string;
  giftRecipientName: string | null;
  giftRecipientPhone: string | null;
  giftMessage: string | null;
  packerName: string;
  items: Array<{ nameVi: string; nameEn: string; qty: number; comboId: number | null; comboNameVi: string | null; comboNameEn: string | null; comboQty: number | null }>;
}

/** The packing slip of one shipper's parcel: who receives it and what is in it — never a price. */
export async function selectPackingSlip(tx: DbOrTx, publicId: string, shipper: ShipperRef): Promise<SlipRow | null> {
  const rows = (await tx.execute(sql`
    select o.public_id as "publicId", o.payment_reference as reference, o.created_at as "createdAt", o.status as "orderStatus",
      o.customer_name as "customerName", o.phone, o.address_line as "addressLine", o.commune, o.province_code as "provinceCode",
      o.gift_recipient_name as "giftRecipientName", o.gift_recipient_phone as "giftRecipientPhone", o.gift_message as "giftMessage",
      coalesce(pr.name, s.name_vi) as "packerName",
      (select json_agg(json_build_object('nameVi', oi.name_vi, 'nameEn', oi.name_en, 'qty', oi.qty, 'comboId', oi.combo_id,
          'comboNameVi', oi.combo_name_vi, 'comboNameEn', oi.combo_name_en, 'comboQty', oi.combo_qty) order by oi.combo_id nulls last, oi.id)
        from order_items oi where oi.order_part_id = op.id) as items
    from order_parts op join orders o on o.id = op.order_id left join producers pr on pr.id = op.producer_id
      left join points_of_sale s on s.id = op.point_of_sale_id
    where o.public_id = ${publicId} and ${shippedBy(shipper)}
      and o.status in ('paid', 'processing', 'shipped', 'delivered')`)) as unknown as SlipRow[];
  return rows[0] ?? null;
}

export interface HandoverRow {
  publicId: string;
  reference: string;
  createdAt: string;
  orderStatus: OrderStatus;
  partStatus: OrderPartRow['status'];
  packer: { kind: ShipperKind; slug: string; name: string; province: string; address: string | null; phone: string | null };
  /** This producer's goods in that parcel (its share of the box price, before the commission). */
  share: number;
  items: Array<{ name: string; nameEn: string; qty: number; lineTotal: number; comboName: string | null; comboNameEn: string | null }>;
}

/**
 * A producer's products sold inside gift boxes another shipper packs (a producer or a point of
 * sale) in confirmed orders: what to hand over to which packer, and the producer's share of the
 * box price — its dashboard would otherwise show nothing for these sales.
 */
export async function selectHandovers(tx: DbOrTx, producerId: number, limit: number): Promise<HandoverRow[]> {
  const rows = (await tx.execute(sql`
    select o.public_id as "publicId", o.payment_reference as reference, o.created_at as "createdAt", o.status as "orderStatus",
      op.status as "partStatus",
      json_build_object('kind', case when s.id is null then 'producer' else 'point_of_sale' end, 'slug', coalesce(pr.slug, s.slug),
        'name', coalesce(pr.name, s.name_vi), 'province', coalesce(pr.province_code, s.province_code),
        'address', case when s.id is null then null else s.address_line || ', ' || s.commune end, 'phone', s.phone) as packer,
      sum(oi.line_total)::int as share,
      json_agg(json_build_object('name', oi.name_vi, 'nameEn', oi.name_en, 'qty', oi.qty, 'lineTotal', oi.line_total,
        'comboName', oi.combo_name_vi, 'comboNameEn', oi.combo_name_en) order by oi.id) as items
    from order_items oi join products p on p.id = oi.product_id join order_parts op on op.id = oi.order_part_id
      join orders o on o.id = op.order_id left join producers pr on pr.id = op.producer_id left join points_of_sale s on s.id = op.point_of_sale_id
    where p.producer_id = ${producerId} and op.producer_id is distinct from ${producerId} and p.kind = 'goods'
      and (o.status in ('paid', 'processing', 'shipped', 'delivered') or o.status = 'refunded' and op.status in ('shipped', 'delivered'))
    group by o.id, op.id, pr.id, s.id
    order by o.created_at desc, op.id limit ${limit}`)) as unknown as HandoverRow[];
  return rows.map((r) => ({ ...r, share: Number(r.share) }));
}

import { AppError, type FieldErrors } from '../errors/index.ts';
import type { Translator } from '../i18n/index.ts';
import type { DbOrTx } from '../db/index.ts';
import { sessionsForLines } from '../experiences/index.ts';
import { lockStock, moveStock, selectCombosForSale, selectProductsForSale, type StockMove } from './orders.repository.ts';
import type { OrderItemInput } from './orders.schemas.ts';
import type { SaleBlock } from '../catalog/index.ts';
import { shipperKey, type PricedItem, type PricedOrder, type PricedPart, type ProductForSale, type ResolvedLine, type Shipper } from './orders.types.ts';
import { shippingFee, shippingRules } from './shipping.ts';

/**
 * Checkout as small named steps (resolve → price → reserve → record → pay). Each step that
 * changes something has its undo: reserveStock ↔ releaseStock.
 */

/** The shopper-facing reason a product cannot be sold (lib/catalog/sellability.ts). */
export function saleBlockText(t: Translator, block: SaleBlock | 'unlisted'): string {
  return t(`sale.block.${block}`);
}

/**
 * Step 1: the shopper's items as products and combos on sale now. Unknown ones are 400 with the
 * failing lines; known ones that cannot be sold now (revoked certificate, suspended producer,
 * recalled lots, or a combo holding one) are 409 with the reason per line.
 */
export async function resolveLines(tx: DbOrTx, items: OrderItemInput[], t: Translator): Promise<ResolvedLine[]> {
  const productSlugs = [...new Set(items.flatMap((i) => (i.slug ? [i.slug] : [])))];
  const comboSlugs = [...new Set(items.flatMap((i) => (i.combo ? [i.combo] : [])))];
  const [products, combos] = await Promise.all([selectProductsForSale(tx, productSlugs), selectCombosForSale(tx, comboSlugs)]);
  const productBySlug = new Map(products.map((p) => [p.slug, p]));
  const comboBySlug = new Map(combos.map((c) => [c.slug, c]));
  const fields: FieldErrors = {};
  const blocked: Array<{ item: number; slug?: string; combo?: string; reason: SaleBlock; message: string }> = [];
  const lines: ResolvedLine[] = [];
  const experienceLines = items.flatMap((item, index) => {
    const product = item.slug ? productBySlug.get(item.slug) : undefined;
    return product?.kind === 'experience' ? [{ index, productId: product.id, sessionId: item.session, qty: item.qty }] : [];
  });
  const sessions = experienceLines.length ? await sessionsForLines(tx, experienceLines, t) : new Map();
  items.forEach((item, i) => {
    if (item.slug) {
      const product = productBySlug.get(item.slug);
      if (!product) fields[`items.${i}.slug`] = t('orders.field.unknownProduct');
      else if (product.block) blocked.push({ item: i, slug: product.slug, reason: product.block, message: t('orders.error.lineNotForSale', { name: t.locale === 'en' ? product.nameEn : product.nameVi, reason: saleBlockText(t, product.block) }) });
      else if (product.kind === 'experience') {
        const s = sessions.get(item.session!)!;
        lines.push({ kind: 'experience', slug: product.slug, comboId: null, shipper: shipperOf(product), name: { vi: product.nameVi, en: product.nameEn }, unitPrice: s.pricePerPerson, qty: item.qty, components: [{ product, qty: 1 }], session: { id: s.id, startsOn: s.startsOn, startsAt: s.startsAt } });
      } else if (item.session !== undefined) fields[`items.${i}.session`] = t('orders.field.invalid');
      else if (product.kind !== 'goods') fields[`items.${i}.slug`] = t('orders.field.notSoldOnline');
      else lines.push({ kind: 'product', slug: product.slug, comboId: null, shipper: shipperOf(product), name: { vi: product.nameVi, en: product.nameEn }, unitPrice: product.price, qty: item.qty, components: [{ product, qty: 1 }] });
    } else {
      const combo = comboBySlug.get(item.combo!);
      if (!combo) fields[`items.${i}.combo`] = t('orders.field.unknownCombo');
      else if (combo.components.length === 0 || !combo.assembler) fields[`items.${i}.combo`] = t('orders.field.comboUnavailable');
      else {
        const stopped = combo.components.find((c) => c.product.block);
        if (stopped) {
          const en = t.locale === 'en';
          blocked.push({ item: i, combo: combo.slug, reason: stopped.product.block!, message: t('orders.error.comboComponent', { combo: en ? combo.nameEn : combo.nameVi, name: en ? stopped.product.nameEn : stopped.product.nameVi, reason: saleBlockText(t, stopped.product.block!) }) });
        } else {
          lines.push({ kind: 'combo', slug: combo.slug, comboId: combo.id, shipper: combo.assembler, name: { vi: combo.nameVi, en: combo.nameEn }, unitPrice: combo.price, qty: item.qty, components: combo.components });
        }
      }
    }
  });
  if (Object.keys(fields).length) throw new AppError('INVALID_DATA', 'orders.invalid', t('orders.error.invalid'), { fields });
  if (blocked.length) {
    throw new AppError('CONFLICT', 'orders.not_for_sale', t('orders.error.notForSale', { reasons: blocked.map((b) => b.message).join('; ') }), { details: { unavailable: blocked } });
  }
  return lines;
}

const shipperOf = (p: ProductForSale): Shipper => ({ kind: 'producer', id: p.producerId, slug: p.producerSlug, name: p.producerName, province: p.producerProvince });

/**
 * Splits a combo's price over its components in proportion to their own prices (largest
 * remainder, so the parts add up to the combo price exactly): each producer is credited its share.
 */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]! += 1;
  }
  return out;
}

/**
 * Step 2: parcels with price snapshots, one shipping fee per parcel, totals and the demand per
 * product. A parcel is what one shipper packs: a producer's own items, plus every gift combo it
 * assembles — the whole box, components of other producers included, so a combo is never split
 * into several parcels and fees. Each item keeps its product (and so its producer) for the payout
 * ledger's shares.
 */
export function priceOrder(lines: ResolvedLine[], destination: string, rules = shippingRules()): PricedOrder {
  const items: Array<PricedItem & { shipper: Shipper }> = [];
  const seats = new Map<number, number>();
  for (const line of lines) {
    if (line.kind === 'experience') {
      const { product } = line.components[0]!;
      seats.set(line.session!.id, (seats.get(line.session!.id) ?? 0) + line.qty);
      items.push({ product, session: line.session, qty: line.qty, unitPrice: line.unitPrice, lineTotal: line.unitPrice * line.qty, combo: null, shipper: line.shipper });
      continue;
    }
    if (line.kind === 'product') {
      const { product } = line.components[0]!;
      items.push({ product, qty: line.qty, unitPrice: product.price, lineTotal: product.price * line.qty, combo: null, shipper: line.shipper });
      continue;
    }
    const shares = allocate(line.unitPrice * line.qty, line.components.map((c) => c.product.price * c.qty));
    line.components.forEach((c, i) => {
      const qty = c.qty * line.qty;
      items.push({
        product: c.product, qty, unitPrice: Math.round(shares[i]! / qty), lineTotal: shares[i]!,
        combo: { id: line.comboId!, slug: line.slug, name: line.name, qty: line.qty }, shipper: line.shipper,
      });
    });
  }
  // Parcels are keyed by kind and id: producer 3 and point of sale 3 are two shippers.
  const byShipper = new Map<string, PricedPart>();
  const demand = new Map<number, number>();
  for (const { shipper, ...item } of items) {
    const p = item.product;
    // Experiences have seats, not stock: their demand is `seats`.
    if (!item.session) demand.set(p.id, (demand.get(p.id) ?? 0) + item.qty);
    let part = byShipper.get(shipperKey(shipper));
    if (!part) byShipper.set(shipperKey(shipper), (part = { producer: shipper, items: [], subtotal: 0, weightGrams: 0, shippingFee: 0, freeShipping: false, zone: 'national' }));
    part.items.push(item);
    part.subtotal += item.lineTotal;
    part.weightGrams += p.weightGrams * item.qty;
  }
  const rank = (s: Shipper) => (s.kind === 'producer' ? 0 : 1);
  const parts = [...byShipper.values()].sort((a, b) => rank(a.producer) - rank(b.producer) || a.producer.id - b.producer.id);
  for (const part of parts) {
    const fee = shippingFee({ from: part.producer.province, to: destination, weightGrams: part.weightGrams, subtotal: part.subtotal, goods: part.items.some((i) => i.product.kind === 'goods') }, rules);
    part.shippingFee = fee.fee;
    part.freeShipping = fee.free;
    part.zone = fee.zone;
  }
  const subtotal = parts.reduce((s, p) => s + p.subtotal, 0);
  const shippingTotal = parts.reduce((s, p) => s + p.shippingFee, 0);
  return { parts, subtotal, shippingTotal, total: subtotal + shippingTotal, demand, seats };
}

export interface Shortage {
  slug: string;
  requested: number;
  available: number;
}

/**
 * Step 3: holds (or takes) the units. The rows are locked in ascending id order and the summed
 * demand per product is checked before anything moves, so a combo and single items competing for
 * the same units can never oversell. 409 with what is short.
 */
export async function reserveStock(tx: DbOrTx, demand: Map<number, number>, move: 'reserve' | 'commit', t: Translator): Promise<void> {
  const stock = await lockStock(tx, [...demand.keys()]);
  const shortages: Shortage[] = [];
  for (const [id, qty] of [...demand.entries()].sort(([a], [b]) => a - b)) {
    const row = stock.get(id);
    if (!row || row.stock < qty) shortages.push({ slug: row?.slug ?? String(id), requested: qty, available: row?.stock ?? 0 });
  }
  if (shortages.length) {
    throw new AppError('CONFLICT', 'orders.out_of_stock', t('orders.error.outOfStock'), { details: { shortages } });
  }
  const moved = await moveStock(tx, demand, move);
  if (moved !== demand.size) throw new AppError('CONFLICT', 'orders.out_of_stock', t('orders.error.outOfStock'));
}

/** Undo of step 3. */
export async function releaseStock(tx: DbOrTx, demand: Map<number, number>, held: 'reserved' | 'committed'): Promise<void> {
  await lockStock(tx, [...demand.keys()]);
  const move: StockMove = held === 'reserved' ? 'release_reserved' : 'release_committed';
  await moveStock(tx, demand, move);
}

import { recordAudit, type Actor } from '../audit/index.ts';
import { hashPassword } from '../auth/index.ts';
import { findProvince, provinceLabel, type Labelled } from '../catalog/index.ts';
import { db } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { validate } from '../backoffice/index.ts';
import type { Locale } from '../i18n/index.ts';
import * as repo from './places.repository.ts';
import { PointOfSaleSchema, StaffSchema, StockedSchema } from './places.schemas.ts';
import { POINT_OF_SALE_KINDS, type PointOfSaleKind } from './places.table.ts';

export interface PointOfSaleView {
  slug: string;
  kind: PointOfSaleKind;
  name: { vi: string; en: string };
  description: { vi: string; en: string };
  province: Labelled;
  commune: string;
  addressLine: string;
  historicalAddress: string | null;
  hours: { vi: string; en: string };
  phone: string | null;
  coordinates: { lat: number; lng: number } | null;
  /** "Open in maps": a plain link to OpenStreetMap at the coordinates (no script, no tiles on our pages). */
  mapsUrl: string | null;
  status: 'open' | 'closed';
  productCount: number;
}

/** A link a phone hands to its map app or browser; a search by address when there are no coordinates. */
export function mapsUrl(row: { latitude: number | null; longitude: number | null; addressLine?: string; commune?: string; provinceCode?: string }): string | null {
  if (row.latitude !== null && row.longitude !== null) {
    const lat = row.latitude.toFixed(6);
    const lng = row.longitude.toFixed(6);
    return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=17/${lat}/${lng}`;
  }
  if (!row.addressLine) return null;
  const q = [row.addressLine, row.commune, row.provinceCode ? provinceLabel(row.provinceCode).vi : ''].filter(Boolean).join(', ');
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(q)}`;
}

export function toView(row: repo.PointOfSaleRow): PointOfSaleView {
  return {
    slug: row.slug, kind: row.kind, name: { vi: row.nameVi, en: row.nameEn }, description: { vi: row.descriptionVi, en: row.descriptionEn },
    province: provinceLabel(row.provinceCode), commune: row.commune, addressLine: row.addressLine, historicalAddress: row.historicalAddress,
    hours: { vi: row.hoursVi, en: row.hoursEn }, phone: row.phone,
    coordinates: row.latitude !== null && row.longitude !== null ? { lat: Number(row.latitude), lng: Number(row.longitude) } : null,
    mapsUrl: mapsUrl(row), status: row.status, productCount: row.productCount,
  };
}

export const isPointOfSaleKind = (v: unknown): v is PointOfSaleKind => typeof v === 'string' && (POINT_OF_SALE_KINDS as readonly string[]).includes(v);

export interface ListQuery {
  /** A province's code or name (any case, with or without diacritics); empty for all. */
  province?: string | null;
  kind?: string | null;
  product?: string | null;
}

/**
 * The public list, filtered. An unknown province or kind is a 400 on that field (the API and the
 * page say which), never an empty list that looks like "no shops here".
 */
export async function listPointsOfSale(q: ListQuery): Promise<{ pointsOfSale: PointOfSaleView[]; province: Labelled | null; kind: PointOfSaleKind | null }> {
  const provinceText = q.province?.trim() ?? '';
  const province = provinceText ? findProvince(provinceText) : null;
  const kind = q.kind?.trim() || null;
  const fields: Record<string, string> = {};
  if (provinceText && !province) fields.province = 'unknown_province';
  if (kind && !isPointOfSaleKind(kind)) fields.kind = 'unknown_kind';
  if (Object.keys(fields).length) throw new AppError('INVALID_DATA', 'places.invalid_filter', 'Unknown province or kind', { fields });
  const rows = await repo.selectPointsOfSale(await db(), { province: province?.code, kind: (kind as PointOfSaleKind) ?? undefined, product: q.product?.trim() || undefined });
  return { pointsOfSale: rows.map(toView), province: province ? { code: province.code, vi: province.vi, en: province.en } : null, kind: kind as PointOfSaleKind | null };
}

export async function getPointOfSale(slug: string, opts: { includeClosed?: boolean } = {}): Promise<(PointOfSaleView & { products: repo.StockedProductRow[] }) | null> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 80) return null;
  const d = await db();
  const row = await repo.selectPointOfSale(d, slug);
  if (!row || (row.status === 'closed' && !opts.includeClosed)) return null;
  return { ...toView(row), products: await repo.selectStockedProducts(d, row.id) };
}

/** "Where to buy it in person" on a product page. */
export async function placesForProduct(productSlug: string): Promise<PointOfSaleView[]> {
  return (await repo.selectPlacesForProduct(await db(), productSlug)).map(toView);
}

/** The JSON shape of GET /api/points-of-sale (names in both languages, province by code). */
export function pointOfSaleJson(v: PointOfSaleView, products?: repo.StockedProductRow[]) {
  return {
    slug: v.slug, kind: v.kind, name: v.name, province: v.province.code, provinceName: { vi: v.province.vi, en: v.province.en },
    commune: v.commune, address: v.addressLine, historicalAddress: v.historicalAddress, hours: v.hours, phone: v.phone,
    coordinates: v.coordinates, mapsUrl: v.mapsUrl, productCount: v.productCount,
    ...(products ? { products: products.map((p) => ({ slug: p.slug, name: { vi: p.nameVi, en: p.nameEn }, price: p.price })) } : {}),
  };
}

// ---- the office ----

export async function listForOffice(): Promise<Array<PointOfSaleView & { staff: string[] }>> {
  const d = await db();
  const rows = await repo.selectPointsOfSale(d, { includeClosed: true });
  return Promise.all(rows.map(async (r) => ({ ...toView(r), staff: await repo.selectStaffEmails(d, r.id) })));
}

export async function getForOffice(slug: string) {
  const d = await db();
  const row = await repo.selectPointOfSale(d, slug);
  if (!row) return null;
  return { ...toView(row), stocked: await repo.selectStockedSlugs(d, row.id), staff: await repo.selectStaffEmails(d, row.id) };
}

function values(input: ReturnType<typeof PointOfSaleSchema.parse>): repo.PointOfSaleValues {
  return {
    slug: input.slug, kind: input.kind, nameVi: input.nameVi, nameEn: input.nameEn, descriptionVi: input.descriptionVi, descriptionEn: input.descriptionEn,
    provinceCode: input.province, commune: input.commune, addressLine: input.addressLine, historicalAddress: input.historicalAddress ?? null,
    hoursVi: input.hoursVi, hoursEn: input.hoursEn, phone: input.phone ?? null, latitude: input.latitude, longitude: input.longitude, status: input.status,
  };
}

const isUniqueViolation = (e: unknown) => (e as { code?: string; cause?: { code?: string } })?.code === '23505' || (e as { cause?: { code?: string } })?.cause?.code === '23505';

export async function createPointOfSale(actor: Actor, input: unknown): Promise<{ slug: string }> {
  const v = values(validate(PointOfSaleSchema, input, 'places.invalid'));
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const [row] = await repo.insertPointsOfSale(tx, [v]);
      await recordAudit(tx, actor, 'point_of_sale.created', { type: 'point_of_sale', id: row!.id }, null, v);
      return { slug: row!.slug };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', 'places.slug_taken', 'This address is taken', { fields: { slug: 'taken' } });
    throw e;
  }
}

export async function updatePointOfSale(actor: Actor, slug: string, input: unknown): Promise<{ slug: string }> {
  const v = values(validate(PointOfSaleSchema, input, 'places.invalid'));
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const before = await repo.selectPointOfSale(tx, slug, true);
      if (!before) throw new AppError('NOT_FOUND', 'places.not_found', 'No such point of sale');
      await repo.updatePointOfSaleRow(tx, before.id, v);
      await recordAudit(tx, actor, 'point_of_sale.updated', { type: 'point_of_sale', id: before.id }, before, v);
      return { slug: v.slug };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', 'places.slug_taken', 'This address is taken', { fields: { slug: 'taken' } });
    throw e;
  }
}

/** Replaces what the point of sale stocks (all or nothing: an unknown slug changes nothing). */
export async function setStockedProducts(actor: Actor, slug: string, input: unknown): Promise<{ count: number }> {
  const { products } = validate(StockedSchema, input, 'places.invalid');
  const d = await db();
  return d.transaction(async (tx) => {
    const pos = await repo.selectPointOfSale(tx, slug, true);
    if (!pos) throw new AppError('NOT_FOUND', 'places.not_found', 'No such point of sale');
    const before = await repo.selectStockedSlugs(tx, pos.id);
    const missing = await repo.replaceStocked(tx, pos.id, products);
    if (missing.length) throw new AppError('INVALID_DATA', 'places.unknown_products', `Unknown products: ${missing.join(', ')}`, { fields: { products: 'not_found' }, details: { missing } });
    await recordAudit(tx, actor, 'point_of_sale.stock_set', { type: 'point_of_sale', id: pos.id }, before, products);
    return { count: products.length };
  });
}

/** A counter account (role 'pos') for one point of sale. */
export async function createStaffAccount(actor: Actor, slug: string, input: unknown): Promise<{ email: string }> {
  const v = validate(StaffSchema, input, 'places.invalid');
  const hash = await hashPassword(v.password);
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const pos = await repo.selectPointOfSale(tx, slug, true);
      if (!pos) throw new AppError('NOT_FOUND', 'places.not_found', 'No such point of sale');
      const userId = await repo.insertStaffUser(tx, { email: v.email, name: v.name, passwordHash: hash });
      await repo.insertStaff(tx, [{ userId, pointOfSaleId: pos.id }]);
      await recordAudit(tx, actor, 'point_of_sale.staff_added', { type: 'point_of_sale', id: pos.id }, null, { email: v.email });
      return { email: v.email };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', 'places.email_taken', 'This e-mail already has an account', { fields: { email: 'taken' } });
    throw e;
  }
}

/** The point of sale a counter account works for (null for other accounts). */
export async function staffPlace(userId: number): Promise<PointOfSaleView | null> {
  const row = await repo.selectStaffPlace(await db(), userId);
  return row ? toView(row) : null;
}

export const localizedName = (v: { name: { vi: string; en: string } }, locale: Locale) => (locale === 'en' ? v.name.en : v.name.vi);

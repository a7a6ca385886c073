import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { recordAudit } from '../audit/index.ts';
import { fold, type ProductImage } from '../catalog/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import { notifyCatalogChanged } from '../search/index.ts';
import { groupOfSubgroup, ProductCreateSchema, ProductPatchSchema, type ProductCreate } from './backoffice.schemas.ts';
import { storeProductImage, type UploadedFile } from './media.service.ts';
import * as repo from './products.repository.ts';
import { fail, validate } from './validate.ts';

/**
 * A producer's own products: list, create, edit (vi/en texts, price, stock, photos), publish.
 * Everything is scoped by the signed-in producer: another producer's slug is "not found".
 */
type Producer = CurrentUser & { producerId: number };
export const MAX_IMAGES = 8;

/** A producer's own product as the dashboard shows it: the editable values plus what the site derives. */
export interface OwnProduct extends Omit<repo.ProductValues, 'groupCode' | 'subgroupCode'> {
  id: number;
  slug: string;
  group: string;
  subgroup: string;
  reserved: number;
  updatedAt: string;
  /** New products wait for the office: pending → approved (or rejected, with the office's note). */
  approval: 'pending' | 'approved' | 'rejected';
  approvalNote: string | null;
  certificate: { stars: number; status: string; validUntil: string } | null;
}

function toOwn(r: repo.OwnProductRow): OwnProduct {
  return {
    id: Number(r.id), slug: r.slug, group: r.group_code, subgroup: r.subgroup_code, kind: r.kind,
    nameVi: r.name_vi, nameEn: r.name_en, descriptionVi: r.description_vi, descriptionEn: r.description_en,
    storyVi: r.story_vi, storyEn: r.story_en, price: Number(r.price), unitVi: r.unit_vi, unitEn: r.unit_en,
    weightGrams: Number(r.weight_grams), stock: Number(r.stock), reserved: Number(r.reserved), gtin: r.gtin,
    images: r.images, standards: r.standards, status: r.status, updatedAt: new Date(r.updated_at).toISOString(),
    approval: r.approval, approvalNote: r.approval_note,
    certificate: r.cert_stars === null ? null : { stars: Number(r.cert_stars), status: String(r.cert_status), validUntil: String(r.cert_valid_until) },
  };
}

const notFound = () => new AppError('NOT_FOUND', 'backoffice.product_not_found', 'No such product among yours.');

export async function listOwnProducts(user: Producer): Promise<OwnProduct[]> {
  return (await repo.selectOwnProducts(await getDb(), user.producerId)).map(toOwn);
}

export async function getOwnProduct(user: Producer, slug: string): Promise<OwnProduct> {
  const row = await repo.selectOwnProduct(await getDb(), user.producerId, slug);
  if (!row) throw notFound();
  return toOwn(row);
}

/** "Mắm tôm Lê Gia" → "mam-tom-le-gia". */
export function slugify(name: string): string {
  return fold(name).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'san-pham';
}

function values(input: ProductCreate, images: ProductImage[]): repo.ProductValues {
  const groupCode = groupOfSubgroup(input.subgroup)!;
  return {
    groupCode, subgroupCode: input.subgroup, kind: groupCode === 'tourism' ? 'experience' : 'goods',
    nameVi: input.nameVi, nameEn: input.nameEn, descriptionVi: input.descriptionVi, descriptionEn: input.descriptionEn,
    storyVi: input.storyVi, storyEn: input.storyEn, price: input.price, unitVi: input.unitVi, unitEn: input.unitEn,
    weightGrams: input.weightGrams, stock: input.stock, gtin: input.gtin ?? null, standards: input.standards,
    status: input.status, images,
  };
}

export async function createProduct(user: Producer, raw: unknown): Promise<OwnProduct> {
  const input = validate(ProductCreateSchema, raw);
  const d = await getDb();
  return d.transaction(async (tx) => {
    let slug = input.slug ?? slugify(input.nameVi);
    if (input.slug && (await repo.slugTaken(tx, slug))) fail('backoffice.slug_taken', { slug: 'taken' });
    for (let n = 2; !input.slug && (await repo.slugTaken(tx, slug)); n++) slug = `${slugify(input.nameVi)}-${n}`;
    if (input.gtin && (await repo.gtinTaken(tx, input.gtin))) fail('backoffice.gtin_taken', { gtin: 'taken' });
    const id = await repo.insertProduct(tx, user.producerId, slug, values(input, []));
    await recordAudit(tx, user, 'product.created', { type: 'product', id }, null, { slug, ...input });
    await notifyCatalogChanged(tx, { productIds: [id] });
    return toOwn((await repo.selectOwnProduct(tx, user.producerId, slug))!);
  });
}

export async function updateOwnProduct(user: Producer, slug: string, raw: unknown): Promise<OwnProduct> {
  const patch = validate(ProductPatchSchema, raw);
  const d = await getDb();
  return d.transaction(async (tx) => {
    const row = await repo.selectOwnProduct(tx, user.producerId, slug, true);
    if (!row) throw notFound();
    const before = toOwn(row);
    const merged: ProductCreate = {
      subgroup: patch.subgroup ?? before.subgroup, nameVi: patch.nameVi ?? before.nameVi, nameEn: patch.nameEn ?? before.nameEn,
      descriptionVi: patch.descriptionVi ?? before.descriptionVi, descriptionEn: patch.descriptionEn ?? before.descriptionEn,
      storyVi: patch.storyVi ?? before.storyVi, storyEn: patch.storyEn ?? before.storyEn, price: patch.price ?? before.price,
      unitVi: patch.unitVi ?? before.unitVi, unitEn: patch.unitEn ?? before.unitEn, weightGrams: patch.weightGrams ?? before.weightGrams,
      stock: patch.stock ?? before.stock, gtin: patch.gtin === undefined ? before.gtin : patch.gtin, standards: patch.standards ?? before.standards,
      status: patch.status ?? before.status,
    };
    if (merged.gtin && merged.gtin !== before.gtin && (await repo.gtinTaken(tx, merged.gtin, before.id))) fail('backoffice.gtin_taken', { gtin: 'taken' });
    await repo.updateProduct(tx, before.id, values(merged, before.images));
    const after = toOwn((await repo.selectOwnProduct(tx, user.producerId, slug))!);
    await recordAudit(tx, user, 'product.updated', { type: 'product', id: before.id }, diffOf(before, after, 'before'), diffOf(before, after, 'after'));
    await notifyCatalogChanged(tx, { productIds: [before.id] });
    return after;
  });
}

/** Only the fields that changed, for the audit log. */
function diffOf(a: OwnProduct, b: OwnProduct, side: 'before' | 'after'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(a) as Array<keyof OwnProduct>) {
    if (key === 'updatedAt') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out[key] = side === 'before' ? a[key] : b[key];
  }
  return out;
}

/** Adds a photo (checked, resized and stored first, then attached in one short transaction). */
export async function addProductPhoto(user: Producer, slug: string, file: UploadedFile, alt?: { vi?: string; en?: string }): Promise<OwnProduct> {
  const d = await getDb();
  const current = await repo.selectOwnProduct(d, user.producerId, slug);
  if (!current) throw notFound();
  if (current.images.length >= MAX_IMAGES) fail('backoffice.too_many_photos', { photo: 'too_many' });
  const stored = await storeProductImage(file, `products/${slug}`);
  return d.transaction(async (tx) => {
    const row = await repo.selectOwnProduct(tx, user.producerId, slug, true);
    if (!row) throw notFound();
    const before = toOwn(row);
    const image: ProductImage = { ...stored, altVi: alt?.vi?.trim() || before.nameVi, altEn: alt?.en?.trim() || before.nameEn };
    await repo.updateProduct(tx, before.id, { ...values(asInput(before), [...before.images, image]) });
    await recordAudit(tx, user, 'product.photo_added', { type: 'product', id: before.id }, null, image);
    await notifyCatalogChanged(tx, { productIds: [before.id] });
    return toOwn((await repo.selectOwnProduct(tx, user.producerId, slug))!);
  });
}

/** Removes or promotes (to first, the cover) one photo by its position. */
export async function changeProductPhoto(user: Producer, slug: string, index: number, op: 'remove' | 'cover'): Promise<OwnProduct> {
  const d = await getDb();
  return d.transaction(async (tx) => {
    const row = await repo.selectOwnProduct(tx, user.producerId, slug, true);
    if (!row) throw notFound();
    const before = toOwn(row);
    const image = before.images[index];
    if (!image) throw new AppError('NOT_FOUND', 'backoffice.photo_not_found', 'No such photo.');
    const rest = before.images.filter((_, i) => i !== index);
    const images = op === 'remove' ? rest : [image, ...rest];
    await repo.updateProduct(tx, before.id, values(asInput(before), images));
    await recordAudit(tx, user, `product.photo_${op === 'remove' ? 'removed' : 'cover'}`, { type: 'product', id: before.id }, image, null);
    await notifyCatalogChanged(tx, { productIds: [before.id] });
    return toOwn((await repo.selectOwnProduct(tx, user.producerId, slug))!);
  });
}

function asInput(p: OwnProduct): ProductCreate {
  return {
    subgroup: p.subgroup, nameVi: p.nameVi, nameEn: p.nameEn, descriptionVi: p.descriptionVi, descriptionEn: p.descriptionEn,
    storyVi: p.storyVi, storyEn: p.storyEn, price: p.price, unitVi: p.unitVi, unitEn: p.unitEn, weightGrams: p.weightGrams,
    stock: p.stock, gtin: p.gtin, standards: p.standards, status: p.status,
  };
}

import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import { composeComboImage, type ProductImage } from '../catalog/index.ts';
import { db as getDb } from '../db/index.ts';
import { AppError, type FieldErrors } from '../errors/index.ts';
import { log } from '../log/index.ts';
import * as repo from './combos.repository.ts';
import { fileField, formAction } from './form-action.ts';
import { storeProductImage, type UploadedFile } from './media.service.ts';
import { slugify } from './products.service.ts';
import { fail, validate } from './validate.ts';

/**
 * The gift-box editor (issue 13 item 2), one service behind the HTML forms and the JSON API. A
 * producer builds boxes of its own products and packs them itself; the office builds boxes across
 * producers and names the packer (the producer of one of the components, or an open point of sale
 * as `pos:<slug>`); a point of sale's staff build boxes across producers that their point packs
 * (lib/catalog/README.md). The picture is composed from the components' pictures unless one is uploaded.
 */
export type ComboEditor =
  | { kind: 'producer'; producerId: number; actor: CurrentUser }
  | { kind: 'office'; actor: CurrentUser }
  | { kind: 'point_of_sale'; pointId: number; pointSlug: string; actor: CurrentUser };
/** The editor value naming a point of sale as packer. */
export const POINT_ASSEMBLER_PREFIX = 'pos:';
export const MAX_COMPONENTS = 8;

const text = (max: number) => z.string().trim().max(max);
export const ComboInputSchema = z.object({
  slug: z.string().trim().toLowerCase().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(80).optional(),
  nameVi: text(120).min(2),
  nameEn: text(120).min(2),
  price: z.coerce.number().int().min(1000).max(100_000_000),
  occasion: z.enum(['tet', 'trung_thu', 'souvenir', 'gift']).default('gift'),
  place: text(120).optional(),
  descriptionVi: text(2000).default(''),
  descriptionEn: text(2000).default(''),
  storyVi: text(8000).default(''),
  storyEn: text(8000).default(''),
  status: z.enum(['draft', 'published', 'archived']).default('draft'),
  assembler: z.string().trim().max(200).optional(),
  items: z.array(z.object({ product: z.string().trim().min(1).max(200), qty: z.coerce.number().int().min(1).max(20) }).strict()).max(MAX_COMPONENTS),
}).strict();
export type ComboInput = z.infer<typeof ComboInputSchema>;

/** The editor form's fields → the input: component rows `product_<n>` / `qty_<n>`, empty rows skipped. */
export function comboInputFromForm(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const items: Array<{ product: string; qty: string }> = [];
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string' || key.startsWith('_') || key === 'removePicture') continue;
    const row = /^(product|qty)_(\d)$/.exec(key);
    if (row) continue;
    if (value.trim() !== '') out[key] = value;
  }
  for (let n = 0; n < MAX_COMPONENTS; n++) {
    const product = String(form.get(`product_${n}`) ?? '').trim();
    if (product) items.push({ product, qty: String(form.get(`qty_${n}`) ?? '1').trim() || '1' });
  }
  out.items = items;
  return out;
}

export interface EditableCombo {
  slug: string;
  values: Record<string, string>;
  image: ProductImage | null;
  uploaded: boolean;
}

/** Whose boxes the editor sees and changes (null: the office, every box). */
const ownerOf = (e: ComboEditor): repo.ComboOwner =>
  (e.kind === 'producer' ? e.producerId : e.kind === 'point_of_sale' ? { kind: 'point_of_sale', id: e.pointId } : null);
/** Whose products may go in its boxes (null: anyone's). */
const onlyProducer = (e: ComboEditor): number | null => (e.kind === 'producer' ? e.producerId : null);

export async function listEditableCombos(editor: ComboEditor) {
  return repo.selectEditableCombos(await getDb(), ownerOf(editor));
}

export async function comboCandidates(editor: ComboEditor) {
  return repo.selectComboCandidates(await getDb(), onlyProducer(editor));
}

/** Open points of sale the office may name as packer. */
export async function comboPackingPoints() {
  return repo.selectOpenPoints(await getDb());
}

/** The combo as the editor form shows it, or 404 when it is not this editor's. */
export async function getEditableCombo(editor: ComboEditor, slug: string): Promise<EditableCombo> {
  const row = await repo.selectComboForEdit(await getDb(), slug, ownerOf(editor));
  if (!row) throw new AppError('NOT_FOUND', 'backoffice.combo_not_found', 'No such gift box among yours.');
  const values: Record<string, string> = {
    slug: row.slug, nameVi: row.name_vi, nameEn: row.name_en, price: String(row.price), occasion: row.occasion, place: row.place ?? '',
    descriptionVi: row.description_vi, descriptionEn: row.description_en, storyVi: row.story_vi, storyEn: row.story_en, status: row.status,
    assembler: row.assembler_slug ?? '',
  };
  row.items.forEach((i, n) => { values[`product_${n}`] = i.slug; values[`qty_${n}`] = String(i.qty); });
  return { slug: row.slug, values, image: row.image ?? row.composite_image, uploaded: row.image !== null };
}

/**
 * Creates (slug null) or updates a box. Checks: at least two units in all, no product twice, only
 * the producer's own products (producer), a packer among the components' producers (office), a
 * place for a souvenir. Then the composite picture is redone when the components changed.
 */
export async function saveCombo(editor: ComboEditor, slug: string | null, raw: unknown, picture?: { upload?: UploadedFile; remove?: boolean }): Promise<{ slug: string }> {
  const input = validate(ComboInputSchema, raw);
  const fields: FieldErrors = {};
  const owner = ownerOf(editor);
  const onlyOwn = onlyProducer(editor);
  const d = await getDb();
  const wanted = input.items.map((i) => i.product);
  const found = await repo.selectComboCandidates(d, null, [...new Set(wanted)]);
  const bySlug = new Map(found.map((p) => [p.slug, p]));
  input.items.forEach((item, n) => {
    const product = bySlug.get(item.product);
    if (!product) fields[`product_${n}`] = 'unknown_product';
    else if (onlyOwn !== null && product.producer_id !== onlyOwn) fields[`product_${n}`] = 'not_own';
    else if (wanted.indexOf(item.product) !== n) fields[`product_${n}`] = 'duplicate';
  });
  if (input.items.reduce((s, i) => s + i.qty, 0) < 2) fields.product_0 ??= 'components';
  if (input.occasion === 'souvenir' && !input.place) fields.place = 'place';
  const producersOfItems = [...new Set(input.items.flatMap((i) => (bySlug.has(i.product) ? [bySlug.get(i.product)!] : [])).map((p) => p.producer_id))];
  let assembler: repo.ComboValues['assembler'] | undefined;
  if (editor.kind === 'producer') assembler = { kind: 'producer', id: editor.producerId };
  else if (editor.kind === 'point_of_sale') {
    // The point packs its own boxes: naming another packer is refused, not ignored.
    if (input.assembler && input.assembler !== `${POINT_ASSEMBLER_PREFIX}${editor.pointSlug}`) fields.assembler = 'assembler';
    assembler = { kind: 'point_of_sale', id: editor.pointId };
  } else if (input.assembler?.startsWith(POINT_ASSEMBLER_PREFIX)) {
    const [point] = await repo.selectOpenPoints(d, [input.assembler.slice(POINT_ASSEMBLER_PREFIX.length)]);
    if (!point || point.status !== 'open') fields.assembler = 'assembler';
    else assembler = { kind: 'point_of_sale', id: Number(point.id) };
  } else {
    const named = input.assembler ? found.find((p) => p.producer_slug === input.assembler)?.producer_id : producersOfItems[0];
    if (named === undefined || !producersOfItems.includes(named)) fields.assembler = 'assembler';
    else assembler = { kind: 'producer', id: Number(named) };
  }
  if (Object.keys(fields).length) fail('backoffice.invalid_combo', fields);

  // The picture is made before the transaction (it reads files), from the components in order.
  const uploaded = picture?.upload ? await storeProductImage(picture.upload, `combos/${input.slug ?? slugify(input.nameVi)}`, 'picture') : undefined;
  const values: repo.ComboValues = {
    nameVi: input.nameVi, nameEn: input.nameEn, descriptionVi: input.descriptionVi, descriptionEn: input.descriptionEn,
    storyVi: input.storyVi, storyEn: input.storyEn, price: input.price, status: input.status, occasion: input.occasion,
    place: input.occasion === 'souvenir' ? input.place ?? null : null, assembler: assembler!,
  };
  const items = input.items.map((i) => ({ productId: Number(bySlug.get(i.product)!.id), qty: i.qty }));
  const saved = await d.transaction(async (tx) => {
    let id: number;
    let target: string;
    let before: repo.ComboEditRow | null = null;
    if (slug === null) {
      target = input.slug ?? slugify(input.nameVi);
      if (input.slug && (await repo.comboSlugTaken(tx, target))) {
        throw new AppError('CONFLICT', 'backoffice.combo_slug_taken', 'This address is taken by another gift box.', { fields: { slug: 'taken' } });
      }
      for (let n = 2; !input.slug && (await repo.comboSlugTaken(tx, target)); n++) target = `${slugify(input.nameVi)}-${n}`;
      id = await repo.insertCombo(tx, target, owner, values);
    } else {
      before = await repo.selectComboForEdit(tx, slug, owner, true);
      if (!before) throw new AppError('NOT_FOUND', 'backoffice.combo_not_found', 'No such gift box among yours.');
      id = before.id;
      target = before.slug;
      await repo.updateCombo(tx, id, values);
    }
    await repo.replaceComboItems(tx, id, items);
    if (uploaded) await repo.setComboPictures(tx, id, { image: { ...uploaded, altVi: `Hộp quà ${input.nameVi}`, altEn: `Gift box: ${input.nameEn}` } });
    else if (picture?.remove) await repo.setComboPictures(tx, id, { image: null });
    await recordAudit(tx, editor.actor, slug === null ? 'combo.created' : 'combo.updated', { type: 'combo', id }, before && { price: before.price, items: before.items, status: before.status }, { ...input });
    const componentsChanged = !before || JSON.stringify(before.items) !== JSON.stringify(input.items.map((i) => ({ slug: i.product, qty: i.qty })))
      || before.occasion !== input.occasion || before.composite_image === null;
    return { id, slug: target, componentsChanged };
  });
  if (saved.componentsChanged) await refreshComboComposite(saved.id, saved.slug, input, found);
  return { slug: saved.slug };
}

/** Composes the box picture from its components' pictures; a failure leaves the box without one (logged), never unsaved. */
async function refreshComboComposite(id: number, slug: string, input: ComboInput, products: repo.ComboCandidate[]): Promise<void> {
  try {
    const pictures = input.items.map((i) => products.find((p) => p.slug === i.product)?.image ?? null);
    const composite = await composeComboImage({ slug, occasion: input.occasion, pictures, name: { vi: input.nameVi, en: input.nameEn } });
    await repo.setComboPictures(await getDb(), id, { composite });
  } catch (error) {
    log.warn('combo picture could not be composed', { slug, error: error instanceof Error ? error.message : String(error) });
  }
}

/** The editor page's POST: saves from the form (with its picture), or says what is wrong beside each field. */
export async function comboFormAction(editor: ComboEditor, slug: string | null, request: Request) {
  return formAction(request, async (form) => {
    const upload = await fileField(form, 'picture');
    return saveCombo(editor, slug, comboInputFromForm(form), { upload, remove: form.get('removePicture') === '1' });
  });
}

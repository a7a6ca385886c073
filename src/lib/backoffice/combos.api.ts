import type { APIContext, APIRoute } from 'astro';
import { recordAudit } from '../audit/index.ts';
import { db as getDb } from '../db/index.ts';
import { AppError, isAppError } from '../errors/index.ts';
import { json } from '../http/index.ts';
import { createT, messages, type Locale, type MessageKey } from '../i18n/index.ts';
import { apiLocale } from '../orders/index.ts';
import * as repo from './combos.repository.ts';
import { MAX_COMPONENTS, getEditableCombo, listEditableCombos, saveCombo, type ComboEditor } from './combos.service.ts';
import { readJson } from './validate.ts';

/**
 * The gift-box editor as JSON (issue 13 item 2), for producers (`/api/producer/combos`), the office
 * (`/api/admin/combos`) and a point of sale's staff (`/api/pos/combos`). The same service as the
 * HTML editor (`saveCombo`: same checks, same audit, same composed picture); only the shapes differ:
 * components are `items: [{ product, qty }]`, and errors are
 * `{ error: { code, message, fields: { <field>: message }, codes: { <field>: code } } }` in
 * Vietnamese or English (`?lang=` or Accept-Language). 201 created, 200, 400 invalid, 403 not this
 * role, 404 not one of yours, 409 address taken.
 */
export interface ComboJson {
  slug: string;
  status: 'draft' | 'published' | 'archived';
  name: { vi: string; en: string };
  price: number;
  occasion: string;
  place: string | null;
  description: { vi: string; en: string };
  story: { vi: string; en: string };
  /** A producer's slug, or `pos:<slug>` for a point of sale. */
  assembler: string | null;
  items: Array<{ product: string; qty: number }>;
  image: string | null;
  /** The storefront page, once published. */
  url: string | null;
}

async function comboJson(editor: ComboEditor, slug: string): Promise<ComboJson> {
  const c = await getEditableCombo(editor, slug);
  const v = c.values;
  const items: ComboJson['items'] = [];
  for (let n = 0; n < MAX_COMPONENTS; n++) if (v[`product_${n}`]) items.push({ product: v[`product_${n}`]!, qty: Number(v[`qty_${n}`] ?? 1) });
  return {
    slug: c.slug, status: v.status as ComboJson['status'], name: { vi: v.nameVi!, en: v.nameEn! }, price: Number(v.price), occasion: v.occasion!,
    place: v.place || null, description: { vi: v.descriptionVi!, en: v.descriptionEn! }, story: { vi: v.storyVi!, en: v.storyEn! },
    assembler: v.assembler || null, items, image: c.image?.url ?? null, url: v.status === 'published' ? `/combos/${c.slug}` : null,
  };
}

/** The stored box as editor input (PATCH merges the body over it). */
async function currentInput(editor: ComboEditor, slug: string): Promise<Record<string, unknown>> {
  const c = await comboJson(editor, slug);
  return {
    nameVi: c.name.vi, nameEn: c.name.en, price: c.price, occasion: c.occasion, ...(c.place ? { place: c.place } : {}),
    descriptionVi: c.description.vi, descriptionEn: c.description.en, storyVi: c.story.vi, storyEn: c.story.en, status: c.status,
    ...(c.assembler ? { assembler: c.assembler } : {}), items: c.items,
  };
}

/** The form's field names as the JSON body's (`product_2` → `items.2.product`). */
const jsonField = (key: string) => key.replace(/^(product|qty)_(\d+)$/, 'items.$2.$1');

/** An editor error with its message and each field's message in the caller's language (codes kept). */
function localized(error: AppError, locale: Locale): AppError {
  const t = createT(locale);
  const say = t as unknown as (key: MessageKey) => string;
  const text = (code: string) => say(((`bo.err.${code}` in messages.vi) ? `bo.err.${code}` : 'bo.err.invalid') as MessageKey);
  const codes = Object.fromEntries(Object.entries(error.fields ?? {}).map(([k, c]) => [jsonField(k), String(c)]));
  const fields = Object.fromEntries(Object.entries(codes).map(([k, c]) => [k, text(c)]));
  const key = ({ NOT_FOUND: 'places.comboApi.notFound', CONFLICT: 'places.comboApi.conflict', FORBIDDEN: 'places.comboApi.forbidden' } as Record<string, MessageKey>)[error.kind] ?? 'places.comboApi.invalid';
  return new AppError(error.kind, error.code, say(key), { fields, details: { ...(error.details ?? {}), ...(Object.keys(codes).length ? { codes } : {}) } });
}

type Resolve = (locals: App.Locals) => Promise<ComboEditor>;

function route(resolve: Resolve, run: (editor: ComboEditor, ctx: APIContext) => Promise<Response>): APIRoute {
  return async (ctx) => {
    try {
      return await run(await resolve(ctx.locals), ctx);
    } catch (error) {
      if (isAppError(error) && error.expose) throw localized(error, apiLocale(ctx.request, ctx.url));
      throw error;
    }
  };
}

const body = async (ctx: APIContext): Promise<Record<string, unknown>> => {
  const raw = await readJson(ctx.request);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new AppError('INVALID_DATA', 'backoffice.invalid', 'Send a JSON object.', { fields: { _: 'invalid' } });
  return raw as Record<string, unknown>;
};

/** GET (this editor's boxes) and POST (a new box, 201) of a combos collection. */
export function comboCollectionRoutes(resolve: Resolve): { GET: APIRoute; POST: APIRoute } {
  return {
    GET: route(resolve, async (editor) => {
      const rows = await listEditableCombos(editor);
      return json({ combos: rows.map((r) => ({ slug: r.slug, status: r.status, name: { vi: r.name_vi, en: r.name_en }, price: Number(r.price), occasion: r.occasion, items: Number(r.item_count), assembler: r.assembler_name, image: r.image?.url ?? null })) });
    }),
    POST: route(resolve, async (editor, ctx) => {
      const { slug } = await saveCombo(editor, null, await body(ctx));
      return json(await comboJson(editor, slug), { status: 201, headers: { location: `${ctx.url.pathname.replace(/\/$/, '')}/${slug}` } });
    }),
  };
}

/** GET, PATCH (the fields given replace the stored ones; `items` whole) and DELETE (archives) of one box. */
export function comboItemRoutes(resolve: Resolve): { GET: APIRoute; PATCH: APIRoute; DELETE: APIRoute } {
  const slugOf = (ctx: APIContext) => ctx.params.slug ?? '';
  return {
    GET: route(resolve, async (editor, ctx) => json(await comboJson(editor, slugOf(ctx)))),
    PATCH: route(resolve, async (editor, ctx) => {
      const patch = await body(ctx);
      const { slug } = await saveCombo(editor, slugOf(ctx), { ...(await currentInput(editor, slugOf(ctx))), ...patch });
      return json(await comboJson(editor, slug));
    }),
    DELETE: route(resolve, async (editor, ctx) => {
      const d = await getDb();
      await d.transaction(async (tx) => {
        const row = await repo.selectComboForEdit(tx, slugOf(ctx), ownerOfEditor(editor), true);
        if (!row) throw new AppError('NOT_FOUND', 'backoffice.combo_not_found', 'No such gift box among yours.');
        await repo.archiveCombo(tx, row.id);
        await recordAudit(tx, editor.actor, 'combo.archived', { type: 'combo', id: row.id }, { status: row.status }, { status: 'archived' });
      });
      return json(await comboJson(editor, slugOf(ctx)));
    }),
  };
}

const ownerOfEditor = (e: ComboEditor): repo.ComboOwner =>
  (e.kind === 'producer' ? e.producerId : e.kind === 'point_of_sale' ? { kind: 'point_of_sale', id: e.pointId } : null);

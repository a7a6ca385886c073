import crypto from 'node:crypto';
import type SharpType from 'sharp';
import { storage } from '../storage/index.ts';
import type { ProductImage } from './catalog.table.ts';

/**
 * A gift box's picture composed from its components' own pictures (whatever lib/catalog/
 * product-image.ts or an upload made them): every component shown side by side on the occasion's
 * colour, never one product's picture and name standing for the whole box. An uploaded box
 * picture keeps priority (combos.image); this one is combos.composite_image, redone when the
 * components change.
 */
export const COMPOSITE_SIZE = 800;
const BACKGROUND: Record<string, string> = { tet: '#b91c1c', trung_thu: '#b45309', souvenir: '#0f766e', gift: '#166534' };
const MAX_TILES = 9;

/** Where each tile goes: 1–2 in a row, 3 as two over one, 4 as a square, more in a 3×3 grid. */
export function tileLayout(count: number, size = COMPOSITE_SIZE): Array<{ left: number; top: number; side: number }> {
  const n = Math.min(Math.max(count, 1), MAX_TILES);
  const gap = 24;
  if (n <= 2) {
    const side = n === 1 ? 560 : Math.floor((size - 3 * gap) / 2);
    const top = Math.floor((size - side) / 2);
    return Array.from({ length: n }, (_, i) => ({ left: n === 1 ? Math.floor((size - side) / 2) : gap + i * (side + gap), top, side }));
  }
  const perRow = n <= 4 ? 2 : 3;
  const side = Math.floor((size - (perRow + 1) * gap) / perRow);
  const rowsCount = Math.ceil(n / perRow);
  const top0 = Math.floor((size - rowsCount * side - (rowsCount - 1) * gap) / 2);
  return Array.from({ length: n }, (_, i) => {
    const row = Math.floor(i / perRow);
    const inRow = Math.min(perRow, n - row * perRow);
    const left0 = Math.floor((size - inRow * side - (inRow - 1) * gap) / 2);
    return { left: left0 + (i % perRow) * (side + gap), top: top0 + row * (side + gap), side };
  });
}

/** The stored key of a /media/ URL, or null for anything else (never fetch another host). */
function mediaKey(url: string): string | null {
  return url.startsWith('/media/') ? url.slice('/media/'.length) : null;
}

/** sharp is loaded on first use: the catalogue module is imported everywhere, pictures are composed rarely. */
let loaded: Promise<typeof SharpType> | undefined;
const loadSharp = () => (loaded ??= import('sharp').then((m) => m.default));

async function tile(sharp: typeof SharpType, picture: ProductImage | null, side: number): Promise<Buffer> {
  const key = picture && mediaKey(picture.url);
  const stored = key ? await storage().get(key) : null;
  const frame = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}"><rect width="${side}" height="${side}" rx="28" fill="#fff"/></svg>`);
  if (!stored) return sharp(frame).png().toBuffer();
  const inner = side - 16;
  const image = await sharp(stored.data, { density: 96, limitInputPixels: 50_000_000 })
    .resize({ width: inner, height: inner, fit: 'cover' }).png().toBuffer();
  const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${inner}" height="${inner}"><rect width="${inner}" height="${inner}" rx="22"/></svg>`);
  const rounded = await sharp(image).composite([{ input: mask, blend: 'dest-in' }]).png().toBuffer();
  return sharp(frame).composite([{ input: rounded, left: 8, top: 8 }]).png().toBuffer();
}

/**
 * Composes and stores the picture of box `slug` from `pictures` (one per component, in order;
 * null when a component has none), returning it as a product image with alt texts naming the box.
 */
export async function composeComboImage(input: {
  slug: string; occasion: string; pictures: Array<ProductImage | null>; name: { vi: string; en: string };
}): Promise<ProductImage> {
  const layout = tileLayout(input.pictures.length);
  const sharp = await loadSharp();
  const tiles = await Promise.all(layout.map((l, i) => tile(sharp, input.pictures[i] ?? null, l.side)));
  const colour = BACKGROUND[input.occasion] ?? BACKGROUND.gift!;
  // A ribbon across the box: what makes it read as one gift rather than a shelf.
  const ribbon = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${COMPOSITE_SIZE}" height="${COMPOSITE_SIZE}">
    <rect x="${COMPOSITE_SIZE / 2 - 14}" width="28" height="${COMPOSITE_SIZE}" fill="#fbbf24" opacity="0.9"/>
    <rect y="${COMPOSITE_SIZE / 2 - 14}" width="${COMPOSITE_SIZE}" height="28" fill="#fbbf24" opacity="0.9"/></svg>`);
  const webp = await sharp({ create: { width: COMPOSITE_SIZE, height: COMPOSITE_SIZE, channels: 3, background: colour } })
    .composite([{ input: ribbon, left: 0, top: 0 }, ...tiles.map((input, i) => ({ input, left: layout[i]!.left, top: layout[i]!.top }))])
    .webp({ quality: 82 }).toBuffer();
  const hash = crypto.createHash('sha256').update(webp).digest('hex').slice(0, 12);
  const url = await storage().put(`combos/${input.slug}-${hash}.webp`, webp, 'image/webp');
  return { url, width: COMPOSITE_SIZE, height: COMPOSITE_SIZE, altVi: `Hộp quà ${input.name.vi}`, altEn: `Gift box: ${input.name.en}` };
}

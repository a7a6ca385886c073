import type SharpType from 'sharp';
import { storage, type StoredObject } from '../storage/index.ts';

/**
 * Responsive renditions of stored pictures for listings (product and gift-box cards, component
 * thumbnails, cart lines, producer cards).
 *
 * A card shows a picture ~180 CSS px wide on a phone, but the stored pictures are 800 px: a
 * generated SVG illustration, which the browser lays out and paints on the page's main thread, or
 * an 800 px WebP (gift boxes, uploads), whose decode of 2.5 M pixels competes with the main thread
 * on a small phone. On the home page (~20 pictures) that was most of Lighthouse's total blocking
 * time. So listings ask for WebP renditions of 80 to 640 px (`srcset`), never larger than
 * the original; the product page keeps the full picture.
 *
 * A rendition is `<key>.w<width>.webp` beside its original, made by sharp on its first request in
 * the media route and stored, so every instance sharing DATA_DIR serves the same file afterwards.
 */
export const RENDITION_WIDTHS = [80, 320, 480, 640] as const;
export type RenditionWidth = (typeof RENDITION_WIDTHS)[number];

const SOURCE = /^\/media\/((?:products|combos|producers|uploads)\/[a-z0-9][a-z0-9._\/-]*\.(?:svg|webp|png|jpe?g))$/;
const RENDITION_KEY = /^((?:products|combos|producers|uploads)\/[a-z0-9][a-z0-9._\/-]*\.(?:svg|webp|png|jpe?g))\.w(\d+)\.webp$/;

interface Picture { url: string; width: number; height: number }

export interface Responsive<T extends Picture> {
  /** The picture with `url` the middle rendition (for browsers without srcset). */
  image: T;
  /** `srcset` for the img element, or undefined for a picture that has no renditions. */
  srcset?: string;
}

/** The URL of the `width` px rendition of a stored picture, or the picture's own URL when it has none. */
export function renditionUrl(url: string, width: RenditionWidth): string {
  return SOURCE.test(url) ? `${url}.w${width}.webp` : url;
}

/** A listing's picture: its 320, 480 and 640 px renditions in a srcset (thumbnails use `renditionUrl(url, 80)`). */
export function cardImage<T extends Picture>(image: T): Responsive<T>;
export function cardImage<T extends Picture>(image: T | null | undefined): Responsive<T> | null;
export function cardImage<T extends Picture>(image: T | null | undefined): Responsive<T> | null {
  if (!image) return null;
  if (!SOURCE.test(image.url)) return { image };
  const ratio = image.height / image.width;
  const widths = RENDITION_WIDTHS.filter((w) => w >= 320 && w <= Math.max(image.width, 320));
  return {
    image: { ...image, url: renditionUrl(image.url, 320), width: 320, height: Math.round(320 * ratio) },
    srcset: widths.map((w) => `${renditionUrl(image.url, w)} ${w}w`).join(', '),
  };
}

/** `sizes` of a card in the storefront's grids: two columns on a phone, three, then four of ~290 px. */
export const CARD_SIZES = '(min-width: 64rem) 290px, (min-width: 48rem) 33vw, 50vw';

let loaded: Promise<typeof SharpType> | undefined;
const loadSharp = () => (loaded ??= import('sharp').then((m) => m.default));

/** Renditions being made in this process: a page's first visitors ask for the same ones at once. */
const making = new Map<string, Promise<StoredObject | null>>();

/**
 * The stored rendition for `key` (`<original>.w<width>.webp`), made from its original and stored
 * when missing (once per process however many ask at the same time); null when `key` is not a
 * rendition of a known width or its original is missing.
 */
export function cardImageRendition(key: string): Promise<StoredObject | null> {
  let pending = making.get(key);
  if (!pending) {
    pending = makeRendition(key).finally(() => making.delete(key));
    making.set(key, pending);
  }
  return pending;
}

async function makeRendition(key: string): Promise<StoredObject | null> {
  const match = RENDITION_KEY.exec(key);
  const width = Number(match?.[2]);
  // Renditions of renditions are refused: the set of files anyone can make is bounded by the
  // originals times the known widths.
  if (!match || !(RENDITION_WIDTHS as readonly number[]).includes(width) || /\.w\d+\.webp$/.test(match[1]!)) return null;
  const source = await storage().get(match[1]!);
  if (!source || !source.contentType.startsWith('image/')) return null;
  const sharp = await loadSharp();
  // The generated SVGs are self-contained (no <image>, no fonts): librsvg has nothing to fetch.
  // They are drawn at (just over) the rendition's size rather than drawn large and shrunk.
  const input = source.contentType === 'image/svg+xml'
    ? sharp(source.data, { density: Math.max(1, Math.ceil((72 * width) / 800)), limitInputPixels: 4_000_000 })
    : sharp(source.data, { limitInputPixels: 50_000_000 });
  const data = await input.resize({ width, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
  await storage().put(key, data, 'image/webp');
  return { data, contentType: 'image/webp' };
}

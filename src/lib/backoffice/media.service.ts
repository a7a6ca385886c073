import crypto from 'node:crypto';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { AppError } from '../errors/index.ts';
import { storage } from '../storage/index.ts';

/**
 * Uploads from producers. The bytes decide the type, never the file name or the client's
 * Content-Type: pictures are decoded and re-encoded (which also drops metadata, GPS included, and
 * anything smuggled after the image), PDFs must start with the PDF signature. Files are stored
 * under keys we make, with an extension from our own list, and served with nosniff and a
 * sandboxing CSP (src/pages/media): an upload can never be served as HTML or script.
 */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** Longest side of a stored product picture. */
export const IMAGE_MAX_SIDE = 1600;
const MAX_PIXELS = 50_000_000;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'avif', 'heif', 'gif', 'tiff']);

export interface UploadedFile {
  name: string;
  data: Buffer;
}

export interface StoredImage {
  url: string;
  width: number;
  height: number;
}

const tooLarge = (field: string) => new AppError('INVALID_DATA', 'upload.too_large', 'The file is too large.', { fields: { [field]: 'too_large' } });
const badType = (field: string) => new AppError('INVALID_DATA', 'upload.bad_type', 'This type of file is not accepted.', { fields: { [field]: 'bad_type' } });

/** Decodes, auto-rotates, resizes to at most 1600 px and stores a WebP. */
export async function storeProductImage(file: UploadedFile, keyBase: string, field = 'photo'): Promise<StoredImage> {
  if (file.data.length === 0) throw new AppError('INVALID_DATA', 'upload.empty', 'The file is empty.', { fields: { [field]: 'required' } });
  if (file.data.length > MAX_IMAGE_BYTES) throw tooLarge(field);
  let meta: Metadata;
  try {
    meta = await sharp(file.data, { limitInputPixels: MAX_PIXELS }).metadata();
  } catch {
    throw badType(field);
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) throw badType(field);
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(file.data, { limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize({ width: IMAGE_MAX_SIDE, height: IMAGE_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw badType(field);
  }
  const key = `${keyBase}-${crypto.randomBytes(6).toString('hex')}.webp`;
  const url = await storage().put(key, out.data, 'image/webp');
  return { url, width: out.info.width, height: out.info.height };
}

/** Evidence documents: a PDF (by signature) or a picture (re-encoded like product photos). */
export async function storeEvidence(file: UploadedFile, keyBase: string, field = 'evidenceFile'): Promise<{ url: string; kind: 'pdf' | 'image' }> {
  if (file.data.subarray(0, 5).toString('latin1') === '%PDF-') {
    if (file.data.length > MAX_DOCUMENT_BYTES) throw tooLarge(field);
    const key = `${keyBase}-${crypto.randomBytes(6).toString('hex')}.pdf`;
    return { url: await storage().put(key, file.data, 'application/pdf'), kind: 'pdf' };
  }
  const image = await storeProductImage(file, keyBase, field);
  return { url: image.url, kind: 'image' };
}

/** Size of the pictures shown when a page is shared (Open Graph, Zalo, Facebook: 1.91:1). */
export const SHARE_IMAGE = { width: 1200, height: 630 } as const;

/** The share-picture URL of a stored picture: `/og/<key>.png`, or the URL itself when it is already PNG or JPEG. */
export function shareImageUrl(mediaUrl: string): string {
  if (!mediaUrl.startsWith('/media/') || /\.(png|jpe?g)$/i.test(mediaUrl)) return mediaUrl;
  return `/og/${mediaUrl.slice('/media/'.length)}.png`;
}

/**
 * A stored picture as a 1200×630 PNG for link previews: SVG and WebP, our product pictures'
 * formats, are not shown by Facebook, Zalo and most chat apps. Made on first request and stored
 * next to the original (`og/<key>.png`); null when there is no such picture.
 */
export async function shareImage(mediaKey: string): Promise<Buffer | null> {
  // Never a share picture of a share picture: each would be a new file on disk.
  if (mediaKey.startsWith('og/')) return null;
  const key = `og/${mediaKey}.png`;
  const store = storage();
  const kept = await store.get(key);
  if (kept) return kept.data;
  const original = await store.get(mediaKey);
  if (!original || !original.contentType.startsWith('image/')) return null;
  let png: Buffer;
  try {
    png = await sharp(original.data, { limitInputPixels: MAX_PIXELS, density: 144 })
      .resize({ ...SHARE_IMAGE, fit: 'contain', background: '#faf8f3' })
      .flatten({ background: '#faf8f3' })
      .png({ compressionLevel: 9 })
      .toBuffer();
  } catch {
    return null;
  }
  await store.put(key, png, 'image/png');
  return png;
}

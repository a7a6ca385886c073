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

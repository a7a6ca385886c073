import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/**
 * Reading a printed stamp sheet back as a printer and a phone would: poppler (pdftoppm, pdftotext)
 * rasterises page 1 and extracts its text, jsQR (an independent decoder) reads each label's QR code.
 */
export const havePoppler = !spawnSync('pdftoppm', ['-v']).error;

/** Page 1 at 200 dpi (0.6 mm modules are ~4.7 px) and its text, whitespace folded to single spaces. */
export function readBackSheet(pdf: Buffer): { png: PNG; text: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-sheet-'));
  try {
    const file = path.join(dir, 'sheet.pdf');
    fs.writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', '200', '-f', '1', '-l', '1', '-singlefile', '-png', file, path.join(dir, 'page')]);
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, 'page.png')));
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-']).toString().replace(/\s+/g, ' ');
    return { png, text };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Crops label i of an A4 page (5 × 7 grid inside 8 mm margins) and decodes its QR code on its own. */
export function decodeLabel(png: PNG, i: number): string {
  const pxPerMm = png.width / 210;
  const labelW = ((210 - 16) / 5) * pxPerMm;
  const labelH = ((297 - 16) / 7) * pxPerMm;
  const x0 = Math.round(8 * pxPerMm + (i % 5) * labelW);
  const y0 = Math.round(8 * pxPerMm + Math.floor(i / 5) * labelH);
  const w = Math.floor(labelW), h = Math.floor(labelH);
  const crop = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) crop.set(png.data.subarray(((y0 + y) * png.width + x0) * 4, ((y0 + y) * png.width + x0 + w) * 4), y * w * 4);
  return jsQR(crop, w, h)?.data ?? 'undecoded';
}

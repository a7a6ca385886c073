import { A4, MM, num, PdfDocument } from './pdf.ts';
import { darkRuns, qrMatrix, qrPath, QUIET_ZONE } from './qr.ts';
import { formatStampCode } from './stamp-code.ts';
import { parseTrueType, type TrueTypeFont } from './truetype.ts';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { escapeXml } from '../http/escape.ts';

/**
 * Print sheets of stamps: A4 pages of 5 × 7 labels (38.8 × 40.1 mm), each with the product name,
 * the QR code of the stamp's URL with its 4-module quiet zone, the code in text (groups of four,
 * for typing on /verify), "Tem truy xuất OCOP" and, when the run has them, the scratch-off PIN.
 * Thin grey cut lines frame each label.
 */
export interface SheetLabel {
  code: string;
  url: string;
  pin?: string;
}

export interface SheetInput {
  productName: string;
  lotCode: string;
  tagline: string;
  /** Stars of the product's OCOP certificate (3–5): the OCOP mark with its stars is printed; none without. */
  stars?: number | null;
  /** The word before the lot code ("Lô", "Lot"); Vietnamese by default. */
  lotLabel?: string;
  labels: SheetLabel[];
}

export const LAYOUT = { columns: 5, rows: 7, marginMm: 8, moduleMm: 0.6, qrTopMm: 5.5 };
const PAGE_W_MM = 210;
const PAGE_H_MM = 297;
const LABEL_W = (PAGE_W_MM - 2 * LAYOUT.marginMm) / LAYOUT.columns;
const LABEL_H = (PAGE_H_MM - 2 * LAYOUT.marginMm) / LAYOUT.rows;
export const LABELS_PER_PAGE = LAYOUT.columns * LAYOUT.rows;

function moduleMm(size: number): number {
  // Symbol plus quiet zones must fit the label width with 2 mm to spare.
  return Math.min(LAYOUT.moduleMm, (LABEL_W - 4) / (size + 2 * QUIET_ZONE));
}

let cachedFont: TrueTypeFont | null | undefined;
/**
 * The embedded font: Be Vietnam Pro, the site's typeface, from npm (@expo-google-fonts/be-vietnam-pro
 * ships the whole TrueType file; @fontsource's web files are split by script). null (ASCII-only
 * Helvetica) only if the package is missing.
 */
export function sheetFont(): TrueTypeFont | null {
  if (cachedFont !== undefined) return cachedFont;
  try {
    const file = createRequire(import.meta.url).resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf');
    cachedFont = parseTrueType(fs.readFileSync(file));
  } catch {
    cachedFont = null;
  }
  return cachedFont;
}

/** A five-pointed star of outer radius r centred on (cx, cy), as a filled PDF path. */
function star(cx: number, cy: number, r: number): string {
  let path = '';
  for (let k = 0; k < 10; k++) {
    const radius = k % 2 === 0 ? r : r * 0.42;
    const a = Math.PI / 2 + (k * Math.PI) / 5;
    path += `${num(cx + radius * Math.cos(a))} ${num(cy + radius * Math.sin(a))} ${k === 0 ? 'm' : 'l'} `;
  }
  return `${path}h f\n`;
}

/** The product name on at most three lines, as large as fits above the QR code: never cut. */
function nameLines(doc: PdfDocument, name: string, width: number): { lines: string[]; size: number } {
  for (const [size, max] of [[6.5, 1], [5.6, 2], [4.6, 3]] as const) {
    const lines = doc.wrap(name, size, width);
    if (lines.length <= max) return { lines, size };
  }
  const size = 3.6;
  return { lines: doc.wrap(name, size, width), size };
}

export async function renderPdf(input: SheetInput, onProgress?: (done: number) => void): Promise<{ pdf: Buffer; pages: number; asciiOnly: boolean }> {
  const font = sheetFont();
  const doc = new PdfDocument(font, { title: `${input.productName} — ${input.lotCode}`, creator: 'Chợ OCOP stamps:issue' });
  const pageH = A4.height;
  for (let start = 0; start < input.labels.length; start += LABELS_PER_PAGE) {
    let ops = '0.8 G 0.2 w\n';
    const slice = input.labels.slice(start, start + LABELS_PER_PAGE);
    for (const [i, label] of slice.entries()) {
      // Between rows of labels (~6 ms each), let a server answer other requests (scans!).
      if (i > 0 && i % LAYOUT.columns === 0) await new Promise((r) => setImmediate(r));
      const col = i % LAYOUT.columns;
      const row = Math.floor(i / LAYOUT.columns);
      const x = (LAYOUT.marginMm + col * LABEL_W) * MM; // label left, points
      const top = pageH - (LAYOUT.marginMm + row * LABEL_H) * MM; // label top, points
      const w = LABEL_W * MM;
      const cx = x + w / 2;
      ops += `${num(x)} ${num(top - LABEL_H * MM)} ${num(w)} ${num(LABEL_H * MM)} re S\n`;
      ops += '0 g\n';
      // The full name, wrapped into the band above the QR code's quiet zone.
      const name = nameLines(doc, input.productName, w - 3 * MM);
      const band = LAYOUT.qrTopMm * MM;
      const lead = name.size * 1.08;
      const first = top - (band - lead * (name.lines.length - 1)) / 2 - name.size * 0.6;
      name.lines.forEach((line, k) => (ops += doc.text(line, cx, first - k * lead, name.size, 'center')));
      const m = qrMatrix(label.url);
      const mod = moduleMm(m.size) * MM;
      const qrLeft = cx - (m.size * mod) / 2;
      const qrTop = top - LAYOUT.qrTopMm * MM - QUIET_ZONE * mod;
      // One unit per module, y downwards: `cm` maps module (c, r) to the page.
      ops += `q ${num(mod)} 0 0 ${num(-mod)} ${num(qrLeft)} ${num(qrTop)} cm\n`;
      for (const [r, c, n] of darkRuns(m)) ops += `${c} ${r} ${n} 1 re\n`;
      ops += 'f Q\n';
      const below = qrTop - m.size * mod - QUIET_ZONE * mod;
      ops += doc.text(formatStampCode(label.code), cx, below - 2.4 * MM, 6.5, 'center');
      // The OCOP mark with its stars (certified products only), then the lot code.
      const lot = `${input.stars ? '' : `${input.tagline} · `}${input.lotLabel ?? 'Lô'} ${input.lotCode}`;
      const lotSize = Math.min(5.6, (w - 3 * MM - (input.stars ? 18 * MM : 0)) / Math.max(1, doc.textWidth(lot, 1)));
      const markW = input.stars ? 7.2 * MM + input.stars * 2.1 * MM : 0;
      const rowW = markW + (input.stars ? 1.2 * MM : 0) + doc.textWidth(lot, lotSize);
      let at = cx - rowW / 2;
      const y2 = below - 5 * MM;
      if (input.stars) {
        ops += `0.72 0.11 0.11 rg ${num(at)} ${num(y2 - 0.7 * MM)} ${num(markW)} ${num(2.6 * MM)} re f\n`;
        ops += `1 g ${doc.text('OCOP', at + 0.6 * MM, y2, 5.6).trimEnd()}\n`;
        ops += '0.99 0.75 0.14 rg ';
        for (let k = 0; k < input.stars; k++) ops += star(at + 7.8 * MM + k * 2.1 * MM, y2 + 0.6 * MM, 0.95 * MM);
        ops += '0 g\n';
        at += markW + 1.2 * MM;
      }
      ops += doc.text(lot, at, y2, lotSize);
      ops += doc.text(label.pin ? `PIN ${label.pin}` : input.stars ? input.tagline : '', cx, below - 7.6 * MM, 6, 'center');
      ops += '0.8 G\n';
    }
    doc.addPage(ops);
    onProgress?.(start + slice.length);
    await new Promise((r) => setImmediate(r)); // and let the progress bar draw
  }
  return { pdf: doc.toBuffer(), pages: doc.pageCount, asciiOnly: font === null };
}

const esc = escapeXml;

/** One label of the SVG sheet, at its place in the 5-column grid. */
function svgLabel(input: SheetInput, label: SheetLabel, i: number): string {
  const x = LAYOUT.marginMm + (i % LAYOUT.columns) * LABEL_W;
  const y = LAYOUT.marginMm + Math.floor(i / LAYOUT.columns) * LABEL_H;
  const cx = x + LABEL_W / 2;
  const m = qrMatrix(label.url);
  const mod = moduleMm(m.size);
  const qrX = cx - (m.size * mod) / 2;
  const qrY = y + LAYOUT.qrTopMm + QUIET_ZONE * mod;
  const below = qrY + m.size * mod + QUIET_ZONE * mod;
  return `<g data-code="${label.code}"><rect x="${num(x)}" y="${num(y)}" width="${num(LABEL_W)}" height="${num(LABEL_H)}" fill="none" stroke="#ccc" stroke-width="0.07"/>`
    + `<text x="${num(cx)}" y="${num(y + 4.2)}" font-size="2.3" text-anchor="middle">${esc(input.productName)}</text>`
    + `<path transform="translate(${num(qrX)} ${num(qrY)}) scale(${num(mod)})" d="${qrPath(m)}"/>`
    + `<text x="${num(cx)}" y="${num(below + 2.6)}" font-size="2.3" text-anchor="middle" font-family="monospace">${formatStampCode(label.code)}</text>`
    + `<text x="${num(cx)}" y="${num(below + 5.3)}" font-size="2.1" text-anchor="middle">${input.stars ? `<tspan fill="#b91c1c" font-weight="700">OCOP ${'★'.repeat(input.stars)}</tspan> ` : `${esc(input.tagline)} · `}${esc(`${input.lotLabel ?? 'Lô'} ${input.lotCode}`)}</text>`
    // As on the PDF: the line under the lot says what the label is, unless it carries a PIN.
    + (label.pin || input.stars ? `<text x="${num(cx)}" y="${num(below + 8)}" font-size="2.1" text-anchor="middle">${label.pin ? `PIN ${label.pin}` : esc(input.tagline)}</text>` : '')
    + '</g>';
}

function svgDocument(input: SheetInput, parts: string[]): string {
  const rows = Math.max(1, Math.ceil(input.labels.length / LAYOUT.columns));
  const height = rows * LABEL_H + 2 * LAYOUT.marginMm;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE_W_MM}mm" height="${num(height)}mm" viewBox="0 0 ${PAGE_W_MM} ${num(height)}" font-family="Be Vietnam Pro, Arial, sans-serif" shape-rendering="crispEdges">`
    + `<title>${esc(`${input.productName} — ${input.lotCode}`)}</title><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>\n`;
}

/** The same labels as one SVG in millimetres: 5 columns, as many rows as needed (roll or cut sheet). */
export function renderSvg(input: SheetInput): string {
  return svgDocument(input, input.labels.map((label, i) => svgLabel(input, label, i)));
}

/** renderSvg for a server: yields to the event loop after every row of labels. */
export async function renderSvgAsync(input: SheetInput): Promise<string> {
  const parts: string[] = [];
  for (let i = 0; i < input.labels.length; i++) {
    parts.push(svgLabel(input, input.labels[i]!, i));
    if (i % LAYOUT.columns === LAYOUT.columns - 1) await new Promise((r) => setImmediate(r));
  }
  return svgDocument(input, parts);
}

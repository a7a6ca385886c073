import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { darkRuns, qrMatrix, qrPath, QUIET_ZONE } from './qr.ts';
import { formatStampCode } from './stamp-code.ts';
import { escapeXml } from '../http/escape.ts';

/**
 * Print sheets of stamps: A4 pages of 5 × 7 labels (38.8 × 40.1 mm), each with the full product
 * name (wrapped, never cut), the QR code of the stamp's URL with its 4-module quiet zone, the code
 * in text (groups of four, for typing on /verify), the OCOP mark with its stars and the lot code,
 * and "Tem truy xuất OCOP" or, when the run has them, the scratch-off PIN. Thin grey cut lines
 * frame each label. The PDF is drawn by pdfkit, which embeds a subset of the site's typeface
 * (Be Vietnam Pro, from npm) through fontkit: Vietnamese prints and copies with its diacritics
 * whatever fonts the machine has.
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
/** Points per millimetre. */
const MM = 72 / 25.4;
/** What the label keeps under the QR code's quiet zone: the code, the OCOP/lot row, the tagline or PIN. */
const FOOTER_MM = 9;

export function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}

function moduleMm(size: number, bandMm = LAYOUT.qrTopMm): number {
  // Symbol plus quiet zones must fit the label width with 2 mm to spare, and the height left
  // between the name band and the footer.
  const fitHeight = (LABEL_H - bandMm - FOOTER_MM) / (size + 2 * QUIET_ZONE);
  return Math.min(LAYOUT.moduleMm, (LABEL_W - 4) / (size + 2 * QUIET_ZONE), fitHeight);
}

/**
 * The typeface of the sheets: Be Vietnam Pro, the site's, as TrueType files from npm
 * (@expo-google-fonts/be-vietnam-pro ships whole fonts; @fontsource's web files are split by
 * script, so no one file has both "ấ" and "Ư"). A dependency: without it there is no sheet.
 */
export function sheetFonts(): { regular: string; semibold: string } {
  const resolve = createRequire(import.meta.url).resolve;
  return {
    regular: resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf'),
    semibold: resolve('@expo-google-fonts/be-vietnam-pro/600SemiBold/BeVietnamPro_600SemiBold.ttf'),
  };
}

type Doc = InstanceType<typeof PDFDocument>;

/** The ten corners of a five-pointed star of outer radius r centred on (cx, cy), y downwards. */
function starPoints(cx: number, cy: number, r: number): Array<[number, number]> {
  return Array.from({ length: 10 }, (_, k) => {
    const radius = k % 2 === 0 ? r : r * 0.42;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    return [cx + radius * Math.cos(a), cy + radius * Math.sin(a)] as [number, number];
  });
}

/**
 * Breaks `text` into lines of at most `width` points at `size` in the current font, at spaces (a
 * word longer than a line is split between characters): nothing is dropped.
 */
export function wrapText(doc: Doc, text: string, size: number, width: number): string[] {
  doc.fontSize(size);
  const fits = (s: string) => doc.widthOfString(s) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of text.normalize('NFC').split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = [...word];
    while (rest.length > 1 && !fits(rest.join(''))) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut).join(''))) cut--;
      lines.push(rest.slice(0, cut).join(''));
      rest = rest.slice(cut);
    }
    line = rest.join('');
  }
  if (line) lines.push(line);
  return lines;
}

/** Line height of the name, in points per point of type. */
const NAME_LEAD = 1.1;

/**
 * The product name, as large as fits the band above the QR code on as few lines as it needs;
 * a name too long for the band even at the smallest size widens the band (the QR code shrinks).
 * Never cut.
 */
function nameBlock(doc: Doc, name: string, width: number): { lines: string[]; size: number; bandMm: number } {
  const band = LAYOUT.qrTopMm * MM;
  for (const size of [6.5, 6, 5.6, 5.2, 4.8, 4.4, 4, 3.6]) {
    const lines = wrapText(doc, name, size, width);
    if (lines.length * size * NAME_LEAD + 0.8 * MM <= band) return { lines, size, bandMm: LAYOUT.qrTopMm };
  }
  const size = 3.6;
  const lines = wrapText(doc, name, size, width);
  return { lines, size, bandMm: (lines.length * size * NAME_LEAD) / MM + 0.8 };
}

/** One line of text with its baseline at y, centred on cx (or starting at x). */
function line(doc: Doc, text: string, x: number, y: number, size: number, align: 'left' | 'center' = 'left'): number {
  doc.fontSize(size);
  const width = doc.widthOfString(text);
  doc.text(text, align === 'center' ? x - width / 2 : x, y, { lineBreak: false, baseline: 'alphabetic' });
  return width;
}

export async function renderPdf(input: SheetInput, onProgress?: (done: number) => void): Promise<{ pdf: Buffer; pages: number }> {
  const fonts = sheetFonts();
  const doc = new PDFDocument({
    size: 'A4', margin: 0, autoFirstPage: false, compress: true, font: fonts.regular,
    info: { Title: `${input.productName} — ${input.lotCode}`, Creator: 'Chợ OCOP stamps' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const w = LABEL_W * MM;
  const textWidth = w - 3 * MM;
  // What every label of the run shares is laid out once.
  doc.font(fonts.semibold);
  const name = nameBlock(doc, input.productName.normalize('NFC'), textWidth);
  doc.font(fonts.regular);
  const lot = `${input.stars ? '' : `${input.tagline} · `}${input.lotLabel ?? 'Lô'} ${input.lotCode}`.normalize('NFC');
  // The mark: "OCOP" in white on red, then the stars, 2.1 mm apart.
  doc.font(fonts.semibold).fontSize(5.6);
  const ocopW = doc.widthOfString('OCOP');
  doc.font(fonts.regular);
  const starsLeft = 0.6 * MM + ocopW + 0.4 * MM;
  const markW = input.stars ? starsLeft + input.stars * 2.1 * MM + 0.2 * MM : 0;
  const gap = input.stars ? 1.2 * MM : 0;
  doc.fontSize(1);
  const lotSize = Math.min(5.6, (textWidth - markW - gap) / Math.max(1e-6, doc.widthOfString(lot)));
  doc.fontSize(lotSize);
  const rowW = markW + gap + doc.widthOfString(lot);
  const lead = name.size * NAME_LEAD;
  const band = name.bandMm * MM;
  // The name's lines, centred in the band: baseline of the first one below the label's top.
  const firstBaseline = (band - lead * name.lines.length) / 2 + name.size * 0.95;

  let pages = 0;
  for (let start = 0; start < input.labels.length; start += LABELS_PER_PAGE) {
    doc.addPage({ size: 'A4', margin: 0 });
    pages++;
    const slice = input.labels.slice(start, start + LABELS_PER_PAGE);
    for (const [i, label] of slice.entries()) {
      // Between labels (~1–2 ms each), let a server answer other requests (scans!).
      if (i > 0) await new Promise((r) => setImmediate(r));
      // Each label is drawn in its own coordinates (points from its top-left corner, y down), so
      // what labels share is the same bytes in the content stream and compresses away.
      doc.save().translate((LAYOUT.marginMm + (i % LAYOUT.columns) * LABEL_W) * MM, (LAYOUT.marginMm + Math.floor(i / LAYOUT.columns) * LABEL_H) * MM);
      const top = 0;
      const cx = w / 2;
      doc.lineWidth(0.2).strokeColor('#cccccc').rect(0, 0, w, LABEL_H * MM).stroke();
      doc.fillColor('#000000').font(fonts.semibold);
      name.lines.forEach((text, k) => line(doc, text, cx, top + firstBaseline + k * lead, name.size, 'center'));
      doc.font(fonts.regular);

      const m = qrMatrix(label.url);
      const mod = moduleMm(m.size, name.bandMm) * MM;
      const qrLeft = cx - (m.size * mod) / 2;
      const qrTop = top + band + QUIET_ZONE * mod;
      // One unit per module: integers in the content stream, one fill for the whole symbol.
      doc.save().translate(qrLeft, qrTop).scale(mod);
      for (const [r, c, n] of darkRuns(m)) doc.rect(c, r, n, 1);
      doc.fill('#000000').restore();

      const below = qrTop + m.size * mod + QUIET_ZONE * mod;
      // The code at 6.5 pt, smaller only if a long one (up to 32 characters) would not fit.
      const printed = formatStampCode(label.code);
      doc.fontSize(1);
      line(doc, printed, cx, below + 2.4 * MM, Math.min(6.5, textWidth / doc.widthOfString(printed)), 'center');
      // The OCOP mark with its stars (certified products only), then the lot code.
      let at = cx - rowW / 2;
      const y2 = below + 5 * MM;
      if (input.stars) {
        doc.save().translate(at, y2);
        doc.rect(0, -1.9 * MM, markW, 2.6 * MM).fill('#b91c1c');
        doc.fillColor('#ffffff').font(fonts.semibold);
        line(doc, 'OCOP', 0.6 * MM, 0, 5.6);
        doc.font(fonts.regular);
        for (let k = 0; k < input.stars; k++) doc.polygon(...starPoints(starsLeft + (k + 0.5) * 2.1 * MM, -0.6 * MM, 0.95 * MM));
        doc.fill('#fcbf24').restore();
        at += markW + gap;
      }
      doc.fillColor('#000000');
      line(doc, lot, at, y2, lotSize);
      const last = label.pin ? `PIN ${label.pin}` : input.stars ? input.tagline : '';
      if (last) line(doc, last, cx, below + 7.6 * MM, 6, 'center');
      doc.restore();
    }
    onProgress?.(start + slice.length);
    await new Promise((r) => setImmediate(r)); // and let the progress bar draw
  }
  doc.end();
  await ended;
  return { pdf: Buffer.concat(chunks), pages };
}

const esc = escapeXml;

/** A document that only measures text in the sheet's name font (never written out). */
let measurer: Doc | null = null;
function measuringDoc(): Doc {
  measurer ??= new PDFDocument({ autoFirstPage: false, font: sheetFonts().semibold });
  return measurer;
}

interface SvgName { lines: string[]; sizeMm: number; bandMm: number }

/** The product name's lines on the SVG: the same breaks and sizes as on the PDF. */
function svgName(input: SheetInput): SvgName {
  const name = nameBlock(measuringDoc(), input.productName.normalize('NFC'), (LABEL_W - 3) * MM);
  return { lines: name.lines, sizeMm: name.size / MM, bandMm: name.bandMm };
}

/** One label of the SVG sheet, at its place in the 5-column grid. */
function svgLabel(input: SheetInput, name: SvgName, label: SheetLabel, i: number): string {
  const x = LAYOUT.marginMm + (i % LAYOUT.columns) * LABEL_W;
  const y = LAYOUT.marginMm + Math.floor(i / LAYOUT.columns) * LABEL_H;
  const cx = x + LABEL_W / 2;
  const m = qrMatrix(label.url);
  const mod = moduleMm(m.size, name.bandMm);
  const qrX = cx - (m.size * mod) / 2;
  const qrY = y + name.bandMm + QUIET_ZONE * mod;
  const below = qrY + m.size * mod + QUIET_ZONE * mod;
  const lead = name.sizeMm * NAME_LEAD;
  const first = y + (name.bandMm - lead * name.lines.length) / 2 + name.sizeMm * 0.95;
  return `<g data-code="${label.code}"><rect x="${num(x)}" y="${num(y)}" width="${num(LABEL_W)}" height="${num(LABEL_H)}" fill="none" stroke="#ccc" stroke-width="0.07"/>`
    + `<text x="${num(cx)}" y="${num(first)}" font-size="${num(name.sizeMm)}" font-weight="600" text-anchor="middle">${name.lines.map((l, k) => `<tspan x="${num(cx)}"${k ? ` dy="${num(lead)}"` : ''}>${esc(l)}</tspan>`).join('')}</text>`
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
  const name = svgName(input);
  return svgDocument(input, input.labels.map((label, i) => svgLabel(input, name, label, i)));
}

/** renderSvg for a server: yields to the event loop after every row of labels. */
export async function renderSvgAsync(input: SheetInput): Promise<string> {
  const name = svgName(input);
  const parts: string[] = [];
  for (let i = 0; i < input.labels.length; i++) {
    parts.push(svgLabel(input, name, input.labels[i]!, i));
    if (i % LAYOUT.columns === LAYOUT.columns - 1) await new Promise((r) => setImmediate(r));
  }
  return svgDocument(input, parts);
}

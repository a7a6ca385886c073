import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { formatStampCode, generateStampCode } from './stamp-code.ts';
import { qrMatrix, qrSvg, QUIET_ZONE } from './qr.ts';
import { LABELS_PER_PAGE, renderPdf, renderSvg, renderSvgAsync } from './stamp-sheet.ts';
import { decodeLabel, havePoppler, readBackSheet } from '../../../tests/support/stamp-sheet.ts';

// Decoding uses jsQR, an independent decoder, on pixels rendered from what we print.
const SECRET = 'sheet-test-secret';
const url = (code: string) => `https://cho-ocop-truy-xuat.example.vn/t/${code}`; // a 30-character host

/** Rasterises our SVG's `M x y h n v1 h-n z` path (module units) at `scale` px per module. */
function rasteriseSvg(svg: string, scale: number): { data: Uint8ClampedArray; width: number; height: number } {
  const side = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const width = side * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  const d = /<path fill="#000" d="([^"]+)"/.exec(svg)![1]!;
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [x, y, n] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let py = y * scale; py < (y + 1) * scale; py++) {
      for (let px = x * scale; px < (x + n) * scale; px++) data.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
    }
  }
  return { data, width, height: width };
}

describe('QR codes of stamps', () => {
  it('fit version 4 at level M for a 30-character host', () => {
    const m = qrMatrix(url(generateStampCode(SECRET)));
    expect(m.version).toBeLessThanOrEqual(4);
  });

  it('the SVG decodes to the stamp URL, quiet zone included', () => {
    const target = url(generateStampCode(SECRET));
    const svg = qrSvg(target, 4);
    const m = qrMatrix(target);
    expect(svg).toContain(`viewBox="0 0 ${m.size + 2 * QUIET_ZONE} ${m.size + 2 * QUIET_ZONE}"`);
    const img = rasteriseSvg(svg, 4);
    expect(jsQR(img.data, img.width, img.height)?.data).toBe(target);
  });

  it('the sheet SVG carries every label with its code', () => {
    const labels = Array.from({ length: 7 }, () => { const code = generateStampCode(SECRET); return { code, url: url(code) }; });
    const svg = renderSvg({ productName: 'Trà Shan tuyết <Hà Giang>', lotCode: 'L1', tagline: 'Tem truy xuất OCOP', labels });
    for (const l of labels) expect(svg).toContain(`data-code="${l.code}"`);
    expect(svg).toContain('Trà Shan tuyết &lt;Hà Giang&gt;');
    expect(svg).toContain('Tem truy xuất OCOP');
  });

  it('the server\'s SVG (yielding between pages) is the same document', async () => {
    const labels = Array.from({ length: LABELS_PER_PAGE + 5 }, () => { const code = generateStampCode(SECRET); return { code, url: url(code) }; });
    const input = { productName: 'Mắm tôm Lê Gia', lotCode: 'L7', tagline: 'Tem truy xuất OCOP', labels };
    expect(await renderSvgAsync(input)).toBe(renderSvg(input));
  });

  it('a long name wraps on the SVG sheet too: every word, several lines, nothing cut', () => {
    const name = 'Nước mắm Phú Quốc Khải Hoàn 40 độ đạm thượng hạng chai thủy tinh 500 ml hộp quà Tết';
    const svg = renderSvg({ productName: name, lotCode: 'L1', tagline: 'Tem truy xuất OCOP', stars: 4, labels: [{ code: 'C1', url: url('C1') }] });
    const lines = [...svg.matchAll(/<tspan x="[\d.]+"(?: dy="[\d.]+")?>([^<]+)<\/tspan>/g)].map((m) => m[1]);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(name);
    expect(svg).not.toContain('…');
  });

  it.skipIf(!havePoppler)('a PDF page, rasterised by poppler, decodes label by label to the right URLs', async () => {
    const labels = Array.from({ length: LABELS_PER_PAGE + 3 }, () => { const code = generateStampCode(SECRET); return { code, url: url(code), pin: '12345678' }; });
    const { pdf, pages } = await renderPdf({ productName: 'Nước mắm Năm Quyên', lotCode: 'NMNQ2611B', tagline: 'Tem truy xuất OCOP', stars: 5, labels });
    expect(pages).toBe(2);
    const { png, text } = readBackSheet(pdf);
    const decoded = Array.from({ length: LABELS_PER_PAGE }, (_, i) => decodeLabel(png, i));
    expect(decoded).toEqual(labels.slice(0, LABELS_PER_PAGE).map((l) => l.url));
    // The embedded font's ToUnicode map lets the Vietnamese text be extracted again.
    expect(text).toContain('Nước mắm Năm Quyên');
    expect(text).toContain('Lô NMNQ2611B');
    expect(text).toContain('PIN 12345678');
    expect(text).toContain(formatStampCode(labels[0]!.code));
  });

  it.skipIf(!havePoppler)('a label carries the full product name (wrapped, never cut), the OCOP mark and the lot code, in the npm typeface', async () => {
    const name = 'Nước mắm Phú Quốc Khải Hoàn 40 độ đạm thượng hạng';
    const code = generateStampCode(SECRET);
    const { pdf } = await renderPdf({ productName: name, lotCode: 'NMKH2611A', tagline: 'Tem truy xuất OCOP', stars: 4, labels: [{ code, url: url(code) }] });
    // Be Vietnam Pro from node_modules, embedded as a subset (tag + name), whatever fonts the machine has.
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+BeVietnamPro-/);
    const { png, text } = readBackSheet(pdf);
    expect(text).toContain(name);
    expect(text).not.toContain('…');
    expect(text).toContain('OCOP');
    expect(text).toContain('Lô NMKH2611A');
    expect(text).toContain('Tem truy xuất OCOP');
    expect(decodeLabel(png, 0)).toBe(url(code));
  });

  it.skipIf(!havePoppler)('the longest name a product may have (120 characters) prints whole, in English too, and the QR code still scans', async () => {
    const name = 'Trà Shan tuyết cổ thụ Hà Giang hữu cơ sao tay thủ công truyền thống của đồng bào Dao đỏ, hộp gỗ quà biếu Tết Nguyên Đán';
    expect(name.length).toBeGreaterThanOrEqual(118);
    const code = generateStampCode(SECRET);
    const { pdf } = await renderPdf({ productName: name, lotCode: 'TSTHG-2026-01', lotLabel: 'Lot', tagline: 'OCOP traceability stamp', stars: 5, labels: [{ code, url: url(code) }] });
    const { png, text } = readBackSheet(pdf);
    expect(text).toContain(name);
    expect(text).toContain('Lot TSTHG-2026-01');
    expect(text).not.toContain('…');
    expect(decodeLabel(png, 0)).toBe(url(code));
  });

  it.skipIf(!havePoppler)('nothing leaves the label: longest name, a 32-character code, a 20-character lot code and five stars', async () => {
    const name = 'Trà Shan tuyết cổ thụ Hà Giang hữu cơ sao tay thủ công truyền thống của đồng bào Dao đỏ, hộp gỗ quà biếu Tết Nguyên Đán';
    const code = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
    const { pdf } = await renderPdf({ productName: name, lotCode: 'TSTHG-2026-01-ABCDEF', tagline: 'Tem truy xuất OCOP', stars: 5, labels: [{ code, url: url(code) }] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bbox-'));
    try {
      fs.writeFileSync(path.join(dir, 'sheet.pdf'), pdf);
      const html = execFileSync('pdftotext', ['-bbox', path.join(dir, 'sheet.pdf'), '-']).toString();
      const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
        .map((m) => ({ x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), word: m[5] }));
      expect(words.map((w) => w.word).join(' ')).toContain(formatStampCode(code));
      const pt = 72 / 25.4; // label 0: 8 mm from the page's top-left corner, 38.8 × 40.1 mm
      const outside = words.filter((w) => w.x0 < 8 * pt || w.x1 > (8 + 38.8) * pt || w.y0 < 8 * pt || w.y1 > (8 + 40.14) * pt);
      expect(outside).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('yields to the event loop while a sheet is drawn (a server keeps answering scans)', async () => {
    const labels = Array.from({ length: LABELS_PER_PAGE * 2 }, () => { const code = generateStampCode(SECRET); return { code, url: url(code) }; });
    let turns = 0;
    let drawing = true;
    const spin = () => { turns++; if (drawing) setImmediate(spin); };
    setImmediate(spin);
    const pages: number[] = [];
    await renderPdf({ productName: 'Mắm tôm Lê Gia', lotCode: 'L7', tagline: 'Tem truy xuất OCOP', labels }, (done) => pages.push(done));
    drawing = false;
    expect(pages).toEqual([LABELS_PER_PAGE, LABELS_PER_PAGE * 2]);
    // A turn between labels (34 a page) and one after each page.
    expect(turns).toBeGreaterThanOrEqual(2 * LABELS_PER_PAGE);
  });
});

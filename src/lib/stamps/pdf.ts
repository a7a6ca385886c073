import zlib from 'node:zlib';
import type { TrueTypeFont } from './truetype.ts';

/**
 * A minimal PDF 1.7 writer for print sheets: pages of vector drawing operators and text in one
 * embedded TrueType font (Type0 / CIDFontType2, Identity-H, with a ToUnicode map so the text can
 * be searched and copied). Without a font it falls back to Helvetica and folds text to ASCII,
 * since the standard fonts cannot show Vietnamese diacritics.
 */
export const MM = 72 / 25.4;
export const A4 = { width: 210 * MM, height: 297 * MM };

export function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}

/** Removes diacritics for a font that lacks them: "Tem truy xuất" → "Tem truy xuat". */
export function foldToAscii(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]/g, '?');
}

export class PdfDocument {
  private pages: Buffer[] = [];
  private pageSizes: Array<{ width: number; height: number }> = [];
  private used = new Map<number, number>(); // glyph → code point

  private readonly font: TrueTypeFont | null;
  private readonly meta: { title?: string; creator?: string };

  constructor(font: TrueTypeFont | null, meta: { title?: string; creator?: string } = {}) {
    this.font = font;
    this.meta = meta;
  }

  get pageCount(): number {
    return this.pages.length;
  }

  /** Width of `text` at `size` points. */
  textWidth(text: string, size: number): number {
    const s = text.normalize('NFC');
    if (!this.font) return foldToAscii(s).length * size * 0.55;
    let units = 0;
    for (const ch of s) units += this.font.advance(this.font.glyphFor(ch.codePointAt(0)!));
    return (units * size) / this.font.unitsPerEm;
  }

  /** Operators that draw `text` with its baseline at (x, y), aligned on x. */
  text(text: string, x: number, y: number, size: number, align: 'left' | 'center' = 'left'): string {
    const s = text.normalize('NFC');
    const left = align === 'center' ? x - this.textWidth(s, size) / 2 : x;
    let encoded: string;
    if (this.font) {
      let hex = '';
      for (const ch of s) {
        const cp = ch.codePointAt(0)!;
        const glyph = this.font.glyphFor(cp);
        if (!this.used.has(glyph)) this.used.set(glyph, cp);
        hex += glyph.toString(16).padStart(4, '0');
      }
      encoded = `<${hex}>`;
    } else {
      encoded = `(${foldToAscii(s).replace(/[\\()]/g, '\\$&')})`;
    }
    return `BT /F1 ${num(size)} Tf ${num(left)} ${num(y)} Td ${encoded} Tj ET\n`;
  }

  /**
   * Breaks `text` into lines of at most `width` at spaces (a word longer than a line is split);
   * nothing is dropped.
   */
  wrap(text: string, size: number, width: number): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of text.normalize('NFC').split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (this.textWidth(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let rest = [...word];
      while (this.textWidth(rest.join(''), size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && this.textWidth(rest.slice(0, cut).join(''), size) > width) cut--;
        lines.push(rest.slice(0, cut).join(''));
        rest = rest.slice(cut);
      }
      line = rest.join('');
    }
    if (line) lines.push(line);
    return lines;
  }

  /** Cuts `text` with an ellipsis so that it fits `width`. */
  fit(text: string, size: number, width: number): string {
    if (this.textWidth(text, size) <= width) return text;
    const chars = [...text.normalize('NFC')];
    while (chars.length && this.textWidth(`${chars.join('')}…`, size) > width) chars.pop();
    return `${chars.join('').trimEnd()}…`;
  }

  addPage(content: string, size = A4): void {
    this.pages.push(zlib.deflateSync(Buffer.from(content, 'latin1'), { level: 6 }));
    this.pageSizes.push(size);
  }

  toBuffer(): Buffer {
    const chunks: Buffer[] = [];
    const offsets: number[] = [];
    let length = 0;
    const push = (b: Buffer | string) => {
      const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
      chunks.push(buf);
      length += buf.length;
    };
    const object = (id: number, body: string, stream?: Buffer) => {
      offsets[id] = length;
      push(`${id} 0 obj\n${body}\n`);
      if (stream) {
        push('stream\n');
        push(stream);
        push('\nendstream\n');
      }
      push('endobj\n');
    };
    push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');

    // 1 catalog, 2 page tree, 3 info, 4-8 font, then two objects per page.
    const firstPage = 9;
    const kids = this.pages.map((_, i) => `${firstPage + i * 2} 0 R`).join(' ');
    object(1, '<< /Type /Catalog /Pages 2 0 R >>');
    object(2, `<< /Type /Pages /Kids [${kids}] /Count ${this.pages.length} >>`);
    const pdfString = (s: string) => `<feff${Buffer.from(s, 'utf16le').swap16().toString('hex')}>`;
    object(3, `<< /Title ${pdfString(this.meta.title ?? '')} /Creator ${pdfString(this.meta.creator ?? '')} /Producer (cho-ocop) >>`);
    this.writeFont(object);
    this.pages.forEach((content, i) => {
      const id = firstPage + i * 2;
      const { width, height } = this.pageSizes[i]!;
      object(id, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(width)} ${num(height)}] /Resources << /Font << /F1 4 0 R >> >> /Contents ${id + 1} 0 R >>`);
      object(id + 1, `<< /Length ${content.length} /Filter /FlateDecode >>`, content);
    });

    const xrefAt = length;
    const count = firstPage + this.pages.length * 2;
    let xref = `xref\n0 ${count}\n0000000000 65535 f \n`;
    for (let id = 1; id < count; id++) xref += `${String(offsets[id] ?? 0).padStart(10, '0')} 00000 n \n`;
    push(xref);
    push(`trailer\n<< /Size ${count} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
    return Buffer.concat(chunks, length);
  }

  private writeFont(object: (id: number, body: string, stream?: Buffer) => void): void {
    const font = this.font;
    if (!font) {
      object(4, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
      for (const id of [5, 6, 7, 8]) object(id, 'null');
      return;
    }
    const scale = (v: number) => Math.round((v * 1000) / font.unitsPerEm);
    const glyphs = [...this.used.keys()].sort((a, b) => a - b);
    const widths = glyphs.map((g) => `${g} [${scale(font.advance(g))}]`).join(' ');
    const name = font.name.replace(/[^A-Za-z0-9-]/g, '');
    object(4, `<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /Identity-H /DescendantFonts [5 0 R] /ToUnicode 8 0 R >>`);
    object(5, `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /CIDToGIDMap /Identity /DW 600 /W [${widths}] >>`);
    object(6, `<< /Type /FontDescriptor /FontName /${name} /Flags 32 /FontBBox [${font.bbox.map(scale).join(' ')}] /ItalicAngle 0 /Ascent ${scale(font.ascent)} /Descent ${scale(font.descent)} /CapHeight ${scale(font.capHeight)} /StemV 80 /FontFile2 7 0 R >>`);
    const packed = zlib.deflateSync(font.bytes);
    object(7, `<< /Length ${packed.length} /Length1 ${font.bytes.length} /Filter /FlateDecode >>`, packed);
    const utf16 = (cp: number) => Buffer.from(String.fromCodePoint(cp), 'utf16le').swap16().toString('hex');
    let map = '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n';
    for (let i = 0; i < glyphs.length; i += 100) {
      const part = glyphs.slice(i, i + 100);
      map += `${part.length} beginbfchar\n${part.map((g) => `<${g.toString(16).padStart(4, '0')}> <${utf16(this.used.get(g)!)}>`).join('\n')}\nendbfchar\n`;
    }
    map += 'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n';
    const cmap = zlib.deflateSync(Buffer.from(map, 'latin1'));
    object(8, `<< /Length ${cmap.length} /Filter /FlateDecode >>`, cmap);
  }
}

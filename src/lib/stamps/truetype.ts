/**
 * The little of a TrueType file a PDF needs to embed it whole: character → glyph (cmap format 4
 * or 12), advance widths, and the metrics of the font descriptor. PDF's 14 standard fonts only
 * cover WinAnsi (Latin-1), which has no "ấ" or "ư": Vietnamese text needs an embedded font.
 */
export interface TrueTypeFont {
  bytes: Buffer;
  name: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  bbox: [number, number, number, number];
  glyphFor(codePoint: number): number;
  advance(glyph: number): number;
}

export function parseTrueType(bytes: Buffer): TrueTypeFont {
  const tables = new Map<string, { offset: number; length: number }>();
  const numTables = bytes.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    tables.set(bytes.toString('latin1', at, at + 4), { offset: bytes.readUInt32BE(at + 8), length: bytes.readUInt32BE(at + 12) });
  }
  const table = (tag: string) => {
    const t = tables.get(tag);
    if (!t) throw new Error(`font has no ${tag} table`);
    return t.offset;
  };
  const head = table('head');
  const unitsPerEm = bytes.readUInt16BE(head + 18);
  const bbox: [number, number, number, number] = [bytes.readInt16BE(head + 36), bytes.readInt16BE(head + 38), bytes.readInt16BE(head + 40), bytes.readInt16BE(head + 42)];
  const hhea = table('hhea');
  const ascent = bytes.readInt16BE(hhea + 4);
  const descent = bytes.readInt16BE(hhea + 6);
  const numberOfHMetrics = bytes.readUInt16BE(hhea + 34);
  const hmtx = table('hmtx');
  const os2 = tables.get('OS/2');
  const capHeight = os2 && bytes.readUInt16BE(os2.offset) >= 2 ? bytes.readInt16BE(os2.offset + 88) : Math.round(ascent * 0.7);

  const cmap = new Map<number, number>();
  const cmapAt = table('cmap');
  const subtables: Array<{ platform: number; encoding: number; offset: number }> = [];
  for (let i = 0; i < bytes.readUInt16BE(cmapAt + 2); i++) {
    const at = cmapAt + 4 + i * 8;
    subtables.push({ platform: bytes.readUInt16BE(at), encoding: bytes.readUInt16BE(at + 2), offset: cmapAt + bytes.readUInt32BE(at + 4) });
  }
  const pick = subtables.find((s) => bytes.readUInt16BE(s.offset) === 12 && (s.platform === 3 || s.platform === 0))
    ?? subtables.find((s) => bytes.readUInt16BE(s.offset) === 4 && ((s.platform === 3 && s.encoding === 1) || s.platform === 0));
  if (!pick) throw new Error('font has no Unicode cmap');
  const sub = pick.offset;
  if (bytes.readUInt16BE(sub) === 12) {
    const groups = bytes.readUInt32BE(sub + 12);
    for (let g = 0; g < groups; g++) {
      const at = sub + 16 + g * 12;
      const start = bytes.readUInt32BE(at), end = bytes.readUInt32BE(at + 4), glyph = bytes.readUInt32BE(at + 8);
      for (let c = start; c <= end && c < 0x30000; c++) cmap.set(c, glyph + c - start);
    }
  } else {
    const segX2 = bytes.readUInt16BE(sub + 6);
    const ends = sub + 14, starts = ends + segX2 + 2, deltas = starts + segX2, ranges = deltas + segX2;
    for (let s = 0; s < segX2 / 2; s++) {
      const end = bytes.readUInt16BE(ends + s * 2), start = bytes.readUInt16BE(starts + s * 2);
      const delta = bytes.readInt16BE(deltas + s * 2), rangeOffset = bytes.readUInt16BE(ranges + s * 2);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
        else {
          const at = ranges + s * 2 + rangeOffset + (c - start) * 2;
          glyph = bytes.readUInt16BE(at);
          if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
        }
        if (glyph) cmap.set(c, glyph);
      }
    }
  }

  let name = 'EmbeddedFont';
  const nameAt = tables.get('name')?.offset;
  if (nameAt !== undefined) {
    const count = bytes.readUInt16BE(nameAt + 2), strings = nameAt + bytes.readUInt16BE(nameAt + 4);
    for (let i = 0; i < count; i++) {
      const at = nameAt + 6 + i * 12;
      if (bytes.readUInt16BE(at + 6) !== 6) continue; // PostScript name
      const len = bytes.readUInt16BE(at + 8), off = strings + bytes.readUInt16BE(at + 10);
      const raw = bytes.subarray(off, off + len);
      const text = bytes.readUInt16BE(at) === 1 ? raw.toString('latin1') : Buffer.from(raw).swap16().toString('utf16le');
      if (/^[\x21-\x7e]+$/.test(text)) { name = text; break; }
    }
  }

  return {
    bytes, name, unitsPerEm, ascent, descent, capHeight, bbox,
    glyphFor: (cp) => cmap.get(cp) ?? 0,
    advance: (glyph) => bytes.readUInt16BE(hmtx + Math.min(glyph, numberOfHMetrics - 1) * 4),
  };
}

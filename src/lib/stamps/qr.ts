import QRCode from 'qrcode';

/** A QR symbol's module matrix (level M, like every printed stamp). */
export interface QrMatrix {
  version: number;
  size: number;
  dark(row: number, col: number): boolean;
}

/** Modules of light margin around a symbol (ISO/IEC 18004: at least 4). */
export const QUIET_ZONE = 4;

export function qrMatrix(text: string): QrMatrix {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  return { version: qr.version, size, dark: (r, c) => data[r * size + c] === 1 };
}

/** Horizontal runs of dark modules, [row, col, length]: far fewer shapes than one per module. */
export function darkRuns(m: QrMatrix): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  for (let r = 0; r < m.size; r++) {
    let start = -1;
    for (let c = 0; c <= m.size; c++) {
      const d = c < m.size && m.dark(r, c);
      if (d && start < 0) start = c;
      else if (!d && start >= 0) {
        runs.push([r, start, c - start]);
        start = -1;
      }
    }
  }
  return runs;
}

/** An SVG path of the dark modules in module units, origin at the symbol's top-left corner. */
export function qrPath(m: QrMatrix, offset = 0): string {
  return darkRuns(m).map(([r, c, n]) => `M${c + offset} ${r + offset}h${n}v1h-${n}z`).join('');
}

/** A stand-alone SVG of one QR code with its quiet zone, `scale` pixels per module. */
export function qrSvg(text: string, scale = 8): string {
  const m = qrMatrix(text);
  const side = m.size + QUIET_ZONE * 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="${side * scale}" height="${side * scale}" shape-rendering="crispEdges">`
    + `<rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${qrPath(m, QUIET_ZONE)}"/></svg>`;
}

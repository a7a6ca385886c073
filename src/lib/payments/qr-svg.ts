import QRCode from 'qrcode';

/** The VietQR payload as an inline SVG (no third-party image host), with a text alternative given by the page. */
export async function qrSvg(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
  return svg.replace('<svg ', '<svg role="img" aria-hidden="true" focusable="false" class="qr" ');
}

/** The same code as a PNG (for "save QR image": banking apps open a picture from the phone's gallery). */
export async function qrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 720, color: { dark: '#000000', light: '#ffffff' } });
}

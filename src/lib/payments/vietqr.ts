/**
 * VietQR (NAPAS 247 inter-bank transfer) payloads: EMVCo merchant-presented QR with NAPAS's
 * GUID A000000727 and the QRIBFTTA service (transfer to an account). Each data object is
 * ID (2 digits) + length (2 digits) + value; the payload ends with the CRC-16/CCITT-FALSE of
 * everything before it, "6304" included.
 */
export const NAPAS_GUID = 'A000000727';
export const SERVICE_TO_ACCOUNT = 'QRIBFTTA';
/** Point of initiation 12: the amount is fixed (the payer's app must not change it). */
export const POI_FIXED = '12';

export interface VietQrInput {
  bin: string;
  account: string;
  amount: number;
  /** Transfer note: ASCII, ≤ 25 characters, no diacritics, so banks keep it intact. */
  purpose: string;
}

export function tlv(id: string, value: string): string {
  if (!/^\d{2}$/.test(id)) throw new Error(`bad EMV id ${id}`);
  if (value.length > 99) throw new Error(`EMV field ${id} is longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

const PURPOSE = /^[\x20-\x7e]{1,25}$/;

export function buildVietQr(input: VietQrInput): string {
  if (!/^\d{6}$/.test(input.bin)) throw new Error('VietQR: the bank BIN has 6 digits');
  if (!/^[0-9A-Za-z]{1,19}$/.test(input.account)) throw new Error('VietQR: account number of 1-19 letters or digits');
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0 || String(input.amount).length > 13) throw new Error('VietQR: amount is a positive integer of đồng');
  if (!PURPOSE.test(input.purpose)) throw new Error('VietQR: purpose is printable ASCII, at most 25 characters');
  const beneficiary = tlv('00', input.bin) + tlv('01', input.account);
  const merchant = tlv('00', NAPAS_GUID) + tlv('01', beneficiary) + tlv('02', SERVICE_TO_ACCOUNT);
  const body =
    tlv('00', '01') +
    tlv('01', POI_FIXED) +
    tlv('38', merchant) +
    tlv('53', '704') +
    tlv('54', String(input.amount)) +
    tlv('58', 'VN') +
    tlv('62', tlv('08', input.purpose)) +
    '6304';
  return body + crc16(body);
}

/** Splits one level of EMV data objects; throws on a malformed length. */
export function parseTlv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    const id = text.slice(i, i + 2);
    const len = Number(text.slice(i + 2, i + 4));
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(text.slice(i + 2, i + 4)) || i + 4 + len > text.length) throw new Error(`malformed EMV data at ${i}`);
    out.set(id, text.slice(i + 4, i + 4 + len));
    i += 4 + len;
  }
  return out;
}

export interface DecodedVietQr {
  bin: string;
  account: string;
  service: string;
  pointOfInitiation: string;
  currency: string;
  amount: number | null;
  country: string;
  purpose: string | null;
  crcValid: boolean;
}

/** Reads a VietQR payload back (for tests and for checking what a customer scanned). */
export function decodeVietQr(payload: string): DecodedVietQr {
  const top = parseTlv(payload);
  const merchant = parseTlv(top.get('38') ?? '');
  if (merchant.get('00') !== NAPAS_GUID) throw new Error('not a NAPAS VietQR payload');
  const beneficiary = parseTlv(merchant.get('01') ?? '');
  const extra = top.has('62') ? parseTlv(top.get('62')!) : new Map<string, string>();
  const crcAt = payload.lastIndexOf('6304');
  return {
    bin: beneficiary.get('00') ?? '',
    account: beneficiary.get('01') ?? '',
    service: merchant.get('02') ?? '',
    pointOfInitiation: top.get('01') ?? '',
    currency: top.get('53') ?? '',
    amount: top.has('54') ? Number(top.get('54')) : null,
    country: top.get('58') ?? '',
    purpose: extra.get('08') ?? null,
    crcValid: crcAt === payload.length - 8 && crc16(payload.slice(0, crcAt + 4)) === payload.slice(crcAt + 4),
  };
}

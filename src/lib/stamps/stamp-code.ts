import crypto from 'node:crypto';

/**
 * Stamp serials: 64 random bits and a 30-bit keyed check (HMAC-SHA256 with STAMP_SECRET,
 * truncated), written in Crockford base32 (no I, L, O, U): 13 + 6 = 19 characters. The URL
 * https://<30-char host>/t/<code> is 60 bytes, inside a version-4 QR at level M (62 bytes).
 * A forged or mistyped code fails the check without touching the database.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAYLOAD_LENGTH = 13;
export const CHECK_LENGTH = 6;
export const CODE_LENGTH = PAYLOAD_LENGTH + CHECK_LENGTH;

function encode(bytes: Buffer, chars: number): string {
  let value = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let out = '';
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

function check(payload: string, secret: string): string {
  const mac = crypto.createHmac('sha256', secret).update(`ocop-stamp:${payload}`).digest();
  // First 30 bits of the MAC.
  return encode(Buffer.from([mac[0]! >> 2, ((mac[0]! & 3) << 6) | (mac[1]! >> 2), ((mac[1]! & 3) << 6) | (mac[2]! >> 2), ((mac[2]! & 3) << 6) | (mac[3]! >> 2)]), CHECK_LENGTH);
}

export function generateStampCode(secret: string): string {
  const payload = encode(crypto.randomBytes(8), PAYLOAD_LENGTH);
  return payload + check(payload, secret);
}

/**
 * What people type or scanners read: any case, spaces and dashes, and the look-alikes
 * O→0, I/L→1 (Crockford). Returns null for anything that cannot be a code.
 */
export function normalizeStampCode(input: string): string | null {
  const s = input
    .trim()
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const c of s) if (!ALPHABET.includes(c)) return null;
  return s;
}

/** True when the code's check matches: constant-time, no database needed. */
export function verifyStampCode(code: string, secret: string): boolean {
  const normal = normalizeStampCode(code);
  if (!normal) return false;
  const expected = Buffer.from(check(normal.slice(0, PAYLOAD_LENGTH), secret));
  return crypto.timingSafeEqual(expected, Buffer.from(normal.slice(PAYLOAD_LENGTH)));
}

/** For print: groups of four, easier to read out and type. */
export function formatStampCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-');
}

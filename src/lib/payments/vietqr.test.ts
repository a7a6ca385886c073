import { describe, expect, it } from 'vitest';
import { buildVietQr, crc16, decodeVietQr, parseTlv } from './vietqr.ts';

// Published in the README of github.com/subiz/vietqr: 120,000 đ to VietinBank (970415) account
// 0011001932418 with the note "ung ho lu lut" ("flood relief").
const PUBLISHED = '00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C';

describe('VietQR payload', () => {
  it('CRC-16/CCITT-FALSE matches the standard check value', () => {
    // The catalogue check value of CRC-16/CCITT-FALSE for "123456789" is 0x29B1.
    expect(crc16('123456789')).toBe('29B1');
    expect(crc16('')).toBe('FFFF');
  });

  it('decodes a published VietQR and finds its CRC valid', () => {
    expect(decodeVietQr(PUBLISHED)).toEqual({
      bin: '970415', account: '0011001932418', service: 'QRIBFTTA', pointOfInitiation: '12', currency: '704',
      amount: 120000, country: 'VN', purpose: 'ung ho lu lut', crcValid: true,
    });
  });

  it('rebuilds the published payload byte for byte from its fields', () => {
    expect(buildVietQr({ bin: '970415', account: '0011001932418', amount: 120000, purpose: 'ung ho lu lut' })).toBe(PUBLISHED);
  });

  it('builds the platform payload with every field in place (golden vector)', () => {
    const payload = buildVietQr({ bin: '970436', account: '0011004386868', amount: 1_250_000, purpose: 'OCOPK7Q2M9XD' });
    expect(payload).toBe(
      '000201' + '010212' +
      '3857' + '0010A000000727' + '0127' + '0006970436' + '01130011004386868' + '0208QRIBFTTA' +
      '5303704' + '54071250000' + '5802VN' + '6216' + '0812OCOPK7Q2M9XD' + '6304' + crc16(payload.slice(0, -4)),
    );
    expect(payload.slice(-4)).toMatch(/^[0-9A-F]{4}$/);
    expect(decodeVietQr(payload)).toMatchObject({ crcValid: true, amount: 1_250_000, purpose: 'OCOPK7Q2M9XD' });
  });

  it('detects a tampered amount through the CRC', () => {
    const tampered = PUBLISHED.replace('5406120000', '5406920000');
    expect(decodeVietQr(tampered).crcValid).toBe(false);
  });

  it('refuses notes a bank would mangle and nonsense amounts', () => {
    const base = { bin: '970415', account: '0011001932418', amount: 10000 };
    expect(() => buildVietQr({ ...base, purpose: 'ủng hộ' })).toThrow(/ASCII/);
    expect(() => buildVietQr({ ...base, purpose: 'X'.repeat(26) })).toThrow(/25/);
    expect(() => buildVietQr({ ...base, amount: 0, purpose: 'OK' })).toThrow(/amount/);
    expect(() => buildVietQr({ ...base, amount: 10.5, purpose: 'OK' })).toThrow(/amount/);
    expect(() => buildVietQr({ ...base, bin: '97041', purpose: 'OK' })).toThrow(/BIN/);
    expect(() => parseTlv('0005ab')).toThrow(/malformed/);
  });
});

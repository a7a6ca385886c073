import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';

describe('payment configuration', () => {
  it('has demo defaults for the VietQR collection account and refuses malformed values', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ VIETQR_BANK_BIN: '970436', VIETQR_ACCOUNT: '0011004386868', PAYOUT_FEE_BPS: 500, VIETQR_HOLD_HOURS: 48 });
    expect(c.STRIPE_SECRET_KEY).toBeUndefined();
    expect(() => loadConfig({ VIETQR_BANK_BIN: '9704' })).toThrow(/VIETQR_BANK_BIN/);
    expect(() => loadConfig({ VIETQR_ACCOUNT: 'có dấu' })).toThrow(/VIETQR_ACCOUNT/);
    expect(() => loadConfig({ STRIPE_API_BASE: 'not a url' })).toThrow(/STRIPE_API_BASE/);
    expect(loadConfig({ STRIPE_API_BASE: 'http://127.0.0.1:12111' }).STRIPE_API_BASE).toBe('http://127.0.0.1:12111');
  });
});

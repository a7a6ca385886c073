import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, shippingFee, zoneBetween } from './shipping.ts';

describe('shipping fees per producer part', () => {
  it('chooses the zone by province and region', () => {
    expect(zoneBetween('ha-noi', 'ha-noi')).toBe('local');
    expect(zoneBetween('ha-noi', 'quang-ninh')).toBe('region');
    expect(zoneBetween('ha-noi', 'ho-chi-minh')).toBe('national');
    expect(zoneBetween('can-tho', 'an-giang')).toBe('region');
  });

  it('charges the zone base up to the included weight, then per started kilogram', () => {
    const base = { from: 'ha-noi', to: 'ho-chi-minh', subtotal: 100_000, goods: true };
    expect(shippingFee({ ...base, weightGrams: 1000 }, DEFAULT_RULES)).toEqual({ zone: 'national', fee: 40_000, free: false });
    expect(shippingFee({ ...base, weightGrams: 1001 }, DEFAULT_RULES).fee).toBe(48_000);
    expect(shippingFee({ ...base, weightGrams: 3500 }, DEFAULT_RULES).fee).toBe(40_000 + 3 * 8_000);
    expect(shippingFee({ ...base, to: 'ha-noi', weightGrams: 500 }, DEFAULT_RULES).fee).toBe(20_000);
  });

  it('is free from the threshold and for experiences', () => {
    expect(shippingFee({ from: 'ha-noi', to: 'ca-mau', weightGrams: 9000, subtotal: 500_000, goods: true }, DEFAULT_RULES)).toMatchObject({ fee: 0, free: true });
    expect(shippingFee({ from: 'ha-noi', to: 'ca-mau', weightGrams: 9000, subtotal: 499_999, goods: true }, DEFAULT_RULES).free).toBe(false);
    expect(shippingFee({ from: 'ha-noi', to: 'ca-mau', weightGrams: 0, subtotal: 10_000, goods: false }, DEFAULT_RULES).fee).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { allocate, priceOrder } from './checkout.steps.ts';
import { DEFAULT_RULES } from './shipping.ts';
import type { ProductForSale, ResolvedLine } from './orders.types.ts';
import { formatVnd } from '../i18n/index.ts';

const product = (id: number, producerId: number, price: number, province = 'ha-noi', weightGrams = 500): ProductForSale => ({
  id, slug: `p${id}`, nameVi: `SP ${id}`, nameEn: `P ${id}`, price, weightGrams, kind: 'goods', stock: 100, image: null,
  producerId, producerSlug: `producer-${producerId}`, producerName: `Producer ${producerId}`, producerProvince: province,
});

describe('pricing an order', () => {
  it('splits a combo price over its components in proportion, adding up exactly', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(499_000, [85_000, 65_000, 150_000]).reduce((a, b) => a + b, 0)).toBe(499_000);
    expect(allocate(10, [0, 0])).toEqual([10, 0]);
  });

  it('groups lines by producer, sums demand per product across combos and single items, adds shipping per part', () => {
    const a = product(1, 10, 85_000, 'thanh-hoa');
    const b = product(2, 20, 65_000, 'thanh-hoa');
    const lines: ResolvedLine[] = [
      { kind: 'combo', slug: 'box', comboId: 7, name: { vi: 'Hộp', en: 'Box' }, unitPrice: 135_000, qty: 2, components: [{ product: a, qty: 1 }, { product: b, qty: 1 }] },
      { kind: 'product', slug: 'p1', comboId: null, name: { vi: 'SP 1', en: 'P 1' }, unitPrice: 85_000, qty: 1, components: [{ product: a, qty: 1 }] },
    ];
    const priced = priceOrder(lines, 'ha-noi', DEFAULT_RULES);
    expect(priced.demand).toEqual(new Map([[1, 3], [2, 2]]));
    expect(priced.parts.map((p) => p.producer.id)).toEqual([10, 20]);
    expect(priced.subtotal).toBe(2 * 135_000 + 85_000);
    // Thanh Hoa → Hanoi is another region: 40,000 đ for the first kg, + 8,000 đ per further kg.
    expect(priced.parts[0]).toMatchObject({ weightGrams: 1500, shippingFee: 48_000, zone: 'national' });
    expect(priced.parts[1]).toMatchObject({ weightGrams: 1000, shippingFee: 40_000 });
    expect(priced.total).toBe(priced.subtotal + 88_000);
    expect(formatVnd(priced.total, 'vi')).toBe('443.000\u00a0₫'); // Intl puts a no-break space before the symbol
    expect(formatVnd(priced.total, 'en')).toBe('₫443,000');
  });
});

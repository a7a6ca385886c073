import { describe, expect, it } from 'vitest';
import { allocate, priceOrder } from './checkout.steps.ts';
import { DEFAULT_RULES } from './shipping.ts';
import type { ProductForSale, ResolvedLine } from './orders.types.ts';
import { formatVnd } from '../i18n/index.ts';

const product = (id: number, producerId: number, price: number, province = 'ha-noi', weightGrams = 500): ProductForSale => ({
  id, slug: `p${id}`, nameVi: `SP ${id}`, nameEn: `P ${id}`, price, weightGrams, kind: 'goods', stock: 100, image: null,
  producerId, producerSlug: `producer-${producerId}`, producerName: `Producer ${producerId}`, producerProvince: province, block: null,
});
const shipper = (p: ProductForSale) => ({ kind: 'producer' as const, id: p.producerId, slug: p.producerSlug, name: p.producerName, province: p.producerProvince });

describe('pricing an order', () => {
  it('splits a combo price over its components in proportion, adding up exactly', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(499_000, [85_000, 65_000, 150_000]).reduce((a, b) => a + b, 0)).toBe(499_000);
    expect(allocate(10, [0, 0])).toEqual([10, 0]);
  });

  it('ships a combo as ONE parcel from its assembler with one fee, sums demand per product across combos and single items', () => {
    const a = product(1, 10, 85_000, 'thanh-hoa');
    const b = product(2, 20, 65_000, 'thanh-hoa');
    const c = product(3, 30, 150_000, 'ha-noi');
    const lines: ResolvedLine[] = [
      // Assembled by producer 10: its parcel holds producer 20's and 30's components too.
      { kind: 'combo', slug: 'box', comboId: 7, shipper: shipper(a), name: { vi: 'Hộp', en: 'Box' }, unitPrice: 270_000, qty: 1, components: [{ product: a, qty: 1 }, { product: b, qty: 1 }, { product: c, qty: 1 }] },
      { kind: 'product', slug: 'p2', comboId: null, shipper: shipper(b), name: { vi: 'SP 2', en: 'P 2' }, unitPrice: 65_000, qty: 1, components: [{ product: b, qty: 1 }] },
    ];
    const priced = priceOrder(lines, 'ha-noi', DEFAULT_RULES);
    expect(priced.demand).toEqual(new Map([[1, 1], [2, 2], [3, 1]]));
    expect(priced.parts.map((p) => p.producer.id)).toEqual([10, 20]);
    const box = priced.parts[0]!;
    expect(box.items.map((i) => i.product.producerId)).toEqual([10, 20, 30]);
    expect(box.items.reduce((s, i) => s + i.lineTotal, 0)).toBe(270_000);
    // Thanh Hoa → Hanoi is another region: 40,000 đ for the first kg, + 8,000 đ per further kg (1.5 kg).
    expect(box).toMatchObject({ subtotal: 270_000, weightGrams: 1500, shippingFee: 48_000, zone: 'national' });
    expect(priced.parts[1]).toMatchObject({ subtotal: 65_000, weightGrams: 500, shippingFee: 40_000 });
    expect(priced.total).toBe(270_000 + 65_000 + 88_000);
    expect(formatVnd(priced.total, 'vi')).toBe('423.000\u00a0₫'); // Intl puts a no-break space before the symbol
    expect(formatVnd(priced.total, 'en')).toBe('₫423,000');
  });

  it('ships a box packed by a point of sale as its own parcel from the point\'s province, apart from a producer with the same id', () => {
    const a = product(1, 10, 100_000, 'thanh-hoa');
    const b = product(2, 20, 100_000, 'ha-noi');
    const shop = { kind: 'point_of_sale' as const, id: 10, slug: 'shop', name: 'Shop', province: 'ha-noi' };
    const lines: ResolvedLine[] = [
      { kind: 'combo', slug: 'box', comboId: 7, shipper: shop, name: { vi: 'Hộp', en: 'Box' }, unitPrice: 180_000, qty: 1, components: [{ product: a, qty: 1 }, { product: b, qty: 1 }] },
      { kind: 'product', slug: 'p1', comboId: null, shipper: shipper(a), name: { vi: 'SP 1', en: 'P 1' }, unitPrice: 100_000, qty: 1, components: [{ product: a, qty: 1 }] },
    ];
    const priced = priceOrder(lines, 'ha-noi', DEFAULT_RULES);
    expect(priced.parts.map((p) => `${p.producer.kind}:${p.producer.id}`)).toEqual(['producer:10', 'point_of_sale:10']);
    // Hanoi → Hanoi is local: the box's fee is the point's, not Thanh Hoa's producer's.
    expect(priced.parts[1]).toMatchObject({ subtotal: 180_000, zone: 'local' });
    expect(priced.parts[0]).toMatchObject({ subtotal: 100_000, zone: 'national' });
    expect(priced.demand).toEqual(new Map([[1, 2], [2, 1]]));
  });
});

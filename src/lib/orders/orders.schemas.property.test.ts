import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileJson, hostileString, mutate } from '../../../tests/support/arbitraries.ts';
import { isProvince } from '../catalog/index.ts';
import { isAppError } from '../errors/index.ts';
import { createT } from '../i18n/index.ts';
import { MAX_LINES, MAX_QTY, normalizeVietnamesePhone, parseOrderInput } from './orders.schemas.ts';

const valid = {
  items: [{ slug: 'mam-tom-le-gia', qty: 2 }, { combo: 'qua-tet', qty: 1 }],
  customer: { name: 'Nguyễn Văn A', phone: '0912 345 678', email: 'a@example.vn', address: { line: '1 Tràng Tiền', commune: 'Hoàn Kiếm', province: 'Hà Nội' } },
  payment: 'cod',
  note: 'Giao giờ hành chính',
};
const PATHS = ['items', 'items.0', 'items.0.slug', 'items.0.qty', 'items.1.combo', 'customer', 'customer.name', 'customer.phone', 'customer.email', 'customer.address', 'customer.address.line', 'customer.address.province', 'payment', 'note', 'extra', '__proto__'];
const payload = fc.oneof(hostileJson, mutate(valid, PATHS), mutate(valid, PATHS).chain((v) => mutate(v as typeof valid, PATHS)));

describe('order payloads, for any JSON', () => {
  for (const locale of ['vi', 'en'] as const) {
    const t = createT(locale);
    it(`(${locale}) either parse into an order that satisfies every rule, or fail with a 400 naming the fields`, () => {
      fc.assert(fc.property(payload, (body) => {
        let order;
        try {
          order = parseOrderInput(body, t);
        } catch (err) {
          expect(isAppError(err) && err.status === 400 && err.code === 'orders.invalid').toBe(true);
          const fields = (err as { fields?: Record<string, string> }).fields!;
          expect(Object.keys(fields).length).toBeGreaterThan(0);
          for (const message of Object.values(fields)) expect(message).toMatch(/^[^{}]+$/); // translated, placeholders filled
          return;
        }
        expect(order.items.length).toBeGreaterThanOrEqual(1);
        expect(order.items.length).toBeLessThanOrEqual(MAX_LINES);
        for (const item of order.items) {
          expect(Number.isInteger(item.qty) && item.qty >= 1 && item.qty <= MAX_QTY).toBe(true);
          expect((item.slug === undefined) !== (item.combo === undefined)).toBe(true);
        }
        expect(order.customer.phone).toMatch(/^(0[35789]\d{8}|02\d{9})$/);
        expect(isProvince(order.customer.address.province)).toBe(true);
        expect(['cod', 'vietqr', 'card']).toContain(order.payment);
        expect(order.customer.name.trim()).toBe(order.customer.name);
        expect(order.customer.name.length).toBeGreaterThan(0);
      }), { numRuns: 3000 });
    });
  }

  it('regression: an unknown "__proto__" or "constructor" key is named in the 400, not swallowed', () => {
    const t = createT('en');
    for (const key of ['__proto__', 'constructor', 'toString']) {
      const body = JSON.parse(JSON.stringify(valid).replace(/^\{/, `{"${key}":null,`)) as unknown;
      expect(() => parseOrderInput(body, t)).toThrow();
      try {
        parseOrderInput(body, t);
      } catch (err) {
        expect(Object.keys((err as { fields: object }).fields)).toEqual([key]);
        expect(JSON.parse(JSON.stringify((err as { fields: object }).fields))).toEqual({ [key]: 'This field is not supported.' });
      }
    }
  });

  it('phone normalising never throws, yields a Vietnamese number, and is idempotent', () => {
    const phone = fc.oneof(hostileString(['0', '9', '1', '2', '3', '+84', '84', ' ', '.', '-', '(', ')', '0912345678', '02438251234'], 16), fc.string({ unit: 'binary' }));
    fc.assert(fc.property(phone, (s) => {
      const n = normalizeVietnamesePhone(s);
      if (n === null) return;
      expect(n).toMatch(/^(0[35789]\d{8}|02\d{9})$/);
      expect(normalizeVietnamesePhone(n)).toBe(n);
    }), { numRuns: 5000 });
  });

  it('phone numbers round-trip through the ways people write them (+84, 84, spaces, dots, dashes)', () => {
    const mobile = fc.tuple(fc.constantFrom('3', '5', '7', '8', '9'), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })).map(([p, d]) => `0${p}${d.join('')}`);
    fc.assert(fc.property(mobile, fc.constantFrom('', '+84', '84', '+84 '), fc.constantFrom('', ' ', '.', '-'), (n, prefix, sep) => {
      const body = prefix ? n.slice(1) : n;
      const written = prefix + body.replace(/(\d{3})(?=\d)/g, `$1${sep}`);
      expect(normalizeVietnamesePhone(written)).toBe(n);
    }), { numRuns: 1000 });
  });
});

import { describe, expect, it } from 'vitest';
import {
  alternatePath, createT, formatApprox, formatDate, formatDateTime, formatVnd, localePath, localized, messages, stripLocale, t,
  type MessageKey,
} from './index.ts';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('dictionaries', () => {
  const viKeys = Object.keys(messages.vi).sort();
  const enKeys = Object.keys(messages.en).sort();

  it('have identical key sets', () => {
    expect(enKeys).toEqual(viKeys);
  });

  it('use flat dotted lower-camel keys', () => {
    for (const key of viKeys) expect(key).toMatch(/^[a-z][a-zA-Z]*(\.[a-zA-Z_0-9]+)+$/);
  });

  it('have no empty strings', () => {
    for (const locale of ['vi', 'en'] as const) {
      for (const [key, value] of Object.entries(messages[locale])) {
        expect(value.trim(), `${locale}:${key}`).not.toBe('');
      }
    }
  });

  it('use the same {placeholders} in both languages', () => {
    for (const key of viKeys as MessageKey[]) {
      expect(placeholders(messages.en[key]), key).toEqual(placeholders(messages.vi[key]));
    }
  });

  it('give every plural key both forms', () => {
    for (const key of viKeys.filter((k) => k.endsWith('.one'))) {
      expect(viKeys).toContain(key.replace(/\.one$/, '.other'));
    }
  });
});

describe('t', () => {
  it('interpolates parameters and formats numbers for the locale', () => {
    expect(t('vi', 'pagination.page', { page: 3 })).toBe('Trang 3');
    expect(t('en', 'products.pageOf', { page: 2, pages: 1200 })).toBe('Page 2 of 1,200');
    expect(t('vi', 'products.pageOf', { page: 2, pages: 1200 })).toBe('Trang 2/1.200');
  });

  it('picks plural forms', () => {
    const en = createT('en');
    expect(en.plural('products.count', 1)).toBe('1 product');
    expect(en.plural('products.count', 2)).toBe('2 products');
    expect(createT('vi').plural('products.count', 1)).toBe('1 sản phẩm');
    expect(en.locale).toBe('en');
  });
});

describe('formatVnd', () => {
  it('remembers figures per locale: the same amount in both languages, in any order', () => {
    for (let i = 0; i < 3; i++) {
      expect(formatVnd(175000, 'en')).toMatch(/^₫\s?175,000$/);
      expect(formatVnd(175000, 'vi')).toMatch(/^175\.000\s₫$/);
    }
    expect(formatVnd(-0, 'vi')).toBe(new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 }).format(-0));
  });

  it('formats integer đồng for vi-VN', () => {
    const s = formatVnd(150000, 'vi');
    expect(s).toContain('150.000');
    expect(s).toContain('₫');
  });

  it('formats integer đồng for en', () => {
    const s = formatVnd(1250000, 'en');
    expect(s).toContain('1,250,000');
    expect(s).toContain('₫');
  });

  it('never shows decimals', () => {
    expect(formatVnd(0, 'vi')).toMatch(/^0\s₫$/);
  });
});

describe('formatApprox', () => {
  it('gives an indicative amount in the visitor currency, marked approximate', () => {
    expect(formatApprox(150_000, 'USD', 26_300, 'en')).toBe('≈ US$5.70');
    expect(formatApprox(2_630_000, 'USD', 26_300, 'en')).toBe('≈ US$100');
    expect(formatApprox(150_000, 'EUR', 30_000, 'en')).toBe('≈ €5.00');
  });

  it('gives nothing for an unusable rate', () => {
    expect(formatApprox(150_000, 'USD', 0, 'en')).toBeNull();
    expect(formatApprox(150_000, 'USD', Number.NaN, 'en')).toBeNull();
  });
});

describe('formatDate', () => {
  it('shows calendar dates as written, whatever the server time zone', () => {
    expect(formatDate('2023-02-24', 'vi')).toBe('24/02/2023');
    expect(formatDate('2023-02-24', 'en')).toBe('24 Feb 2023');
    expect(formatDate('2026-12-02', 'en')).toBe('2 Dec 2026');
  });

  it('shows timestamps in Vietnam time', () => {
    // 20:30 UTC is already the next day in Vietnam (UTC+7).
    expect(formatDate('2026-03-01T20:30:00Z', 'vi')).toBe('02/03/2026');
    expect(formatDate(new Date('2026-03-01T20:30:00Z'), 'en')).toBe('2 Mar 2026');
    expect(formatDateTime('2026-03-01T20:30:00Z', 'vi')).toBe('03:30 02/03/2026');
    expect(formatDateTime('2026-03-01T20:30:00Z', 'en')).toBe('2 Mar 2026, 03:30');
  });

  it('never writes an English date with numbers only (12/02 reads as 2 Dec or 12 Feb)', () => {
    for (const d of ['2026-12-02', '2026-02-12T10:00:00Z', new Date('2027-01-05T00:00:00Z')]) {
      expect(formatDate(d, 'en')).not.toMatch(/\d+\/\d+/);
      expect(formatDateTime(d, 'en')).not.toMatch(/\d+\/\d+/);
    }
  });

  it('returns unreadable input as given', () => {
    expect(formatDate('not a date', 'vi')).toBe('not a date');
  });
});

describe('paths', () => {
  it('prefixes English paths only', () => {
    expect(localePath('/products', 'en')).toBe('/en/products');
    expect(localePath('/', 'en')).toBe('/en');
    expect(localePath('/products', 'vi')).toBe('/products');
    expect(localePath('/en/products?page=2', 'vi')).toBe('/products?page=2');
    expect(localePath('/products?page=2#top', 'en')).toBe('/en/products?page=2#top');
  });

  it('strips the locale prefix', () => {
    expect(stripLocale('/en')).toEqual({ locale: 'en', path: '/' });
    expect(stripLocale('/en/products/x')).toEqual({ locale: 'en', path: '/products/x' });
    expect(stripLocale('/english-tea')).toEqual({ locale: 'vi', path: '/english-tea' });
    expect(stripLocale('/')).toEqual({ locale: 'vi', path: '/' });
  });

  it('switches language on the same page, keeping the query string', () => {
    const url = new URL('http://x/en/products?group=food&page=2');
    expect(alternatePath(url, 'vi')).toBe('/products?group=food&page=2');
    expect(alternatePath(new URL('http://x/products?stars=4'), 'en')).toBe('/en/products?stars=4');
  });

  it('falls back to Vietnamese text', () => {
    expect(localized({ vi: 'Mật ong', en: '' }, 'en')).toBe('Mật ong');
    expect(localized({ vi: 'Mật ong', en: 'Honey' }, 'en')).toBe('Honey');
  });
});

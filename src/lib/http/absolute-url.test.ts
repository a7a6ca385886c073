import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absoluteUrl } from './index.ts';

describe('absoluteUrl', () => {
  const origin = 'https://cho-ocop.vn';

  it('gives what the URL parser gives, for plain paths and for everything it must hand to the parser', () => {
    for (const path of [
      '/', '/en', '/products/mam-tom-le-gia', '/en/products?group=food&page=2', '/media/p/1.webp', '/a/b/../c', '/./x', '//evil.example/x',
      '/\\evil.example', '/sản-phẩm', '/a b', '/a#b', '/a?x=<y>', 'relative/path', 'https://other.example/x', '/%7Euser', '/.well-known/x', '/a/%2e%2e/b', '/a/%2E/b', '',
    ]) {
      expect(absoluteUrl(path, origin), path).toBe(new URL(path, origin).href);
    }
  });

  it('agrees with the URL parser on any string', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'/abc.-_~%?#&=:@ \\é'.split(''), '%2e', '%2E', '..'), maxLength: 20 }), (path) => {
      const outcome = (f: () => string) => {
        try {
          return f();
        } catch (error) {
          return `throws ${(error as { code?: string }).code}`;
        }
      };
      expect(outcome(() => absoluteUrl(path, origin))).toBe(outcome(() => new URL(path, origin).href));
    }), { numRuns: 5000 });
  });
});

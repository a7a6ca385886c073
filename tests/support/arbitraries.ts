import fc from 'fast-check';

/**
 * Hostile input for property tests of parsers: any Unicode (lone surrogates, NUL, controls,
 * combining marks, RTL), the look-alikes and separators our normalisers treat specially, and
 * fragments of real values, mixed so that near-valid input is generated as often as noise.
 */
const specials = ['\u0000', '\u0007', '\t', '\n', '\r', ' ', '\u00a0', '\u200b', '\ufeff', '\u202e', '\ud800', '\udfff', '-', '_', '.', '/', '%', '%2F', '%00', '%E0%A4%A', '..', '?', '#', '&', '=', ',', ';', '"', "'", '<', '>', '\\', '`', '$', '{', '}', '[', ']', 'O', 'o', 'I', 'i', 'L', 'l', 'ı', 'ß', 'ﬁ', 'đ', 'Đ', 'ắ', 'ệ', '０', '𝟘', '😀', 'e\u0301'];

export const hostileChar = fc.oneof(
  fc.constantFrom(...specials),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);

/** A string built from hostile characters and the given fragments (e.g. parts of valid values). */
export function hostileString(fragments: string[] = [], maxLength = 40): fc.Arbitrary<string> {
  const pieces = fragments.length ? fc.oneof({ weight: 3, arbitrary: hostileChar }, { weight: 1, arbitrary: fc.constantFrom(...fragments) }) : hostileChar;
  return fc.array(pieces, { maxLength }).map((parts) => parts.join(''));
}

/** Any JSON value, with hostile strings inside; `fc.anything()` adds non-JSON values (undefined, -0, symbols aside). */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.constantFrom(0, -1, 1, 99, 100, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308),
    hostileString(), fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'slug', 'qty', 'items')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Replaces one field of an object (by dotted path) with another value: near-valid payloads. */
export function mutate<T extends Record<string, unknown>>(valid: T, paths: string[]): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...paths), fc.oneof(hostileJson, fc.constant(undefined))).map(([p, value]) => {
    const copy = structuredClone(valid) as Record<string, unknown>;
    const keys = p.split('.');
    let target: Record<string, unknown> = copy;
    for (const k of keys.slice(0, -1)) {
      const inner = target[k];
      if (inner === null || typeof inner !== 'object') return copy; // an earlier mutation replaced the parent
      target = inner as Record<string, unknown>;
    }
    // An own property even for '__proto__', as JSON.parse makes it.
    Object.defineProperty(target, keys.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
    return copy;
  });
}

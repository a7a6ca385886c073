import { describe, expect, it } from 'vitest';
import { seedProducts } from '../../db/seed/demo-data.ts';

/**
 * Issue 16 item 7: the demo's weights hold together with what the unit says. The contents weigh
 * their grams, or their millilitres × the density the seed gives; the packaging adds a plausible
 * amount for its kind (a 500 ml bottle of fish sauce is ~600 g of sauce plus a bottle, not 800 g).
 */
/** Largest plausible packaging (g) for `net` grams of contents in `containers` of this kind. */
const PACKAGING: Array<{ kind: RegExp; max: (net: number, containers: number) => number }> = [
  { kind: /vial/, max: (_net, n) => 25 * n + 40 },
  { kind: /bottle/, max: (net, n) => 0.2 * net + 60 * n },
  { kind: /jar/, max: (net, n) => 0.4 * net + 100 * n },
  { kind: /box/, max: (net) => 0.3 * net + 80 },
  { kind: /bag|pack|per kg/, max: (net) => 0.1 * net + 40 },
];

/** What the unit holds: containers × quantity in g or ml ("box of 10 × 10 ml vials", "1 litre bottle", "per kg"). */
function contentsOf(unit: string): { amount: number; measure: 'g' | 'ml'; containers: number } | null {
  const m = /(?:(\d+)\s*×\s*)?(\d+(?:\.\d+)?)\s*(g|kg|ml|litre|l)\b/.exec(unit) ?? (/per kg/.test(unit) ? [unit, undefined, '1', 'kg'] : null);
  if (!m) return null;
  const n = Number(m[2]);
  const containers = m[1] ? Number(m[1]) : 1;
  const [amount, measure] = m[3] === 'kg' ? [n * 1000, 'g' as const] : m[3] === 'g' ? [n, 'g' as const] : m[3] === 'ml' ? [n, 'ml' as const] : [n * 1000, 'ml' as const];
  return { amount: amount * containers, measure, containers };
}

describe('demo data: weights match what the unit holds', () => {
  it('reads units', () => {
    expect(contentsOf('500 ml bottle')).toEqual({ amount: 500, measure: 'ml', containers: 1 });
    expect(contentsOf('1 litre bottle')).toEqual({ amount: 1000, measure: 'ml', containers: 1 });
    expect(contentsOf('box of 10 × 10 ml vials')).toEqual({ amount: 100, measure: 'ml', containers: 10 });
    expect(contentsOf('per kg')).toEqual({ amount: 1000, measure: 'g', containers: 1 });
    expect(contentsOf('piece')).toBeNull();
  });

  it('the rule refuses the weight the issue found (a 500 ml bottle of fish sauce at 800 g)', () => {
    const bottle = PACKAGING.find((p) => p.kind.test('500 ml bottle'))!;
    expect(800 - 500 * 1.2).toBeGreaterThan(bottle.max(600, 1));
    expect(750 - 500 * 1.2).toBeLessThanOrEqual(bottle.max(600, 1));
  });

  it.each(seedProducts.map((p) => ({ name: p.nameVi, unit: p.extra.unit_en, weight: p.extra.weight_grams, density: p.extra.density_g_per_ml, group: p.groupCode })))(
    '$name: $weight g for "$unit"',
    ({ unit, weight, density, group }) => {
      if (group === 'tourism') {
        // Experiences ship nothing.
        expect(weight).toBe(0);
        return;
      }
      expect(weight).toBeGreaterThan(0);
      const contents = contentsOf(unit);
      if (!contents) return; // pieces, sets and pots: no quantity on the label to compare with
      if (contents.measure === 'ml') {
        expect(density, 'a liquid needs its density (g/ml)').toBeDefined();
        expect(density).toBeGreaterThanOrEqual(0.8);
        expect(density).toBeLessThanOrEqual(1.5);
      } else expect(density, 'only liquids sold by volume have a density').toBeUndefined();
      const net = contents.measure === 'ml' ? contents.amount * density! : contents.amount;
      const packaging = weight - net;
      const kind = PACKAGING.find((p) => p.kind.test(unit));
      expect(kind, `a packaging kind for "${unit}"`).toBeDefined();
      // Something holds the contents, and it weighs what such packaging weighs.
      expect(packaging).toBeGreaterThanOrEqual(Math.max(5, 0.02 * net));
      expect(packaging).toBeLessThanOrEqual(kind!.max(net, contents.containers));
    },
  );
});

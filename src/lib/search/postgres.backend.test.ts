import { describe, expect, it } from 'vitest';
import { facetsOf, type Cube } from './postgres.backend.ts';

const cube: Cube = [
  ['food', 5, 'ha-noi', 3],
  ['food', null, 'ha-noi', 2],
  ['food', 4, 'thanh-hoa', 1],
  ['beverages', 5, 'thanh-hoa', 4],
  ['beverages', null, 'ha-noi', 1],
];
const none = { groups: [], stars: [], provinces: [] };

describe('facet counts from the cube', () => {
  it('counts everything without filters; products without a badge have no stars bucket', () => {
    expect(facetsOf(cube, none)).toEqual({
      total: 11,
      facets: { group: { beverages: 5, food: 6 }, stars: { 4: 1, 5: 7 }, province: { 'ha-noi': 6, 'thanh-hoa': 5 } },
    });
  });

  it('counts each dimension under the other dimensions\' filters only', () => {
    const { total, facets } = facetsOf(cube, { groups: ['food'], stars: [5], provinces: [] });
    expect(total).toBe(3);
    // Group counts ignore the group filter (disjunctive) but apply stars = 5.
    expect(facets.group).toEqual({ beverages: 4, food: 3 });
    // Stars counts ignore the stars filter but apply group = food.
    expect(facets.stars).toEqual({ 4: 1, 5: 3 });
    // Province counts apply both.
    expect(facets.province).toEqual({ 'ha-noi': 3 });
  });

  it('drops products without a badge once a stars filter is set', () => {
    expect(facetsOf(cube, { groups: [], stars: [4, 5], provinces: ['ha-noi'] }).total).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { councilResult } from './certification.service.ts';

describe('council result', () => {
  it.each([
    [29, 1], [30, 2], [49, 2], [50, 3], [69, 3], [70, 4], [89, 4], [90, 5],
  ])('an average of %d gives %d★ (DESIGN §2 bands)', (score, stars) => {
    expect(councilResult([score - 2, score, score + 2])).toMatchObject({ score, stars, spread: 4 });
  });

  it('averages to two decimals and reports the spread', () => {
    expect(councilResult([70, 71, 71])).toEqual({ score: 70.67, stars: 4, spread: 1 });
    expect(councilResult([60, 70.5])).toMatchObject({ spread: 10.5 });
  });
});

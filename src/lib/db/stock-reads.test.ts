import { describe, expect, it } from 'vitest';
import { noteStockRead, stockAsSeen, withStockReads } from './stock-reads.ts';

describe('stock reads of a rendering (issue 18)', () => {
  it('notes what a rendering read, through awaits, and nothing outside one', async () => {
    noteStockRead('outside', 5, 20);
    const reads = await withStockReads(async (r) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      noteStockRead('nuoc-mam', 12, 20);
      await Promise.resolve();
      noteStockRead('mat-ong', 400, 20);
      return r;
    });
    expect([...reads.values.keys()]).toEqual(['nuoc-mam', 'mat-ong']);
    expect(reads.conflict).toBe(false);
  });

  it('keeps concurrent renderings apart', async () => {
    const [a, b] = await Promise.all([
      withStockReads(async (r) => { await new Promise((x) => setTimeout(x, 5)); noteStockRead('a', 1, 20); return r; }),
      withStockReads(async (r) => { noteStockRead('b', 2, 20); await new Promise((x) => setTimeout(x, 1)); return r; }),
    ]);
    expect([...a.values.keys()]).toEqual(['a']);
    expect([...b.values.keys()]).toEqual(['b']);
  });

  it('figures above what a page tells apart are the same to it; a product read twice differently makes the page unkeepable', () => {
    expect(stockAsSeen(400, 20)).toBe(stockAsSeen(21, 20));
    expect(stockAsSeen(20, 20)).not.toBe(stockAsSeen(21, 20));
    expect(stockAsSeen(3, 20)).toBe(3);
    const same = withStockReads((r) => { noteStockRead('x', 400, 20); noteStockRead('x', 300, 20); return r; });
    expect(same.conflict).toBe(false);
    const differ = withStockReads((r) => { noteStockRead('x', 400, 20); noteStockRead('x', 4, 20); return r; });
    expect(differ.conflict).toBe(true);
    // A gift box of 3 units each tells component figures apart up to 62: the finer precision is kept.
    const box = withStockReads((r) => { noteStockRead('x', 50, 20); noteStockRead('x', 50, 62); return r; });
    expect(box.values.get('x')).toEqual({ stock: 50, upTo: 62 });
    const boxDiffers = withStockReads((r) => { noteStockRead('x', 50, 62); noteStockRead('x', 40, 20); return r; });
    expect(boxDiffers.conflict).toBe(true);
  });
});

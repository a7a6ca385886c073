import { describe, expect, it } from 'vitest';
import { labelTableCells } from './table-cards.ts';

describe('labelTableCells', () => {
  it('gives each body cell its column heading, colspans respected', () => {
    const html = '<table><thead><tr><th>Tên</th><th>Tỉnh &amp; xã</th><th></th></tr></thead><tbody>'
      + '<tr><td class="a">Gốm <b>Bát Tràng</b></td><td>Hà Nội</td><td><form></form></td></tr>'
      + '<tr><td colspan="2">trống</td><td>x</td></tr></tbody></table>';
    const out = labelTableCells(html);
    expect(out).toContain('<td data-label="Tên" class="a">Gốm <b>Bát Tràng</b></td>');
    expect(out).toContain('<td data-label="Tỉnh &amp; xã">Hà Nội</td>');
    expect(out).toContain('<td data-label=""><form></form></td>');
    expect(out).toContain('<td data-label="Tên" colspan="2">trống</td><td data-label="">x</td>');
  });

  it('leaves markup without a heading row alone', () => {
    const html = '<table><tbody><tr><td>1</td></tr></tbody></table>';
    expect(labelTableCells(html)).toBe(html);
  });
});

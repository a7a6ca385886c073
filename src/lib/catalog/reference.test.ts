import { describe, expect, it } from 'vitest';
import { findProvince, fold, groups, provinceForFormerName, provinces } from './reference.ts';

describe('reference data', () => {
  it('has the 34 provinces and 6 groups with 26 product sets', () => {
    expect(provinces).toHaveLength(34);
    expect(groups.map((g) => g.code).sort()).toEqual(['beverages', 'food', 'handicrafts', 'herbal', 'ornamentals', 'tourism']);
    expect(groups.reduce((n, g) => n + g.subgroups.length, 0)).toBe(26);
  });

  it.each([
    ['Hà Nội', 'ha-noi'], ['ha noi', 'ha-noi'], ['HANOI', 'ha-noi'], ['Thành phố Hồ Chí Minh', 'ho-chi-minh'],
    ['tp hồ chí minh', 'ho-chi-minh'], ['Đắk Lắk', 'dak-lak'], ['dak lak', 'dak-lak'], ['tỉnh Gia Lai', 'gia-lai'],
    ['da-nang', 'da-nang'], ['Hue City', 'hue'],
  ])('finds %s', (input, code) => {
    expect(findProvince(input)?.code).toBe(code);
  });

  it('does not accept former provinces or nonsense as a current province', () => {
    expect(findProvince('Bình Định')).toBeNull();
    expect(findProvince('')).toBeNull();
    expect(findProvince('x'.repeat(500))).toBeNull();
  });

  it('maps former provinces to the current one', () => {
    expect(provinceForFormerName('Bình Định')?.code).toBe('gia-lai');
    expect(provinceForFormerName('Kon Tum')?.code).toBe('quang-ngai');
    expect(provinceForFormerName('Hải Dương')?.code).toBe('hai-phong');
  });

  it('folds Vietnamese diacritics including đ', () => {
    expect(fold('Nước Mắm ĐÀ NẴNG')).toBe('nuoc mam da nang');
  });
});

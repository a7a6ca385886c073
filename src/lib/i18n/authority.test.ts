import { describe, expect, it } from 'vitest';
import { authorityName } from './authority.ts';

describe('authorityName', () => {
  it('translates ministries and people’s committees for English pages', () => {
    expect(authorityName('Bộ Nông nghiệp và Môi trường', 'en')).toBe('Ministry of Agriculture and Environment');
    expect(authorityName('Bộ Nông nghiệp và Phát triển nông thôn', 'en')).toBe('Ministry of Agriculture and Rural Development');
    expect(authorityName('UBND tỉnh Quảng Nam', 'en')).toBe('Quang Nam Provincial People’s Committee');
    expect(authorityName('UBND Thành phố Hà Nội', 'en')).toBe('Ha Noi City People’s Committee');
    expect(authorityName('UBND huyện Tây Sơn', 'en')).toBe('Tay Son District People’s Committee');
    expect(authorityName('UBND cấp huyện (huyện Tây Sơn, tỉnh Bình Định)', 'en')).toBe('District People’s Committee (Huyen Tay Son, Tinh Binh Dinh)');
  });

  it('keeps Vietnamese as written, and anything unknown as written', () => {
    expect(authorityName('UBND tỉnh Quảng Nam', 'vi')).toBe('UBND tỉnh Quảng Nam');
    expect(authorityName('Sở Công Thương', 'en')).toBe('Sở Công Thương');
  });
});

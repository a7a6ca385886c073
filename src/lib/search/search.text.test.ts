import { describe, expect, it } from 'vitest';
import { corrections, editDistance, joinCompounds, meiliSynonyms, parts, toTsQuery, words } from './search.text.ts';

const vocab = new Set(['nuoc', 'mam', 'phu', 'quoc', 'che', 'tra', 'tan', 'cuong', 'mat', 'ong', 'honey', 'cinnamon']);

describe('search text', () => {
  it('folds accents and đ, splits on anything that is not a letter or digit', () => {
    expect(words('Nước-mắm  Phú Quốc 40°N!')).toEqual(['nuoc', 'mam', 'phu', 'quoc', '40', 'n']);
    expect(words('Đặc sản ĐẮK LẮK')).toEqual(['dac', 'san', 'dak', 'lak']);
    expect(words("'; drop table products;--")).toEqual(['drop', 'table', 'products']);
    expect(words('😀🇻🇳 %_\\')).toEqual([]);
  });

  it('reads two-syllable compounds as one word, so their syllables match nothing alone', () => {
    expect(joinCompounds(words('Sơ chế và chế biến chè'))).toEqual(['0soche', 'va', '0chebien', 'che']);
    expect(joinCompounds(words('mật hoa dừa Trà Vinh'))).toEqual(['mat', 'hoa', 'dua', '0travinh']);
    expect(toTsQuery('chế biến', vocab)).toBe("'0chebien':*");
    expect(toTsQuery('che', vocab)).toBe("('che':* | 'tra':ABC | 'tea':ABC)");
  });

  it('measures edits with transpositions and stops early', () => {
    expect(editDistance('mamm', 'mam', 1)).toBe(1);
    expect(editDistance('nouc', 'nuoc', 1)).toBe(1);
    expect(editDistance('cinamon', 'cinnamon', 2)).toBe(1);
    expect(editDistance('abc', 'xyz', 1)).toBe(2);
  });

  it('corrects unknown words within the typo budget only', () => {
    expect(corrections('mamm', vocab)).toEqual(['mam']);
    expect(corrections('cinamon', vocab)).toEqual(['cinnamon']);
    expect(corrections('mam', vocab)).toEqual([]); // known
    expect(corrections('mx', vocab)).toEqual([]); // too short for a typo
    expect(corrections('hon', vocab, true)).toEqual([]); // a prefix of a known word while typing
  });

  it('finds synonym phrases, longest first', () => {
    expect(parts(words('nước mắm phú quốc'))[0]).toEqual({ words: ['nuoc', 'mam'], synonyms: [['mam'], ['fish', 'sauce']] });
    expect(parts(words('cafe'))[0]!.synonyms).toEqual([['ca', 'phe'], ['coffee']]);
  });

  it('builds a tsquery: all words, prefix on the last, typos and synonyms', () => {
    expect(toTsQuery('nuoc ma', vocab)).toBe("'nuoc' & 'ma':*");
    expect(toTsQuery('nuoc mamm', vocab)).toBe("'nuoc' & ('mamm':* | 'mam')");
    expect(toTsQuery('trà', vocab)).toBe("('tra':* | 'che':ABC | 'tea':ABC)");
    expect(toTsQuery('cà phê', vocab)).toBe("(('ca' & 'phe':*) | 'cafe':ABC | 'coffee':ABC)");
    expect(toTsQuery("o'neil", vocab)).toBe("'o' & 'neil':*");
    expect(toTsQuery('  !!! ', vocab)).toBeNull();
  });

  it('gives Meilisearch every variant of a synonym group, accented and folded', () => {
    const s = meiliSynonyms([['trà', 'chè']]);
    expect(s['trà']).toEqual(['tra', 'chè', 'che']);
    expect(s.che).toEqual(['trà', 'tra', 'chè']);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, isValidGtin } from '../catalog/index.ts';
import { buildDigitalLink, CSET82, encodeValue, gtinForms, parseDigitalLink } from './digital-link.ts';
import { linkset, linksFor } from './resolver.ts';

describe('GS1 check digits', () => {
  it('GTIN-8, -12, -13 and -14', () => {
    expect(isValidGtin('96385074')).toBe(true); // GTIN-8 example from GS1
    expect(isValidGtin('036000291452')).toBe(true); // UPC-A
    expect(isValidGtin('8934588012228')).toBe(true); // GTIN-13, Vietnam prefix 893
    expect(isValidGtin('09506000134352')).toBe(true); // GS1's Digital Link example GTIN-14
    expect(isValidGtin('8934588012229')).toBe(false);
    expect(isValidGtin('893458801222')).toBe(false);
    expect(gs1CheckDigit('950600013435')).toBe(2);
  });
});

describe('Digital Link parsing and building', () => {
  it('parses GTIN, lot and serial in order, percent-decoding values', () => {
    const r = parseDigitalLink('/01/09506000134352/10/AB%2F12%20/21/XYZ');
    expect(r.ok).toBe(false); // a space is not in CSET 82
    const ok = parseDigitalLink('/01/09506000134352/10/AB%2F12/21/XYZ');
    expect(ok).toMatchObject({ ok: true, link: { gtin: '09506000134352', lot: 'AB/12', serial: 'XYZ' }, isCanonical: true });
    expect(parseDigitalLink('/01/09506000134352/10/ABC/').ok).toBe(true); // trailing slash
  });
  it('returns the canonical 14-digit link for GTIN-8/12/13', () => {
    expect(parseDigitalLink('/01/8934588012228/10/L1')).toMatchObject({ ok: true, isCanonical: false, canonical: '/01/08934588012228/10/L1' });
    expect(parseDigitalLink('/01/96385074')).toMatchObject({ ok: true, canonical: '/01/00000096385074' });
    expect(parseDigitalLink('/01/036000291452')).toMatchObject({ ok: true, canonical: '/01/00036000291452' });
  });
  it('says why a link is invalid', () => {
    const why = (p: string) => { const r = parseDigitalLink(p); return r.ok ? 'ok' : r.error; };
    expect(why('/01/09506000134353')).toBe('check_digit');
    expect(why('/01/09506000134')).toBe('gtin_length');
    expect(why('/01/095060001343AB')).toBe('gtin_digits');
    expect(why('/02/09506000134352')).toBe('not_gtin');
    expect(why('/01/09506000134352/21/S1/10/L1')).toBe('qualifier_order');
    expect(why('/01/09506000134352/10/L1/10/L2')).toBe('qualifier_repeated');
    expect(why('/01/09506000134352/17/260101')).toBe('qualifier_unknown');
    expect(why('/01/09506000134352/10/')).toBe('value_missing');
    expect(why('/01/09506000134352/10/%E0%A4%A')).toBe('bad_encoding');
    expect(why('/01/09506000134352/10/L%C3%B4')).toBe('cset82');
    expect(why(`/01/09506000134352/21/${'A'.repeat(21)}`)).toBe('too_long');
    expect(why('/01/09506000134352/22/CPV1/10/L1/21/S1')).toBe('ok');
  });
  it('builds with percent-encoding and round-trips every CSET 82 character', () => {
    const cset = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
    expect(CSET82.test(cset)).toBe(true);
    for (let i = 0; i < cset.length; i += 20) {
      const lot = cset.slice(i, i + 20);
      const built = buildDigitalLink({ gtin: '8934588012228', lot, serial: 'A1' });
      expect(built.startsWith('/01/08934588012228/10/')).toBe(true);
      const back = parseDigitalLink(built);
      expect(back).toMatchObject({ ok: true, link: { lot, serial: 'A1' }, isCanonical: true });
    }
    expect(encodeValue("a/b c'")).toBe('a%2Fb%20c%27');
    expect(gtinForms('08934588012228')).toEqual(['08934588012228', '8934588012228']);
  });
});

describe('linkset', () => {
  const fixtures = path.resolve('tests/fixtures/gs1');
  const schema = JSON.parse(fs.readFileSync(path.join(fixtures, 'gs1-linkset-schema.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);

  it('the schema accepts GS1\'s valid example and refuses the invalid one (the test is real)', () => {
    expect(validate(JSON.parse(fs.readFileSync(path.join(fixtures, 'valid-gs1-example.json'), 'utf8')))).toBe(true);
    expect(validate(JSON.parse(fs.readFileSync(path.join(fixtures, 'invalid-gs1-example.json'), 'utf8')))).toBe(false);
  });

  it('validates, with exactly one default link (href and title only) and href, type, title, hreflang on every other link', () => {
    const origin = 'https://cho-ocop.example.vn';
    for (const target of [
      { link: { gtin: '08934588012228' }, lotId: null, code: null },
      { link: { gtin: '08934588012228', lot: 'L1' }, lotId: 7, code: null },
      { link: { gtin: '08934588012228', lot: 'L1', serial: 'X' }, lotId: 7, code: '7A5QW29FKCC0H8KWPFV' },
    ]) {
      const links = linksFor({ ...target, product: { slug: 'tra', name: { vi: 'Trà', en: 'Tea' } } }, origin);
      const set = linkset(`${origin}${buildDigitalLink(target.link)}`, links, 'Tea');
      expect(validate(set), JSON.stringify(validate.errors)).toBe(true);
      const ctx = set.linkset[0] as Record<string, unknown>;
      expect((ctx['https://gs1.org/voc/defaultLink'] as unknown[]).length).toBe(1);
      expect((ctx['https://gs1.org/voc/defaultLink'] as unknown[])[0]).toEqual({ href: expect.stringMatching(/^https:\/\//), title: expect.any(String) });
      for (const [rel, list] of Object.entries(ctx)) {
        if (!rel.startsWith('https://') || rel.endsWith('/defaultLink')) continue;
        for (const l of list as Array<Record<string, unknown>>) {
          expect(l).toEqual({ href: expect.stringMatching(/^https:\/\//), type: expect.any(String), title: expect.any(String), hreflang: [expect.stringMatching(/^(vi|en)$/)] });
        }
      }
      if (target.code) expect((ctx['https://gs1.org/voc/defaultLink'] as Array<{ href: string }>)[0]!.href).toBe(`${origin}/t/${target.code}`);
    }
  });
});

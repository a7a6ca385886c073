import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type postgres from 'postgres';
import { createT } from '../../src/lib/i18n/index.ts';
import { get, servers } from '../support/http.ts';
import { serverSql } from '../support/server-sql.ts';
import { issueStamps } from '../support/stamps.ts';

/**
 * Issue 16 item 5: what an English visitor reads is English. The demo's /en pages are crawled for
 * Vietnamese text: words carrying a Vietnamese letter (ă â đ ê ô ơ ư or a tone mark) that start in
 * lower case — a Vietnamese sentence, label or title always has some ("Phiếu kết quả", "Bộ Nông
 * nghiệp và Môi trường", "Kiểm tra sau công nhận") — while a proper name written with its accents
 * in English ("Tân Sơn Nhất Airport", "Bát Tràng ceramics") is capitalised and passes. Names and
 * addresses the data holds as written (a producer's name, a commune, an address, an event's place,
 * a decision number) are taken out first, and the few Vietnamese words English uses as they are
 * (đồng). A Vietnamese story, revocation reason or authority name on an English page fails the
 * test, naming the words and where they were.
 */
const VIETNAMESE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;
/** Words English keeps in Vietnamese: the New Year, the currency, and the language switcher's own name. */
const LOANWORDS = ['Tiếng Việt', 'Tết', 'đồng'];
const LOWER = /^[a-zăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/;

/** The visible text of a page's <main>: no scripts, styles, tags or attribute values. */
function mainText(html: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? html;
  return main
    .replace(/<(script|style|svg|template)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&').replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}

/** The words of `text` with a Vietnamese letter, once the allowed names are taken out. */
export function vietnameseLeft(text: string, allowed: string[]): string[] {
  let rest = text.normalize('NFC');
  // Longest first, so "xã Quảng Trung, Thanh Hóa" goes before "Thanh Hóa".
  for (const name of [...new Set(allowed.map((a) => a.normalize('NFC').trim()).filter((a) => a.length > 1))].sort((a, b) => b.length - a.length)) {
    rest = rest.split(name).join(' ');
  }
  return [...new Set(rest.split(/[\s,.;:!?()[\]{}"“”'‘’«»/·|—–-]+/).filter((w) => VIETNAMESE.test(w) && LOWER.test(w)))];
}

describe('vietnameseLeft', () => {
  it('finds Vietnamese words outside the allowed names, and only those', () => {
    const allowed = ['Cơ sở nước mắm Năm Quyên', 'xã Quảng Chính'];
    expect(vietnameseLeft('Made by Cơ sở nước mắm Năm Quyên in xã Quảng Chính.', allowed)).toEqual([]);
    expect(vietnameseLeft('Reason: Kiểm tra sau công nhận: bao bì sai.', allowed)).toEqual(['công', 'nhận', 'bì']);
    expect(vietnameseLeft('Issued by Bộ Nông nghiệp và Môi trường', allowed)).toEqual(['nghiệp', 'và', 'trường']);
    expect(vietnameseLeft('Document: Phiếu kết quả thử nghiệm lô A1', allowed)).toEqual(['kết', 'quả', 'thử', 'nghiệm', 'lô']);
    // Proper names keep their accents in English.
    expect(vietnameseLeft('OCOP counter, Tân Sơn Nhất Airport; Bát Tràng ceramics', allowed)).toEqual([]);
  });
});

describe.each(servers)('English pages of the demo on $name say everything in English', (server) => {
  const { url } = server;
  let sql: postgres.Sql;
  let allowed: string[];
  let revoked: { slug: string; producer: string };
  beforeAll(async () => {
    sql = serverSql(server);
    // Proper names and addresses as the data writes them (they are not translated, like "Hàng Bạc street").
    const names = await sql<Array<{ v: string | null }>>`
      select name as v from producers union select commune from producers union select address_line from producers
      union select historical_address from producers union select address_line from points_of_sale
      union select commune from points_of_sale union select historical_address from points_of_sale union select place_name from trace_events
      union select decision_number from certificates union select number from certificates`;
    const t = createT('vi');
    allowed = [...names.flatMap((n) => (n.v ? [n.v] : [])), ...LOANWORDS, t('lang.vi')];
    // The seed's revoked certificate (other suites on this server revoke others, this one stays).
    [revoked] = await sql<Array<{ slug: string; producer: string }>>`
      select p.slug, pr.slug as producer from certificates c join products p on p.id = c.product_id join producers pr on pr.id = p.producer_id
      where c.status = 'revoked' and c.revocation_code = 'packaging_label' order by c.id limit 1` as unknown as [{ slug: string; producer: string }];
  });
  afterAll(async () => {
    await sql?.end();
  });

  const check = async (path: string) => {
    const res = await get(url, path);
    expect(res.status, path).toBe(200);
    const html = await res.text();
    expect(html, path).toMatch(/<html[^>]+lang="en"/);
    const text = mainText(html);
    const left = vietnameseLeft(text, allowed);
    // Each word left with its surroundings, so a failure says where it was.
    const where = left.map((w) => { const i = text.indexOf(w); return `${w} «${text.slice(Math.max(0, i - 60), i + 60)}»`; });
    return { text, left: where };
  };

  it('home, a product, a producer, a combo', async () => {
    const [combo] = await sql<Array<{ slug: string }>>`select slug from combos where status = 'published' order by id limit 1`;
    const [withStory] = await sql<Array<{ slug: string; producer: string }>>`
      select p.slug, pr.slug as producer from products p join producers pr on pr.id = p.producer_id
      where p.story_vi <> '' and p.status = 'published' order by p.id limit 1`;
    for (const path of ['/en', `/en/products/${withStory!.slug}`, `/en/producers/${withStory!.producer}`, `/en/combos/${combo!.slug}`, `/en/products/${revoked.slug}`]) {
      const { text, left } = await check(path);
      expect(text.length, path).toBeGreaterThan(500);
      expect(left, `${path}: ${text.slice(0, 200)}`).toEqual([]);
    }
  });

  it('a revoked product: its product page and its stamp\'s provenance page give the reason in English, the JSON in both languages', async () => {
    const en = createT('en');
    const { text: product } = await check(`/en/products/${revoked.slug}`);
    expect(product).toContain(en('certificate.revocationReason', { reason: en('certificate.revocation.packaging_label') }));
    const [seeded] = await sql<Array<{ code: string }>>`
      select s.code from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id where p.slug = ${revoked.slug} and s.status <> 'voided' limit 1`;
    const code = seeded?.code ?? (await issueStamps(server, revoked.slug, 1)).stamps[0]!.code;
    const { text, left } = await check(`/en/t/${code}`);
    expect(text).toContain(en('certificate.revocationReason', { reason: en('certificate.revocation.packaging_label') }));
    expect(left, text.slice(0, 400)).toEqual([]);
    // The Vietnamese page keeps the office's note beside the label.
    const vi = mainText(await (await get(url, `/t/${code}`)).text());
    expect(vi).toContain(createT('vi')('certificate.revocation.packaging_label'));
    expect(vi).toContain('Kiểm tra sau công nhận');
    const json = await (await get(url, `/api/trace/${code}`)).json() as { standing: { revocation: { code: string; label: { en: string; vi: string } }; message: { en: string[] } } };
    expect(json.standing.revocation).toMatchObject({ code: 'packaging_label', label: { en: en('certificate.revocation.packaging_label') } });
    expect(vietnameseLeft(json.standing.message.en.join(' '), allowed)).toEqual([]);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MeilisearchBackend, PostgresSearchBackend, notifyCatalogChanged, parseSearchParams, reindexProducts,
  type SearchBackend,
} from '../../src/lib/search/index.ts';
import { setIndexMirror } from '../../src/lib/search/search.indexer.ts';
import type { ProductCard } from '../../src/lib/catalog/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

/**
 * One contract, every backend that is available: PostgreSQL always (PGlite and server), and
 * Meilisearch when something answers at MEILI_HOST (otherwise skipped with the reason printed).
 */
const database = useTestDatabase();

const meiliHost = process.env.MEILI_HOST;
async function meiliAnswers(): Promise<string | null> {
  if (!meiliHost) return 'MEILI_HOST is not set';
  try {
    const res = await fetch(new URL('/health', meiliHost), { signal: AbortSignal.timeout(1500) });
    return res.ok ? null : `${meiliHost}/health answered ${res.status}`;
  } catch (err) {
    return `nothing answers at ${meiliHost} (${err instanceof Error ? err.message : String(err)})`;
  }
}
const meiliSkip = await meiliAnswers();
if (meiliSkip) console.log(`Meilisearch contract run skipped (${target}): ${meiliSkip}.`);

type Make = () => Promise<SearchBackend>;
const backends: Array<[string, Make | null]> = [
  // Searches answered from the process's copy of the index (postgres.memory.ts), and the same
  // backend with no room for it: one statement per search.
  ['postgres', async () => new PostgresSearchBackend({ memoryMb: 64 })],
  ['postgres (one statement)', async () => new PostgresSearchBackend({ memoryMb: 0 })],
  ['meilisearch', meiliSkip ? null : async () => {
    const b = new MeilisearchBackend(meiliHost!, process.env.MEILI_API_KEY, `contract_${target}_${process.pid}`);
    await b.rebuild(database.get().db);
    setIndexMirror(b);
    return b;
  }],
];

const names = (hits: ProductCard[]) => hits.map((h) => h.name.vi);

describe.each(backends)(`search contract: %s backend (${target})`, (backendName, make) => {
  let backend: SearchBackend;
  const search = (qs: string) => backend.search(parseSearchParams(new URLSearchParams(qs)));
  const all = async (qs: string) => (await search(`${qs}&limit=100`));
  const listable = async () => {
    const [{ n }] = (await database.get().db.execute(sql`
      select count(*)::int as n from products p join producers pr on pr.id = p.producer_id
      where p.status = 'published' and pr.status <> 'suspended'
        and not exists (select 1 from certificates c where c.product_id = p.id and c.status = 'revoked')`)) as unknown as [{ n: number }];
    return n;
  };

  beforeAll(async () => {
    if (!make) return;
    backend = await make();
  }, 120_000);
  afterAll(async () => {
    if (backend instanceof MeilisearchBackend) {
      setIndexMirror(null);
      await backend.client.deleteIndexIfExists(backend.indexUid);
    }
  });
  const test = make ? it : it.skip;

  test('finds Vietnamese without accents, and with them', async () => {
    const plain = names((await all('q=nuoc mam')).hits);
    for (const n of ['Nước mắm Năm Quyên', 'Nước mắm cốt thượng hạng Mười Quý', 'Nước mắm Phú Quốc Khải Hoàn 40 độ đạm']) expect(plain).toContain(n);
    expect(names((await all('q=Nước mắm')).hits)).toEqual(expect.arrayContaining(plain.filter((n) => n.startsWith('Nước mắm'))));
    expect(names((await all('q=NƯỚC MẮM')).hits)).toContain('Nước mắm Năm Quyên');
    // đ folds to d.
    expect(names((await all('q=den ban may tre')).hits)).toContain('Đèn bàn mây tre Đức Phong');
  });

  test('ranks an accented exact match first', async () => {
    const hits = names((await all('q=chè')).hits);
    expect(hits.slice(0, 2).every((n) => n.toLowerCase().includes('chè'))).toBe(true);
    // "Ba Chẽ" folds to the same letters but is not what was typed.
    expect(hits.indexOf('Trà hoa vàng Ba Chẽ')).toBeGreaterThan(1);
    expect(names((await all('q=Ba Chẽ')).hits)[0]).toBe('Trà hoa vàng Ba Chẽ');
  });

  test('tolerates typos', async () => {
    expect(names((await all('q=nuoc mamm')).hits)).toContain('Nước mắm Năm Quyên');
    expect(names((await all('q=nouc mam')).hits)).toContain('Nước mắm Năm Quyên');
    expect(names((await all('q=cinamon')).hits)).toContain('Tinh dầu quế Trà My Minh Phúc');
  });

  test('matches the last word as a prefix while typing', async () => {
    expect(names((await all('q=nuoc ma')).hits)).toContain('Nước mắm Năm Quyên');
    expect(names((await all('q=mật o')).hits)).toEqual(expect.arrayContaining(['Mật ong Phương Di', 'Mật ong Bạc hà Tuấn Dũng']));
  });

  test('a syllable of an unrelated word is not a match: "che" is tea, not "chế biến" (processed) honey, rice or nem', async () => {
    // Meilisearch tokenises the stored text itself: compounds.json applies to the PostgreSQL documents.
    if (backendName === 'meilisearch') return;
    const che = await all('q=che');
    const hits = names(che.hits);
    expect(hits).toEqual(expect.arrayContaining(['Chè Đinh Tân Cương']));
    // (Coconut strips and coconut-blossom nectar do match: their descriptions say "làm chè", "nấu chè", chè the sweet soup.)
    for (const unrelated of ['Mật ong Phương Di', 'Mật ong Bạc hà Tuấn Dũng', 'Gạo DAKA', 'Nem Huấn Hồng', 'Nem chua Bà Lan', 'Tinh bột nghệ Bình Châu']) {
      expect(hits, unrelated).not.toContain(unrelated);
    }
    expect(che.total).toBe(che.hits.length);
    expect(Object.values(che.facets.group).reduce((a, b) => a + b, 0)).toBe(che.total);
    // The compound itself still finds what it describes, with or without accents.
    expect(names((await all('q=chế biến')).hits)).toContain('Tinh bột nghệ Bình Châu');
    expect(names((await all('q=che bien')).hits)).toContain('Nem Huấn Hồng');
    expect(names((await all('q=sơ chế')).hits)).toContain('Gạo DAKA');
    expect(names((await all('q=Trà Vinh')).hits)).toContain('Mật hoa dừa Trà Vinh FARM');
  });

  test('searches English names and descriptions', async () => {
    expect(names((await all('q=fish sauce')).hits)).toContain('Nước mắm Năm Quyên');
    expect(names((await all('q=honey')).hits)).toEqual(expect.arrayContaining(['Mật ong Phương Di']));
    expect(names((await all('q=weasel coffee')).hits)[0]).toBe('Cà phê Chồn Kiên Cường');
    expect(names((await all('q=ginseng')).hits)).toContain('Saphraton');
  });

  test('applies synonyms from the data file', async () => {
    const cafe = names((await all('q=cafe')).hits);
    expect(cafe).toEqual(expect.arrayContaining(['Cà phê Chồn Kiên Cường', 'Cà phê Chư Mui']));
    expect(names((await all('q=trà')).hits)).toEqual(expect.arrayContaining(['Chè Đinh Tân Cương', 'Trà hoa vàng Ba Chẽ']));
    expect(names((await all('q=chè')).hits)).toContain('Trà tôm nõn hương quê');
    expect(names((await all('q=mắm')).hits)).toEqual(expect.arrayContaining(['Nước mắm Năm Quyên', 'Mắm tôm Lê Gia']));
  });

  test('narrows with several words and ranks the best match first', async () => {
    const rice = await all('q=gạo');
    const organic = await all('q=gạo hữu cơ');
    expect(organic.total).toBeLessThan(rice.total);
    expect(names(organic.hits).every((n) => names(rice.hits).includes(n))).toBe(true);
    expect(names((await all('q=gao huu co an lo')).hits)[0]).toBe('Gạo hữu cơ An Lỗ');
    expect((await all('q=gạo nước mắm xyzzy')).total).toBe(0);
  });

  test('lists everything for an empty query', async () => {
    const res = await all('');
    expect(res.total).toBe(await listable());
  });

  test('shows expired certificates without the badge and keeps them out of the stars filter', async () => {
    const [row] = (await database.get().db.execute(sql`
      select p.name_vi, c.stars from products p join certificates c on c.product_id = p.id
      where c.status = 'active' and c.valid_until < current_date limit 1`)) as unknown as [{ name_vi: string; stars: number }];
    expect(row).toBeDefined();
    const hit = (await all(`q=${encodeURIComponent(row.name_vi)}`)).hits.find((h) => h.name.vi === row.name_vi);
    expect(hit).toMatchObject({ stars: null, certificateState: 'expired' });
    expect(names((await all(`stars=${row.stars}`)).hits)).not.toContain(row.name_vi);
  });

  test('combines the query with filters', async () => {
    const res = await all('q=mắm&group=food&stars=3,4,5&province=thanh-hoa');
    expect(res.total).toBeGreaterThan(0);
    for (const h of res.hits) {
      expect(h.group.code).toBe('food');
      expect(h.province.code).toBe('thanh-hoa');
      expect([3, 4, 5]).toContain(h.stars);
    }
    const price = await all('q=gạo&priceMin=30000&priceMax=120000');
    expect(price.hits.every((h) => h.price >= 30000 && h.price <= 120000)).toBe(true);
  });

  test('counts facets exactly: each under the query and the other filters', async () => {
    for (const qs of ['q=gạo', 'group=food', 'q=trà&stars=4,5', 'province=thanh-hoa&group=food']) {
      const res = await all(qs);
      const query = parseSearchParams(new URLSearchParams(qs));
      // Each dimension's counts equal what choosing that value (alone in its dimension) gives.
      for (const [dim, param] of [['group', 'group'], ['stars', 'stars'], ['province', 'province']] as const) {
        const without = new URLSearchParams(qs);
        without.delete(param);
        const base = await all(without.toString());
        const counts: Record<string, number> = {};
        for (const h of base.hits) {
          const key = dim === 'group' ? h.group.code : dim === 'province' ? h.province.code : h.stars === null ? null : String(h.stars);
          const passes = (dim !== 'group' && query.groups.length ? query.groups.includes(h.group.code) : true)
            && (dim !== 'stars' && query.stars.length ? query.stars.includes(h.stars ?? 0) : true)
            && (dim !== 'province' && query.provinces.length ? query.provinces.includes(h.province.code) : true);
          if (key !== null && passes) counts[key] = (counts[key] ?? 0) + 1;
        }
        expect(res.facets[dim], `${qs}: ${dim}`).toEqual(counts);
      }
    }
  });

  test('pages at the edges', async () => {
    const total = (await search('')).total;
    const first = await search('limit=1');
    expect(first.hits).toHaveLength(1);
    expect(first.pages).toBe(total);
    const last = await search(`limit=10&page=${Math.ceil(total / 10)}`);
    expect(last.hits).toHaveLength(total % 10 || 10);
    const beyond = await search(`limit=10&page=${Math.ceil(total / 10) + 1}`);
    expect(beyond).toMatchObject({ hits: [], total });
    expect((await search('page=999999999999')).hits).toEqual([]);
    expect((await search('page=0')).page).toBe(1);
    const seen = new Set<string>();
    for (let p = 1; p <= Math.ceil(total / 20); p++) for (const h of (await search(`limit=20&page=${p}&sort=price_asc`)).hits) seen.add(h.slug);
    expect(seen.size).toBe(total);
  });

  test('sorts by price, stars and newest, with or without a query', async () => {
    for (const q of ['', 'q=gạo&']) {
      const asc = (await all(`${q}sort=price_asc`)).hits.map((h) => h.price);
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      const desc = (await all(`${q}sort=price_desc`)).hits.map((h) => h.price);
      expect(desc).toEqual([...desc].sort((a, b) => b - a));
    }
    const stars = (await all('sort=stars')).hits.map((h) => h.stars ?? 0);
    expect(stars).toEqual([...stars].sort((a, b) => b - a));
    const [newest] = (await database.get().db.execute(sql`select p.name_vi from products p join producers pr on pr.id = p.producer_id
      where p.status = 'published' and pr.status <> 'suspended' and not exists (select 1 from certificates c where c.product_id = p.id and c.status = 'revoked')
      order by p.published_at desc nulls last, p.id desc limit 1`)) as unknown as [{ name_vi: string }];
    expect((await search('sort=newest&limit=1')).hits[0]!.name.vi).toBe(newest.name_vi);
  });

  test('handles Unicode edge cases', async () => {
    const nfc = names((await all('q=Nước mắm')).hits);
    expect(names((await all(`q=${encodeURIComponent('Nước mắm'.normalize('NFD'))}`)).hits)).toEqual(nfc);
    for (const q of ['😀🇻🇳', '\u200b\u200d', 'עברית', '中文', '\u0301\u0301', '%F0%9F%98%80nuoc']) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect(Array.isArray(res.hits)).toBe(true);
    }
    expect(names((await all(`q=${encodeURIComponent('nước\u00a0mắm')}`)).hits)).toContain('Nước mắm Năm Quyên');
  });

  test('treats SQL-like and huge input as text', async () => {
    for (const q of ["'; drop table products; --", "nuoc' or '1'='1", '%_\\', 'a:* & !b | (c', `${'nước mắm '.repeat(600)}`]) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect(Array.isArray(res.hits)).toBe(true);
    }
    expect(parseSearchParams(new URLSearchParams(`q=${'x'.repeat(5000)}`)).q).toHaveLength(200);
    expect((await search(`q=${encodeURIComponent(`nước mắm ${'x'.repeat(300)}`)}`)).total).toBe(0);
    const [{ n }] = (await database.get().db.execute(sql`select count(*)::int as n from products`)) as unknown as [{ n: number }];
    expect(n).toBeGreaterThan(0);
  });

  test('ignores unknown filter values', async () => {
    const plain = await search('q=gạo');
    expect((await search('q=gạo&group=weapons&province=atlantis&stars=9&sort=drop')).total).toBe(plain.total);
  });

  test('never lists revoked or suspended products, and a change shows within 2 s through the outbox', async () => {
    const { db } = database.get();
    const [revoked] = (await db.execute(sql`select p.name_vi from products p join certificates c on c.product_id = p.id where c.status = 'revoked' limit 1`)) as unknown as [{ name_vi: string }];
    expect(names((await all(`q=${encodeURIComponent(revoked.name_vi)}`)).hits)).not.toContain(revoked.name_vi);

    // Rename a product in a transaction that announces it; the running outbox worker reindexes it.
    const [p] = (await db.execute(sql`select id, producer_id, name_vi from products where name_vi = 'Gạo DAKA'`)) as unknown as [{ id: number; producer_id: number; name_vi: string }];
    const started = Date.now();
    await db.transaction(async (tx) => {
      await tx.execute(sql`update products set name_vi = 'Gạo DAKA Xuân Quỳnh' where id = ${p.id}`);
      await notifyCatalogChanged(tx, { productIds: [p.id] });
    });
    let found = false;
    while (!found && Date.now() - started < 2000) {
      found = names((await all('q=xuan quynh')).hits).includes('Gạo DAKA Xuân Quỳnh');
      if (!found) await new Promise((r) => setTimeout(r, 50));
    }
    expect(found, 'visible in search within 2 s').toBe(true);

    // Suspending the producer hides its products (same path).
    const before = (await search('')).total;
    await db.transaction(async (tx) => {
      await tx.execute(sql`update producers set status = 'suspended' where id = ${p.producer_id}`);
      await notifyCatalogChanged(tx, { producerIds: [p.producer_id] });
    });
    await reindexProducts(db, { producerIds: [p.producer_id] });
    expect(names((await all('q=xuan quynh')).hits)).not.toContain('Gạo DAKA Xuân Quỳnh');
    expect((await search('')).total).toBeLessThan(before);
    await db.transaction(async (tx) => {
      await tx.execute(sql`update producers set status = 'verified' where id = ${p.producer_id}`);
      await tx.execute(sql`update products set name_vi = ${p.name_vi} where id = ${p.id}`);
      await notifyCatalogChanged(tx, { producerIds: [p.producer_id] });
    });
    await reindexProducts(db, { producerIds: [p.producer_id] });
    expect((await search('')).total).toBe(before);
  });
});

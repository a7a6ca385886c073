import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { isValidGtin } from '../../src/lib/catalog/index.ts';
import { verifyPassword } from '../../src/lib/auth/password.ts';
import { stampSecret, verifyStampCode } from '../../src/lib/stamps/index.ts';
import { storage } from '../../src/lib/storage/index.ts';
import productsFile from '../../db/seed/ocop-products.json' with { type: 'json' };
import { ratingsInStory } from '../../db/seed/demo-data.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const q = async <T>(query: ReturnType<typeof sql>) => (await database.get().db.execute(query)) as unknown as T[];

describe(`demo data (${target})`, () => {
  it('has every product of the seed catalogue with its producer, in all six groups', async () => {
    const rows = await q<{ name_vi: string; group_code: string; province_code: string; producer: string }>(sql`
      select p.name_vi, p.group_code, pr.province_code, pr.name as producer from products p join producers pr on pr.id = p.producer_id`);
    expect(rows).toHaveLength(productsFile.products.length);
    expect(new Set(rows.map((r) => r.name_vi))).toEqual(new Set(productsFile.products.map((p) => p.name_vi)));
    expect(new Set(rows.map((r) => r.group_code)).size).toBe(6);
  });

  it('gives every product a valid GS1 GTIN-13 with prefix 893 and a distinct picture', async () => {
    const rows = await q<{ gtin: string; images: Array<{ url: string; width: number; height: number }> }>(sql`select gtin, images from products`);
    const urls = new Set<string>();
    const pictures = new Set<string>();
    for (const r of rows) {
      expect(r.gtin).toMatch(/^893\d{10}$/);
      expect(isValidGtin(r.gtin)).toBe(true);
      expect(r.images[0]).toMatchObject({ width: 800, height: 800 });
      urls.add(r.images[0]!.url);
      const stored = await storage().get(r.images[0]!.url.replace(/^\/media\//, ''));
      expect(stored?.contentType).toBe('image/svg+xml');
      const svg = stored!.data.toString();
      expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // no third-party hosts
      pictures.add(svg);
    }
    expect(urls.size).toBe(rows.length);
    expect(pictures.size).toBe(rows.length);
  });

  it('has realistic certificates: most valid, one expiring within 30 days, one expired, one revoked, with history', async () => {
    const rows = await q<{ state: string; n: number }>(sql`
      with current as (
        select distinct on (product_id) * from certificates where status <> 'superseded' order by product_id, issued_on desc, id desc)
      select case when status = 'revoked' then 'revoked'
                  when valid_until < (now() at time zone 'Asia/Ho_Chi_Minh')::date then 'expired'
                  when valid_until <= (now() at time zone 'Asia/Ho_Chi_Minh')::date + 30 then 'expiring'
                  else 'valid' end as state, count(*)::int as n
      from current group by 1`);
    const by = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    expect(by.expiring).toBeGreaterThanOrEqual(1);
    expect(by.expired).toBeGreaterThanOrEqual(1);
    expect(by.revoked).toBeGreaterThanOrEqual(1);
    expect(by.valid).toBeGreaterThan(productsFile.products.length / 2);
    const [history] = await q<{ n: number }>(sql`select count(*)::int as n from certificates where status = 'superseded'`);
    expect(history!.n).toBeGreaterThanOrEqual(2);
    const [revoked] = await q<{ reason: string | null; code: string | null }>(sql`select revocation_reason as reason, revocation_code as code from certificates where status = 'revoked'`);
    expect(revoked!.reason).toBeTruthy();
    expect(revoked!.code).toBe('packaging_label');
  });

  it('tells stories that match the certificates: every rating a story dates was issued that year with those stars, and every star count is the product\'s own', async () => {
    const products = await q<{ slug: string; story_vi: string; story_en: string; certs: Array<{ issued_on: string; stars: number; status: string }> }>(sql`
      select p.slug, p.story_vi, p.story_en,
        (select json_agg(json_build_object('issued_on', c.issued_on::text, 'stars', c.stars, 'status', c.status) order by c.issued_on) from certificates c where c.product_id = p.id) as certs
      from products p where p.story_vi <> ''`);
    let dated = 0;
    for (const p of products) {
      const certs = p.certs ?? [];
      const current = certs.filter((c) => c.status !== 'superseded').at(-1);
      // "N sao" / "N-star": the stars the product holds now (or held, when its certificate lapsed or was revoked).
      const told = [...p.story_vi.matchAll(/(?<!\d)([3-5]) sao/g), ...p.story_en.matchAll(/(?<!\d)([3-5])-star/g)].map((m) => Number(m[1]));
      for (const stars of told) expect(current?.stars, `${p.slug}: the story says ${stars}★`).toBe(stars);
      // "rated 3-star in 2022": a certificate of those stars issued that year, the newest still in force.
      for (const r of ratingsInStory(p.story_vi)) {
        dated++;
        expect(certs.some((c) => c.stars === r.stars && c.issued_on.startsWith(String(r.year))), `${p.slug}: ${r.stars}★ in ${r.year}, certificates ${JSON.stringify(certs)}`).toBe(true);
      }
      // The English story dates the same years as the Vietnamese one.
      const years = (s: string) => [...new Set(s.match(/\b20[12]\d\b/g) ?? [])].sort();
      expect(years(p.story_en), p.slug).toEqual(years(p.story_vi));
    }
    expect(dated).toBeGreaterThan(15);
  });

  it('derives every certificate from an evaluation whose members agree within 10 points and whose average gives the stars', async () => {
    const rows = await q<{ spread: number; avg: number; score: number; stars: number; cert_stars: number; members: number }>(sql`
      select max(s.score)::float8 - min(s.score)::float8 as spread, avg(s.score)::float8 as avg, e.score::float8 as score,
        e.stars, c.stars as cert_stars, count(*)::int as members
      from certificates c join evaluations e on e.id = c.evaluation_id join evaluation_scores s on s.evaluation_id = e.id
      group by c.id, e.id`);
    expect(rows.length).toBeGreaterThanOrEqual(productsFile.products.length);
    for (const r of rows) {
      expect(r.members).toBeGreaterThanOrEqual(3);
      expect(r.spread).toBeLessThanOrEqual(10);
      expect(Math.abs(r.avg - r.score)).toBeLessThan(0.01);
      expect(r.cert_stars).toBe(r.stars);
      expect(r.stars).toBe(r.score >= 90 ? 5 : r.score >= 70 ? 4 : 3);
    }
  });

  it('has 2–3 lots per product, each with an ordered trace timeline and one stamp run of genuine stamps', async () => {
    const lots = await q<{ product_id: number; n: number }>(sql`select product_id, count(*)::int as n from lots group by 1`);
    expect(lots).toHaveLength(productsFile.products.length);
    for (const l of lots) expect(l.n).toBeGreaterThanOrEqual(2), expect(l.n).toBeLessThanOrEqual(3);
    const [check] = await q<{ lots_without_events: number; lots_without_one_run: number }>(sql`
      select (select count(*)::int from lots l where not exists (select 1 from trace_events e where e.lot_id = l.id)) as lots_without_events,
             (select count(*)::int from lots l where (select count(*) from stamp_runs r where r.lot_id = l.id) <> 1) as lots_without_one_run`);
    expect(check).toEqual({ lots_without_events: 0, lots_without_one_run: 0 });
    const stamps = await q<{ code: string }>(sql`select code from stamps order by random() limit 50`);
    for (const s of stamps) expect(verifyStampCode(s.code, stampSecret())).toBe(true);
  });

  it('has at least six gift combos, each mixing producers', async () => {
    const rows = await q<{ slug: string; producers: number }>(sql`
      select c.slug, count(distinct p.producer_id)::int as producers
      from combos c join combo_items ci on ci.combo_id = c.id join products p on p.id = ci.product_id group by c.slug`);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const r of rows) expect(r.producers).toBeGreaterThanOrEqual(2);
  });

  it('has the demo accounts of DESIGN.md with the documented password', async () => {
    const users = await q<{ email: string; role: string; password_hash: string; slug: string | null }>(sql`
      select u.email, u.role, u.password_hash, pr.slug from users u left join producers pr on pr.id = u.producer_id`);
    const admin = users.find((u) => u.email === 'admin@ocop.local');
    expect(admin?.role).toBe('admin');
    expect(await verifyPassword('ocop-demo-2026', admin!.password_hash)).toBe(true);
    expect(await verifyPassword('wrong', admin!.password_hash)).toBe(false);
    const producers = users.filter((u) => u.role === 'producer');
    const [count] = await q<{ n: number }>(sql`select count(*)::int as n from producers`);
    expect(producers).toHaveLength(count!.n);
    for (const p of producers) expect(p.email).toBe(`${p.slug}@ocop.local`);
    // Per-user salts: no two hashes alike.
    expect(new Set(users.map((u) => u.password_hash)).size).toBe(users.length);
  });

  it('stores the current province and the historical address as written', async () => {
    const rows = await q<{ province_code: string; historical_address: string }>(sql`select province_code, historical_address from producers`);
    expect(rows.every((r) => r.province_code && r.historical_address)).toBe(true);
    expect(rows.some((r) => /huyện/.test(r.historical_address))).toBe(true);
  });
});

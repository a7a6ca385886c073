import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { get, getJson, servers } from '../support/http.ts';
import { issueStamps, type IssuedStamps } from '../support/stamps.ts';

/**
 * The GS1-Conformant resolver items of issue 17 (GS1 resolver 1.2, as GS1DL-resolver-testsuite checks
 * them), on each database. Every linkset served is validated against GS1's linkset schema.
 */
const root = process.cwd();
const validateLinkset = new Ajv({ strict: false }).compile(JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/gs1/gs1-linkset-schema.json'), 'utf8')));
// GS1's own toolkit, to compress links the way a label printer would.
const Toolkit = createRequire(import.meta.url)('digital-link.js/lib/GS1DigitalLinkCompressionPrototype/GS1DigitalLinkToolkit.js') as new () => {
  compressGS1DigitalLink(uri: string, useShortText: boolean, stem: string, uncompressedPrimary: boolean, optimise: boolean, compressOther: boolean): string;
};
const gs1 = new Toolkit();
const VOC = 'https://gs1.org/voc/';

async function linksetOf(url: string, p: string, init: RequestInit = {}) {
  const res = await get(url, p, { ...init, headers: { accept: 'application/linkset+json', ...(init.headers as Record<string, string> | undefined) } });
  expect(res.status, p).toBe(200);
  const body = await res.json() as { linkset: Array<Record<string, unknown>> };
  // The schema's anchor/href patterns want http(s) with a plain host: true of every test server.
  expect(validateLinkset(body), JSON.stringify(validateLinkset.errors)).toBe(true);
  return { res, body, ctx: body.linkset[0]! as Record<string, Array<Record<string, unknown>>> & { anchor: string } };
}

describe.each(servers)('GS1 resolver conformance on $name', ({ url, dataDir, databaseUrl }) => {
  let issued: IssuedStamps;
  let g14: string;
  let lotPath: string;
  let serialPath: string;
  let code: string;

  beforeAll(async () => {
    const { body } = await getJson<{ hits: Array<{ slug: string }> }>(url, '/api/search?limit=5');
    const slug = body.hits[1]!.slug;
    issued = await issueStamps({ dataDir, databaseUrl }, slug, 2);
    g14 = (await getJson<{ gtin: string }>(url, `/api/products/${slug}`)).body.gtin.padStart(14, '0');
    code = issued.stamps[0]!.code;
    lotPath = `/01/${g14}/10/${encodeURIComponent(issued.lot)}`;
    serialPath = `${lotPath}/21/${code}`;
  });

  it('1. a link type the item does not have is 404, with the linkset still named in the Link header', async () => {
    for (const p of [`/01/${g14}?linkType=gs1:nosuchlt`, `/01/${g14}?linkType=gs1:traceability`, `/01/${g14}?linkType=gs1:epcis`, `${lotPath}?linkType=nonsense`]) {
      const res = await get(url, p);
      expect(res.status, p).toBe(404);
      expect(res.headers.get('link'), p).toContain('rel="linkset"');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
    // The same types where the item has them still redirect.
    expect((await get(url, `${lotPath}?linkType=gs1:epcis`)).status).toBe(307);
  });

  it('2. an unknown lot walks up to the GTIN, an unknown serial up to its lot', async () => {
    const lot = await get(url, `/01/${g14}/10/NO-SUCH-LOT`);
    expect(lot.status).toBe(307);
    expect(lot.headers.get('location')).toMatch(new RegExp(`/products/${issued.product}$`));
    expect((await linksetOf(url, `/01/${g14}/10/NO-SUCH-LOT`)).ctx.anchor).toMatch(new RegExp(`/01/${g14}$`));

    const serial = await get(url, `${lotPath}/21/NOSUCHSERIAL1`);
    expect(serial.status).toBe(307);
    expect(serial.headers.get('location')).toMatch(/\/t\/lot\/\d+$/);
    const { ctx } = await linksetOf(url, `${lotPath}/21/NOSUCHSERIAL1`);
    expect(ctx.anchor).toMatch(new RegExp(`${lotPath}$`.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '$' ? c : `\\${c}`))));
    expect(ctx[`${VOC}epcis`]).toHaveLength(1);

    // A real serial under a lot it does not belong to: the serial is not trusted, the GTIN's links are served.
    const wrong = await get(url, `/01/${g14}/10/NOPE1/21/${code}`);
    expect(wrong.status).toBe(307);
    expect(wrong.headers.get('location')).not.toContain(code);
  });

  it('3. a serial without its lot finds its stamp', async () => {
    const res = await get(url, `/01/${g14}/21/${code}?utm_source=label`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toMatch(new RegExp(`/t/${code}\\?utm_source=label$`));
    const { ctx } = await linksetOf(url, `/01/${g14}/21/${code}`);
    expect(ctx[`${VOC}epcis`]).toHaveLength(1);
  });

  it('4. compressed Digital Links resolve like their uncompressed form, with CORS and owl:sameAs', async () => {
    const stem = 'https://id.example.vn';
    const compressed = gs1.compressGS1DigitalLink(`${stem}${serialPath}`, false, stem, false, true, true).slice(stem.length);
    expect(compressed).toMatch(/^\/[A-Za-z0-9_-]+$/);
    const res = await get(url, `${compressed}?utm_source=label`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toMatch(new RegExp(`/t/${code}\\?utm_source=label$`));
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('link')).toMatch(new RegExp(`<[^>]*${serialPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\?[^>]*)?>; rel="owl:sameAs"`));
    const { ctx } = await linksetOf(url, compressed);
    expect(ctx.anchor.endsWith(serialPath)).toBe(true);
    // The GTIN alone, and a lot.
    const product = gs1.compressGS1DigitalLink(`${stem}/01/${g14}`, false, stem, false, true, true).slice(stem.length);
    expect((await get(url, product)).headers.get('location')).toMatch(new RegExp(`/products/${issued.product}$`));
    const lot = gs1.compressGS1DigitalLink(`${stem}${lotPath}`, false, stem, false, true, true).slice(stem.length);
    expect((await get(url, lot)).headers.get('location')).toMatch(/\/t\/lot\/\d+$/);
    // A one-segment path that is not a compressed link is still the site's 404 page.
    const other = await get(url, '/khong-co-trang-nay');
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('text/html');
  });

  it('5. AIs in the query string are validated like the path: 400', async () => {
    for (const q of ['17=2612', '17=26AB31', '3103=12', '1234=x']) {
      const res = await get(url, `/01/${g14}?${q}`);
      expect(res.status, q).toBe(400);
      expect(await res.text()).toContain('AI');
    }
    const ok = await get(url, `/01/${g14}?17=261231`);
    expect(ok.status).toBe(307);
    expect(ok.headers.get('location')).toContain('17=261231');
  });

  it('6. the linkset\'s default link has href and title only; every level validates against GS1\'s schema', async () => {
    for (const p of [`/01/${g14}`, lotPath, serialPath, `${lotPath}?linkType=linkset`, `/01/${g14}?linkType=all`]) {
      const { ctx } = await linksetOf(url, p);
      const def = ctx[`${VOC}defaultLink`]!;
      expect(def).toHaveLength(1);
      expect(Object.keys(def[0]!).sort()).toEqual(['href', 'title']);
    }
  });

  it('7. Link header vocabulary, JSON-LD context, 300, q-values, ref.gs1.org link types, epcis type, error headers, OPTIONS and 405', async () => {
    // rel="linkset" (no owl:sameAs on an uncompressed request), JSON-LD context on linkset answers.
    const redirect = await get(url, lotPath);
    expect(redirect.headers.get('link')).toContain(`<${new URL(redirect.headers.get('link')!.match(/<([^>]+\?linkType=linkset)>/)![1]!).href}>; rel="linkset"; type="application/linkset+json"`);
    expect(redirect.headers.get('link')).not.toContain('owl:sameAs');
    const { res } = await linksetOf(url, lotPath);
    const ctxLink = /<([^>]+)>; rel="http:\/\/www\.w3\.org\/ns\/json-ld#context"; type="application\/ld\+json"/.exec(res.headers.get('link')!);
    expect(ctxLink).not.toBeNull();
    const description = await getJson<{ jsonLdContextLocation: string }>(url, '/.well-known/gs1resolver');
    expect(description.body.jsonLdContextLocation).toBe(ctxLink![1]);
    const context = await get(url, new URL(ctxLink![1]!).pathname);
    expect(context.headers.get('content-type')).toContain('application/ld+json');
    expect((await context.json() as Record<string, unknown>)['@context']).toBeTruthy();

    // Two links of the asked type match equally: the stamp's page and its lot's page.
    const tie = await get(url, `${serialPath}?linkType=gs1:traceability`);
    expect(tie.status).toBe(300);
    const choices = await tie.text();
    expect(choices).toContain(`/t/${code}`);
    expect(choices).toMatch(/\/t\/lot\/\d+/);

    // q-values: the linkset when preferred, not when refused; the language with the higher q.
    expect((await get(url, lotPath, { headers: { accept: 'text/html;q=0.5, application/linkset+json;q=0.9' } })).status).toBe(200);
    expect((await get(url, lotPath, { headers: { accept: 'application/linkset+json;q=0, text/html' } })).status).toBe(307);
    const en = await get(url, `${lotPath}?linkType=gs1:pip`, { headers: { 'accept-language': 'vi;q=0.3, en;q=0.9' } });
    expect(en.headers.get('location')).toMatch(new RegExp(`/en/products/${issued.product}$`));
    const vi = await get(url, `${lotPath}?linkType=gs1:pip`, { headers: { 'accept-language': 'en;q=0.2, vi' } });
    expect(vi.headers.get('location')).toMatch(new RegExp(`[^n]/products/${issued.product}$`));

    // https://ref.gs1.org/voc/ and https://gs1.org/voc/ name the same link types as gs1:.
    for (const lt of ['https://ref.gs1.org/voc/pip', 'https://gs1.org/voc/pip', 'gs1:pip']) {
      const r = await get(url, `${lotPath}?linkType=${encodeURIComponent(lt)}`);
      expect(r.status, lt).toBe(307);
      expect(r.headers.get('location'), lt).toMatch(new RegExp(`/products/${issued.product}$`));
    }

    // The epcis link's declared type is what the target serves.
    const epcis = await get(url, `${lotPath}?linkType=gs1:epcis`);
    const declared = /<[^>]+\/epcis>; rel="https:\/\/gs1\.org\/voc\/epcis"; type="([^"]+)"/.exec(epcis.headers.get('link')!)![1];
    const served = await get(url, new URL(epcis.headers.get('location')!).pathname);
    expect(served.headers.get('content-type')!.split(';')[0]).toBe(declared);

    // Error pages: the language they are written in, and Vary.
    const bad = await get(url, `/01/${g14}/foo`, { headers: { 'accept-language': 'en' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-language')).toBe('en');
    expect(bad.headers.get('vary')).toContain('Accept-Language');
    expect(await bad.text()).toContain('<html lang="en"');
    const missing = await get(url, `/01/${g14}?linkType=gs1:nosuchlt`, { headers: { 'accept-language': 'vi' } });
    expect(missing.headers.get('content-language')).toBe('vi');
    expect(missing.headers.get('vary')).toContain('Accept-Language');

    // OPTIONS on the description file; 405 (not 403) for other methods, here and on the resolver.
    const options = await get(url, '/.well-known/gs1resolver', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-methods')).toContain('GET');
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      for (const p of ['/.well-known/gs1resolver', lotPath]) {
        const r = await get(url, p, { method, headers: { 'content-type': 'application/json' }, body: method === 'DELETE' ? undefined : '{}' });
        expect(r.status, `${method} ${p}`).toBe(405);
        expect(r.headers.get('allow'), `${method} ${p}`).toBe('GET, HEAD, OPTIONS');
      }
    }
  });
});

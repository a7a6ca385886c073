import path from 'node:path';
import Ajv from 'ajv';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { get, getJson, servers } from '../support/http.ts';
import { issueStamps, type IssuedStamps } from '../support/stamps.ts';

const root = process.cwd();
const schema = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/gs1/gs1-linkset-schema.json'), 'utf8'));
const validateLinkset = new Ajv({ strict: false }).compile(schema);
const PHONE = 'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36';

describe.each(servers)('traceability on $name', ({ url, dataDir, databaseUrl }) => {
  let issued: IssuedStamps;
  let gtin: string;

  beforeAll(async () => {
    const { body } = await getJson<{ hits: Array<{ slug: string }> }>(url, '/api/search?limit=5');
    const slug = body.hits[0]!.slug;
    issued = await issueStamps({ dataDir, databaseUrl }, slug, 6);
    gtin = (await getJson<{ gtin: string }>(url, `/api/products/${slug}`)).body.gtin;
  });

  const scans = async (code: string) => (await getJson<{ scans: { count: number } }>(url, `/api/trace/${code}`)).body.scans.count;

  it('npm run stamps:issue prints { lot, stamps: [{ code, url }] } for a live site', () => {
    expect(issued.lot).toBeTruthy();
    expect(issued.stamps).toHaveLength(6);
    for (const s of issued.stamps) expect(s.url.endsWith(`/t/${s.code}`)).toBe(true);
  });

  it('/t/<code> puts the verdict first, stays under 30 KB without scripts, and counts one scan per GET, none for HEAD or previews', async () => {
    const { code } = issued.stamps[0]!;
    const res = await get(url, `/t/${code}`, { headers: { 'user-agent': PHONE, 'accept-language': 'vi-VN,vi;q=0.9' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(Buffer.byteLength(html)).toBeLessThan(30 * 1024);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(html))); // not chunked: one write
    expect(html).not.toMatch(/<script/i);
    expect(res.headers.get('content-language')).toBe('vi');
    const verdictAt = html.indexOf('Tem chính hãng');
    expect(verdictAt).toBeGreaterThan(0);
    expect(verdictAt).toBeLessThan(html.indexOf('<h1>'));
    for (const text of ['Hành trình của lô hàng', 'Chứng nhận OCOP', 'Mã tem', 'Hạn sử dụng', 'Tiêu chuẩn áp dụng']) expect(html).toContain(text);
    expect(await scans(code)).toBe(1);
    const head = await get(url, `/t/${code}`, { method: 'HEAD', headers: { 'user-agent': PHONE, 'accept-language': 'vi-VN,vi;q=0.9' } });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
    await (await get(url, `/t/${code}`, { headers: { 'user-agent': 'facebookexternalhit/1.1' } })).text();
    await (await get(url, `/t/${code}?lang=en`, { headers: { 'user-agent': PHONE } })).text();
    expect(await scans(code)).toBe(1);
    await (await get(url, `/t/${code}`, { headers: { 'user-agent': PHONE } })).text();
    expect(await scans(code)).toBe(2);
  });

  it('English from Accept-Language or /en, with a switch; lower-case and dashed codes redirect to the canonical URL', async () => {
    const { code } = issued.stamps[1]!;
    const en = await get(url, `/t/${code}`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    const html = await en.text();
    expect(en.headers.get('content-language')).toBe('en');
    expect(html).toContain('Genuine stamp');
    expect(html).toContain(`href="/t/${code}?lang=vi"`);
    expect(await (await get(url, `/en/t/${code}`)).text()).toContain('Genuine stamp');
    const dashed = await get(url, `/t/${code.toLowerCase().replace(/(.{4})/g, '$1-')}`);
    expect(dashed.status).toBe(301);
    expect(dashed.headers.get('location')).toBe(`/t/${code}`);
  });

  it('unknown and forged codes: 404 page with how to report, and 404 + verdict unknown from the API', async () => {
    const forged = `${issued.stamps[2]!.code.slice(0, 13)}ZZZZZZ`;
    const page = await get(url, `/t/${forged}`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Nghi ngờ hàng giả?');
    const api = await getJson<{ verdict: string }>(url, `/api/trace/${forged}`);
    expect(api.status).toBe(404);
    expect(api.body.verdict).toBe('unknown');
    expect((await getJson(url, '/api/trace/nonsense')).status).toBe(404);
  });

  it('GET /api/trace/<code> has the DESIGN §6 shape', async () => {
    const { body } = await getJson<Record<string, any>>(url, `/api/trace/${issued.stamps[3]!.code}`);
    expect(body).toMatchObject({ verdict: 'genuine', product: { slug: issued.product }, producer: { name: expect.any(String) }, lot: { code: issued.lot }, scans: { count: 0, firstAt: null } });
    expect(Array.isArray(body.events)).toBe(true);
    expect(body.certificate === null || typeof body.certificate.stars === 'number').toBe(true);
  });

  it('GS1 Digital Link: canonical redirects, link types, linkset, CORS, errors that say why', async () => {
    const g14 = gtin.padStart(14, '0');
    const short = await get(url, `/01/${gtin}`);
    expect(short.status).toBe(301);
    expect(short.headers.get('location')).toBe(`/01/${g14}`);
    const product = await get(url, `/01/${g14}/`, { headers: { 'accept-language': 'en' } });
    expect(product.status).toBe(307);
    expect(product.headers.get('location')).toMatch(new RegExp(`/en/products/${issued.product}$`));
    expect(product.headers.get('link')).toContain('https://gs1.org/voc/pip');
    expect(product.headers.get('access-control-allow-origin')).toBe('*');

    const { code } = issued.stamps[4]!;
    const serial = `/01/${g14}/10/${encodeURIComponent(issued.lot)}/21/${code}`;
    const toStamp = await get(url, `${serial}?utm_source=label`);
    expect(toStamp.status).toBe(307);
    expect(toStamp.headers.get('location')).toMatch(new RegExp(`/t/${code}\\?utm_source=label$`));
    const pip = await get(url, `${serial}?linkType=gs1:pip`);
    expect(pip.headers.get('location')).toMatch(new RegExp(`/products/${issued.product}$`));
    const epcis = await get(url, `${serial}?linkType=gs1:epcis`);
    expect(epcis.headers.get('location')).toMatch(/\/api\/trace\/lots\/\d+\/epcis$/);
    expect((await getJson(url, new URL(epcis.headers.get('location')!).pathname)).body).toMatchObject({ type: 'EPCISDocument' });

    const set = await get(url, serial, { headers: { accept: 'application/linkset+json' } });
    expect(set.status).toBe(200);
    expect(set.headers.get('content-type')).toContain('application/linkset+json');
    const body = await set.json();
    if (/^https?:\/\/[a-zA-z0-9./]+/.test(url)) expect(validateLinkset(body), JSON.stringify(validateLinkset.errors)).toBe(true);
    expect(body.linkset[0]['https://gs1.org/voc/defaultLink']).toHaveLength(1);
    expect((await get(url, `${serial}?linkType=linkset`)).status).toBe(200);

    const head = await get(url, serial, { method: 'HEAD' });
    expect(head.status).toBe(307);
    const options = await get(url, serial, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-methods')).toContain('GET');

    // A real serial under another lot is not trusted: the resolver walks up to the GTIN's links.
    const wrongLot = await get(url, `/01/${g14}/10/NOPE1/21/${code}`);
    expect(wrongLot.status).toBe(307);
    expect(wrongLot.headers.get('location')).not.toContain(code);
    const bad = await get(url, `/01/${g14.slice(0, 13)}${(Number(g14.at(-1)) + 1) % 10}`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Số kiểm tra');
    expect((await get(url, `/01/${g14}/21/X/10/L`)).status).toBe(400);
    const resolver = await getJson<{ resolverRoot: string; supportedPrimaryKeys: string[] }>(url, '/.well-known/gs1resolver');
    expect(resolver.body.supportedPrimaryKeys).toContain('01');
  });

  it('/verify works without JS: a typed code opens its page, a mistyped one says so', async () => {
    const { code } = issued.stamps[5]!;
    const ok = await get(url, `/verify?code=${encodeURIComponent(code.toLowerCase().replace(/(.{4})/g, '$1 '))}`);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(new RegExp(`/t/${code}\\?src=typed$`));
    const typo = await get(url, `/en/verify?code=${code.slice(0, 18)}${code[18] === 'A' ? 'B' : 'A'}`);
    expect(typo.status).toBe(400);
    expect(await typo.text()).toContain('No stamp has this code');
    const page = await get(url, '/verify');
    const html = await page.text();
    expect(html).toContain('<ocop-scanner');
    expect(html).not.toMatch(/cdn|unpkg|jsdelivr/i);
  });
});

import { describe, expect, it } from 'vitest';
import { get, getJson, servers } from '../support/http.ts';
import { decodeLabel, havePoppler, readBackSheet } from '../support/stamp-sheet.ts';

const PASSWORD = 'ocop-demo-2026';

async function signIn(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status, email).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

function send(url: string, path: string, method: string, cookie: string, body?: unknown) {
  return fetch(`${url}${path}`, {
    method, redirect: 'manual',
    headers: { cookie, origin: url, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function form(url: string, path: string, cookie: string, fields: Record<string, string>) {
  return fetch(`${url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

interface Run { id: number; count: number; lot: { id: number; code: string }; counts: { live: number; voided: number }; voidedAt: string | null; stamps: Array<{ code: string; url: string; status: string }>; sheets: { pdf: string; svg: string } }

/** A fresh lot of one of the producer's products (so runs never collide with other tests). */
async function newLot(url: string, cookie: string, product: string, quantity = 60): Promise<number> {
  const code = `H${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1000)}`.slice(0, 20);
  const res = await send(url, '/api/producer/lots', 'POST', cookie, { product, code, producedOn: '2026-02-01', quantity });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** The state of a run, as its owner sees it. */
async function runState(url: string, cookie: string, id: number) {
  const run = (await (await send(url, `/api/producer/stamp-runs/${id}`, 'GET', cookie)).json()) as Run;
  return { voidedAt: run.voidedAt, counts: run.counts, statuses: run.stamps.map((s) => s.status) };
}

/** A product page without the recommendation grids under it, which show other products' badges. */
const ownProduct = (html: string) => html.split('class="neighbours"')[0]!;

describe.each(servers)('stamp runs over HTTP on $name', ({ url }) => {
  it('POST /api/producer/stamp-runs issues a run (201 with codes and URLs); its sheets download as PDF and SVG', async () => {
    const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const lotId = await newLot(url, owner, 'mam-tom-le-gia');
    const res = await send(url, '/api/producer/stamp-runs', 'POST', owner, { lotId, count: 3 });
    expect(res.status).toBe(201);
    const run = (await res.json()) as Run;
    expect(res.headers.get('location')).toBe(`/api/producer/stamp-runs/${run.id}`);
    expect(run).toMatchObject({ count: 3, lot: { id: lotId }, counts: { live: 3 }, sheets: { pdf: `/api/producer/stamp-runs/${run.id}/sheet.pdf` } });
    for (const s of run.stamps) expect(s.url).toBe(`${url}/t/${s.code}`);
    const listed = (await (await send(url, `/api/producer/stamp-runs?lotId=${lotId}`, 'GET', owner)).json()) as { runs: Run[] };
    expect(listed.runs.map((r) => r.id)).toEqual([run.id]);

    const pdf = await get(url, run.sheets.pdf, { headers: { cookie: owner } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="stamps-mam-tom-le-gia-[^"]+-run${run.id}\\.pdf"`));
    expect(pdf.headers.get('cache-control')).toBe('no-store');
    const pdfBytes = Buffer.from(await pdf.arrayBuffer());
    expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
    if (havePoppler) {
      // What a printer gets: the product's full name with its diacritics, the lot code and the
      // tagline (text read back by poppler), and QR codes that a phone decodes to the run's stamps.
      const { png, text: printed } = readBackSheet(pdfBytes);
      expect(printed).toContain('Mắm tôm Lê Gia');
      expect(printed).toContain(`Lô ${run.lot.code}`);
      expect(printed).toContain('Tem truy xuất OCOP');
      expect([0, 1, 2].map((i) => decodeLabel(png, i))).toEqual(run.stamps.map((s) => s.url));
    }
    const svg = await get(url, `${run.sheets.svg}?lang=en`, { headers: { cookie: owner } });
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(svg.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.svg"/);
    const text = await svg.text();
    expect(text.match(/data-code="/g)).toHaveLength(3);
    expect(text).toContain('OCOP traceability stamp');

    const asPdf = await send(url, '/api/producer/stamp-runs', 'POST', owner, { lot: lotId, count: 36, format: 'pdf' });
    expect(asPdf.status).toBe(201);
    expect(asPdf.headers.get('content-type')).toBe('application/pdf');
    expect(asPdf.headers.get('x-sheet-pages')).toBe('2');
    expect((await get(url, run.sheets.pdf)).status).toBe(401);

    // The same with an API token (the producer's own tools).
    const page = await fetch(`${url}/dashboard/account`, { method: 'POST', headers: { cookie: owner, origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: '_action=token&name=Máy in tem' });
    const token = /data-testid="new-token">([^<]+)</.exec(await page.text())![1]!;
    const bearer = { authorization: `Bearer ${token}` };
    const viaToken = await fetch(`${url}/api/producer/stamp-runs`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ lotId, count: 2 }) });
    expect(viaToken.status).toBe(201);
    const tokenRun = (await viaToken.json()) as Run;
    const sheet = await fetch(`${url}${tokenRun.sheets.pdf}`, { headers: bearer });
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('x-sheet-labels')).toBe('2');
  });

  it('answers bad input with 400 and per-field errors', async () => {
    const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const lotId = await newLot(url, owner, 'mam-tom-le-gia', 10);
    const cases: Array<[unknown, Record<string, string>]> = [
      [{ lotId, count: 'many' }, { count: 'invalid' }],
      [{ lotId, count: 0 }, { count: 'too_small' }],
      [{ lotId, count: 5001 }, { count: 'max_run' }],
      [{ count: 5 }, { lot: 'required' }],
      [{ lotId, count: 31 }, { count: 'over_lot' }],
    ];
    for (const [body, fields] of cases) {
      const res = await send(url, '/api/producer/stamp-runs', 'POST', owner, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields).toMatchObject(fields);
    }
    const notJson = await fetch(`${url}/api/producer/stamp-runs`, { method: 'POST', headers: { cookie: owner, origin: url, 'content-type': 'text/plain' }, body: 'count=5' });
    expect(notJson.status).toBe(400);
    expect((await send(url, '/api/producer/stamp-runs/99999999999', 'GET', owner)).status).toBe(404);
    expect((await send(url, '/api/producer/stamp-runs/1/sheet.docx', 'GET', owner)).status).toBe(404);
  });

  it('keeps a producer out of another producer\'s runs and stamps, by API and by page URL, and changes nothing', async () => {
    const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const other = await signIn(url, 'cong-ty-khai-hoan@ocop.local');
    const lotId = await newLot(url, owner, 'mam-tom-le-gia');
    const run = (await (await send(url, '/api/producer/stamp-runs', 'POST', owner, { lotId, count: 4 })).json()) as Run;
    const before = await runState(url, owner, run.id);

    expect((await send(url, '/api/producer/stamp-runs', 'POST', other, { lotId, count: 4 })).status).toBe(404);
    expect(((await (await send(url, `/api/producer/stamp-runs?lotId=${lotId}`, 'GET', other)).json()) as { runs: unknown[] }).runs).toEqual([]);
    expect((await send(url, `/api/producer/stamp-runs/${run.id}`, 'GET', other)).status).toBe(404);
    expect((await send(url, run.sheets.pdf, 'GET', other)).status).toBe(404);
    expect((await send(url, run.sheets.svg, 'GET', other)).status).toBe(404);
    expect((await send(url, `/api/producer/stamp-runs/${run.id}/void`, 'POST', other, { reason: 'không phải của tôi' })).status).toBe(404);
    expect((await send(url, '/api/producer/stamps/void', 'POST', other, { codes: [run.stamps[0]!.code], reason: 'không phải của tôi' })).status).toBe(404);
    // The lot page and its forms.
    expect((await get(url, `/dashboard/lots/${lotId}`, { headers: { cookie: other } })).status).toBe(404);
    expect((await form(url, `/dashboard/lots/${lotId}`, other, { _action: 'stamps.issue', count: '5' })).status).toBe(404);
    expect((await form(url, `/dashboard/lots/${lotId}`, other, { _action: 'stamps.voidRun', run: String(run.id), reason: 'phá hoại' })).status).toBe(404);
    expect((await form(url, `/dashboard/lots/${lotId}`, other, { _action: 'stamps.voidStamps', codes: run.stamps[0]!.code, reason: 'phá hoại' })).status).toBe(404);
    const otherPage = await (await get(url, '/dashboard/stamps', { headers: { cookie: other } })).text();
    expect(otherPage).not.toContain(run.stamps[0]!.code);

    expect(await runState(url, owner, run.id)).toEqual(before);
    expect((await send(url, run.sheets.pdf, 'GET', owner)).status).toBe(200);
  });

  it('the lot page warns, as `npm run stamps:issue` does, that stamps issued here would point at this machine (no PUBLIC_BASE_URL)', async () => {
    const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const lotId = await newLot(url, owner, 'mam-tom-le-gia');
    const origin = new URL(url).origin;
    for (const [path, text] of [
      [`/dashboard/lots/${lotId}`, `mã QR trên tem sẽ trỏ tới ${origin}, điện thoại của người mua không mở được`],
      [`/en/dashboard/lots/${lotId}`, `the QR codes on these stamps will point to ${origin}, which buyers’ phones cannot reach`],
    ] as const) {
      const html = await (await get(url, path, { headers: { cookie: owner } })).text();
      const warning = /<p[^>]*data-testid="stamp-origin-warning"[^>]*>([^<]*)<\/p>/.exec(html);
      expect(warning, path).not.toBeNull();
      expect(warning![0]).toContain('role="alert"');
      expect(warning![1]!.replace(/&#39;|&rsquo;/g, '’')).toContain(text);
      expect(warning![1]).toContain('PUBLIC_BASE_URL');
      // It stands above the issuing form, where the run would be printed.
      expect(html.indexOf('data-testid="stamp-origin-warning"')).toBeLessThan(html.indexOf('value="stamps.issue"'));
    }
  });

  it('the lot page issues, confirms and voids without JS', async () => {
    const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const lotId = await newLot(url, owner, 'mam-tom-le-gia');
    const page = `/dashboard/lots/${lotId}`;
    const issued = await form(url, page, owner, { _action: 'stamps.issue', count: '12', note: 'tem nắp' });
    expect(issued.status).toBe(303);
    const location = issued.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${page}\\?done=issued&count=12&run=\\d+#lot-stamps$`));
    const runId = Number(/run=(\d+)/.exec(location)![1]);
    const html = await (await get(url, location, { headers: { cookie: owner } })).text();
    expect(html).toContain('Đã phát hành 12 tem');
    expect(html).toContain(`href="/api/producer/stamp-runs/${runId}/sheet.pdf"`);
    expect(html).toContain(`href="?voidRun=${runId}#void-run"`);

    const tooMany = await form(url, page, owner, { _action: 'stamps.issue', count: '999' });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain('Vượt quá số tem lô này có thể có');

    const confirm = await (await get(url, `${page}?voidRun=${runId}`, { headers: { cookie: owner } })).text();
    expect(confirm).toContain('id="void-run"');
    expect(confirm).toContain('name="_action" value="stamps.voidRun"');
    const noReason = await form(url, page, owner, { _action: 'stamps.voidRun', run: String(runId), reason: '' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('id="void-run"');

    const codes = ((await (await send(url, `/api/producer/stamp-runs/${runId}`, 'GET', owner)).json()) as Run).stamps.map((s) => s.code);
    const check = await form(url, page, owner, { _action: 'stamps.previewVoid', codes: `${codes[0]}\n${codes[1]!.toLowerCase()}`, reason: 'rách khi dán' });
    expect(check.status).toBe(200);
    const checked = await check.text();
    expect(checked).toContain('name="_action" value="stamps.voidStamps"');
    expect((await runState(url, owner, runId)).counts.voided).toBe(0);
    const body = new URLSearchParams([['_action', 'stamps.voidStamps'], ['codes', codes[0]!], ['codes', codes[1]!], ['reason', 'rách khi dán']]);
    const voided = await fetch(`${url}${page}`, { method: 'POST', redirect: 'manual', headers: { cookie: owner, origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(voided.status).toBe(303);
    expect((await runState(url, owner, runId)).counts).toMatchObject({ voided: 2, live: 10 });

    const all = await form(url, page, owner, { _action: 'stamps.voidRun', run: String(runId), reason: 'in nhầm sản phẩm' });
    expect(all.status).toBe(303);
    expect(all.headers.get('location')).toContain('done=run_voided&count=10');
    expect((await runState(url, owner, runId)).voidedAt).not.toBeNull();
    expect((await send(url, `/api/producer/stamp-runs/${runId}/sheet.pdf`, 'GET', owner)).status).toBe(409);
    const trace = await getJson<{ verdict: string }>(url, `/api/trace/${codes[5]}`);
    expect(trace.body.verdict).toBe('voided');
  });

  it('/dashboard/stamps and the overview show scan warnings in both languages', async () => {
    const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
    for (const [path, heading] of [['/dashboard/stamps', 'Tem và lượt quét'], ['/en/dashboard/stamps', 'Stamps and scans'], ['/dashboard', 'Cảnh báo tem'], ['/en/dashboard', 'Stamp warnings']] as const) {
      const res = await get(url, path, { headers: { cookie: owner } });
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html).toContain(heading);
      expect(html).toContain('id="stamp-warnings"');
      expect(html).toMatch(/href="(\/en)?\/dashboard\/stamps"/);
    }
  });

  it('a revocation takes the OCOP badge off the product page, the search results and the provenance page of its stamps', async () => {
    const office = await signIn(url, 'admin@ocop.local');
    // A 4-star product outside the food group (other suites count 5-star food), with the first slug in order.
    const { body: found } = await getJson<{ hits: Array<{ slug: string; group: string }> }>(url, '/api/search?stars=4&limit=50&sort=newest');
    const slug = found.hits.filter((h) => h.group !== 'food').map((h) => h.slug).sort()[0]!;
    const { body: product } = await getJson<{ name: string; stars: number; certificate: { number: string }; producer: { slug: string } }>(url, `/api/products/${slug}`);
    expect(product.stars).toBe(4);
    const producer = await signIn(url, `${product.producer.slug}@ocop.local`);
    const lotId = await newLot(url, producer, slug);
    const run = (await (await send(url, '/api/producer/stamp-runs', 'POST', producer, { lotId, count: 1 })).json()) as Run;
    const stamp = `/t/${run.stamps[0]!.code}`;
    const searchPath = `/api/search?q=${encodeURIComponent(product.name)}&stars=4`;
    const inSearch = async () => {
      const { body } = await getJson<{ hits: Array<{ slug: string; stars: number | null }>; total: number; facets: { stars: Record<string, number> } }>(url, searchPath);
      return { hit: body.hits.find((h) => h.slug === slug), total: body.total };
    };
    const before = await inSearch();
    expect(before.hit?.stars).toBe(4);
    expect((await (await get(url, `/products/${slug}`)).text())).toContain('class="badge__mark"');
    const trace = await (await get(url, stamp)).text();
    expect(trace).toContain('class="stars"');
    expect(trace).not.toContain('role="alert"');

    const list = (await (await send(url, `/api/admin/certificates?q=${encodeURIComponent(product.certificate.number)}`, 'GET', office)).json()) as { certificates: Array<{ id: number; number: string }> };
    const cert = list.certificates.find((c) => c.number === product.certificate.number)!;
    expect((await send(url, `/api/admin/certificates/${cert.id}/revoke`, 'POST', office, { reason: 'Vi phạm an toàn thực phẩm' })).status).toBe(200);
    const revokedAt = Date.now();

    // Pages read the database: at once.
    // The product's own page, not the other products it recommends below ("more from this producer").
    expect(ownProduct(await (await get(url, `/products/${slug}`)).text())).not.toContain('class="badge__mark"');
    const after = await (await get(url, stamp)).text();
    expect(after).toContain('role="alert"');
    // One coherent verdict (issue 13 item 6): the stamp is genuine, the product no longer OCOP-certified, since when.
    expect(after).toContain('Tem thật — nhưng sản phẩm không còn được chứng nhận OCOP');
    expect(after).toMatch(/đã bị thu hồi ngày \d{2}\/\d{2}\/\d{4}/);
    expect(after).not.toContain('class="stars"');
    // The search index follows through the outbox: the 4-star filter stops counting it within 2 s.
    let now = await inSearch();
    while ((now.hit || now.total === before.total) && Date.now() - revokedAt < 2_000) {
      await new Promise((r) => setTimeout(r, 100));
      now = await inSearch();
    }
    expect(now.hit).toBeUndefined();
    expect(now.total).toBe(before.total - 1);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(2_000);
    const { body: api } = await getJson<{ verdict: string; certificate: { status: string } }>(url, `/api/trace/${run.stamps[0]!.code}`);
    expect(api.certificate.status).toBe('revoked');
  });
});

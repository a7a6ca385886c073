import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { get, getJson, servers } from '../support/http.ts';

const run = promisify(execFile);
const PASSWORD = 'ocop-demo-2026';

/** Signs in over HTTP and returns the session cookie ("ocop_session=…"). */
async function signIn(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status, email).toBe(200);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  return cookie.split(';')[0]!;
}

function send(url: string, path: string, method: string, cookie: string | null, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}${path}`, {
    method, redirect: 'manual',
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), origin: url, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe.each(servers)('back office over HTTP on $name', ({ url, dataDir, databaseUrl }) => {
  it('sends anonymous visitors to /login and refuses them on the APIs', async () => {
    const page = await get(url, '/dashboard/products');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fdashboard%2Fproducts');
    expect((await get(url, '/en/admin')).headers.get('location')).toMatch(/^\/en\/login\?next=/);
    for (const p of ['/api/producer/products', '/api/admin/certificates']) expect((await getJson(url, p)).status).toBe(401);
    const login = await get(url, '/en/login');
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<form method="post"');
  });

  it('refuses producers on office routes and the office on producer routes', async () => {
    const producer = await signIn(url, 'cong-ty-le-gia@ocop.local');
    for (const p of ['/admin', '/admin/certificates', '/en/admin/producers']) expect((await get(url, p, { headers: { cookie: producer } })).status, p).toBe(403);
    expect((await send(url, '/api/admin/certificates', 'GET', producer)).status).toBe(403);
    expect((await send(url, '/api/admin/producers/cong-ty-le-gia', 'PATCH', producer, { status: 'suspended', reason: 'tự đình chỉ' })).status).toBe(403);
    const office = await signIn(url, 'admin@ocop.local');
    expect((await get(url, '/dashboard', { headers: { cookie: office } })).status).toBe(403);
    const adminPage = await get(url, '/admin', { headers: { cookie: office } });
    expect(adminPage.status).toBe(200);
    // Signed in, the header's account link leads home instead of offering to sign in again.
    const adminHtml = await adminPage.text();
    expect(adminHtml).toContain('<span>Tài khoản của tôi</span>');
    expect(adminHtml).not.toContain('<span>Đăng nhập</span>');
  });

  it('refuses cross-site requests, JSON and forms alike (403), and changes nothing', async () => {
    const producer = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const evil = { origin: 'https://evil.example' };
    const json = await send(url, '/api/producer/products/mam-tom-le-gia', 'PATCH', producer, { price: 1 }, evil);
    expect(json.status).toBe(403);
    const form = await fetch(`${url}/dashboard/products/mam-tom-le-gia`, { method: 'POST', redirect: 'manual', headers: { cookie: producer, ...evil, 'content-type': 'application/x-www-form-urlencoded' }, body: '_action=save&price=1' });
    expect(form.status).toBe(403);
    const logout = await send(url, '/api/auth/logout', 'POST', producer, undefined, { origin: 'null' });
    expect(logout.status).toBe(403);
    const { body } = await getJson<{ price: number }>(url, '/api/products/mam-tom-le-gia');
    expect(body.price).toBeGreaterThan(1);
    expect((await send(url, '/api/producer/products', 'GET', producer)).status).toBe(200);
  });

  it('keeps a producer out of another producer\'s products and lots, by API and by page URL', async () => {
    const other = await signIn(url, 'cong-ty-khai-hoan@ocop.local');
    const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const before = await (await send(url, '/api/producer/products/mam-tom-le-gia', 'GET', owner)).json();
    expect((await send(url, '/api/producer/products/mam-tom-le-gia', 'GET', other)).status).toBe(404);
    expect((await send(url, '/api/producer/products/mam-tom-le-gia', 'PATCH', other, { price: 1000, stock: 0 })).status).toBe(404);
    expect((await get(url, '/dashboard/products/mam-tom-le-gia', { headers: { cookie: other } })).status).toBe(404);
    const lots = (await (await send(url, '/api/producer/lots?product=mam-tom-le-gia', 'GET', owner)).json()) as { lots: Array<{ id: number }> };
    const lotId = lots.lots[0]!.id;
    expect((await send(url, `/api/producer/lots/${lotId}`, 'GET', other)).status).toBe(404);
    expect((await get(url, `/dashboard/lots/${lotId}`, { headers: { cookie: other } })).status).toBe(404);
    expect((await send(url, `/api/producer/lots/${lotId}/events`, 'POST', other, { bizStep: 'shipping', occurredAt: '2026-01-01T08:00' })).status).toBe(404);
    expect((await send(url, '/api/producer/lots', 'POST', other, { product: 'mam-tom-le-gia', code: 'HACK1', producedOn: '2026-01-01', quantity: 1 })).status).toBe(400);
    const after = await (await send(url, '/api/producer/products/mam-tom-le-gia', 'GET', owner)).json();
    expect(after).toEqual(before);
    const events = (await (await send(url, `/api/producer/lots/${lotId}`, 'GET', owner)).json()) as { events: unknown[] };
    expect(events.events.every((e) => (e as { actor: string | null }).actor !== 'HACK')).toBe(true);
  });

  it('serves the producer API with revocable Bearer tokens (hashed at rest)', async () => {
    const producer = await signIn(url, 'cong-ty-khai-hoan@ocop.local');
    const page = await fetch(`${url}/dashboard/account`, { method: 'POST', headers: { cookie: producer, origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: '_action=token&name=ERP' });
    expect(page.status).toBe(201);
    const token = /data-testid="new-token">([^<]+)</.exec(await page.text())![1]!;
    expect(token).toMatch(/^ocop_/);
    const auth = { authorization: `Bearer ${token}` };
    const list = await fetch(`${url}/api/producer/products`, { headers: auth });
    expect(list.status).toBe(200);
    const created = await fetch(`${url}/api/producer/products`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ subgroup: 'sauces', nameVi: 'Nước mắm chay Khải Hoàn', nameEn: 'Khai Hoan vegan fish sauce', price: 60000, unitVi: 'chai', unitEn: 'bottle' }) });
    expect(created.status).toBe(201);
    expect((await fetch(`${url}/api/admin/certificates`, { headers: auth })).status).toBe(401);
    expect((await get(url, '/dashboard', { headers: auth })).status).toBe(303);
    const html = await (await get(url, '/dashboard/account', { headers: { cookie: producer } })).text();
    expect(html).not.toContain(token);
    const id = /name="id" value="(\d+)"/.exec(html)![1];
    const revoke = await fetch(`${url}/dashboard/account`, { method: 'POST', headers: { cookie: producer, origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: `_action=revoke&id=${id}` });
    expect(revoke.status).toBe(200);
    expect((await fetch(`${url}/api/producer/products`, { headers: auth })).status).toBe(401);
  });

  it('answers repeated wrong passwords with 429 and the wait time', async () => {
    const attempt = () => fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ho-hoang-thi-lan@ocop.local', password: 'guess' }) });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await attempt();
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await last!.json()) as { error: { code: string; retryAfter: number } };
    expect(body.error).toMatchObject({ code: 'auth.rate_limited', retryAfter: expect.any(Number) });
    const page = await fetch(`${url}/login`, { method: 'POST', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=ho-hoang-thi-lan%40ocop.local&password=ocop-demo-2026' });
    expect(page.status).toBe(429);
    expect(await page.text()).toMatch(/thử lại sau \d+ giây/);
  });

  it('a revocation takes the OCOP badge off the product page at once', async () => {
    const office = await signIn(url, 'admin@ocop.local');
    const { body: product } = await getJson<{ certificate: { number: string }; stars: number }>(url, '/api/products/dua-sap-soi-vicosap');
    expect(product.stars).toBe(5);
    const list = (await (await send(url, `/api/admin/certificates?q=${encodeURIComponent(product.certificate.number)}`, 'GET', office)).json()) as { certificates: Array<{ id: number; number: string }> };
    const cert = list.certificates.find((c) => c.number === product.certificate.number)!;
    const revoke = await send(url, `/api/admin/certificates/${cert.id}/revoke`, 'POST', office, { reason: 'Sử dụng nhãn OCOP sai quy định' });
    expect(revoke.status).toBe(200);
    const { body: after } = await getJson<{ stars: number | null; certificate: { status: string } }>(url, '/api/products/dua-sap-soi-vicosap');
    expect(after.stars).toBeNull();
    expect(after.certificate.status).toBe('revoked');
    const html = await (await get(url, '/products/dua-sap-soi-vicosap')).text();
    expect(html.split('class="neighbours"')[0]).not.toContain('class="badge__mark"');
    const audit = (await (await send(url, `/api/admin/audit?entity=certificate&id=${cert.id}`, 'GET', office)).json()) as { entries: Array<{ action: string; actorEmail: string; before: { status: string }; after: { status: string } }> };
    expect(audit.entries[0]).toMatchObject({ action: 'certificate.revoked', actorEmail: 'admin@ocop.local', before: { status: 'active' }, after: { status: 'revoked' } });
  });

  it('npm run certs:notify queues each expiry notice once, while the site runs', async () => {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn' };
    const tsx = path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs');
    const first = await run(process.execPath, [tsx, 'scripts/certs-notify.ts'], { env });
    const m = /(\d+) expiry notice\(s\) due \(certificates expiring within 90 or 30 days\): (\d+) queued/.exec(first.stdout)!;
    expect(Number(m[1])).toBeGreaterThan(0);
    expect(m[2]).toBe(m[1]);
    const second = await run(process.execPath, [tsx, 'scripts/certs-notify.ts'], { env });
    expect(second.stdout).toContain(`${m[1]} expiry notice(s) due (certificates expiring within 90 or 30 days): 0 queued, ${m[1]} already queued before.`);
  });
});

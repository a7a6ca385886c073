import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, dropDatabase } from '../support/pg-admin.ts';
import { startServer, stop } from '../support/server.ts';
import { startMailSink, startSmsSink, type MailSink, type SmsSink } from '../support/mail.ts';

/**
 * Two server instances on one PostgreSQL database, both running the scheduler every second, with a
 * real SMTP server and an SMS gateway stand-in: each scheduled notice is sent once; find my order,
 * the links in the e-mails, one-click unsubscribe and the office's message log work over HTTP.
 */
const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(port));
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('messages across two instances (PostgreSQL)', () => {
  const name = `ocop_msg_${process.pid}`;
  let mail: MailSink;
  let sms: SmsSink;
  let sql: postgres.Sql;
  const servers: Array<Awaited<ReturnType<typeof startServer>>> = [];
  const dirs: string[] = [];
  let base = '';

  beforeAll(async () => {
    mail = await startMailSink();
    sms = await startSmsSink();
    const databaseUrl = await createDatabase(name);
    sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const [portA, portB] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${portA}`;
    const env = (port: number) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-msg-'));
      dirs.push(dir);
      return {
        PORT: String(port), DATA_DIR: dir, DATABASE_URL: databaseUrl, SMTP_URL: mail.url, MAIL_FROM: 'Chợ OCOP <no-reply@cho-ocop.test>',
        SMS_URL: sms.url, SMS_API_KEY: 'k', PUBLIC_BASE_URL: base, SCHEDULES: '1', SCHEDULE_TICK_SECONDS: '1', ORDER_LOOKUPS_PER_NETWORK_HOUR: '100',
      };
    };
    // The first seeds the empty database; the second joins it.
    servers.push(await startServer({ ...env(portA), SEED_DEMO: '1' }));
    servers.push(await startServer(env(portB)));
  }, 300_000);

  afterAll(async () => {
    for (const s of servers) await stop(s.child);
    await sql?.end({ timeout: 1 });
    await dropDatabase(name);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await mail?.close();
    await sms?.close();
  });

  it('each scheduled notice is sent once, whichever instance runs it', async () => {
    const digest = () => mail.to('admin@ocop.local').filter((m) => m.subject?.startsWith('Chợ OCOP: bản tin ngày'));
    await expect.poll(() => digest().length, { timeout: 60_000, interval: 500 }).toBe(1);
    const due = await sql<Array<{ n: number }>>`select count(*)::int as n from certificates where status = 'active' and valid_until between current_date and current_date + 90`;
    expect(due[0]!.n).toBeGreaterThan(0);
    const expiry = () => mail.received.filter((m) => /hết hạn sau (30|90) ngày/.test(m.subject ?? ''));
    await expect.poll(() => expiry().length, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(due[0]!.n);
    await new Promise((r) => setTimeout(r, 4_000)); // several more ticks on both instances
    expect(digest()).toHaveLength(1);
    const seen = expiry().map((m) => `${[m.to].flat()[0]?.text}|${m.subject}`);
    expect(new Set(seen).size).toBe(seen.length);
    const runs = await sql<Array<{ name: string; runs: number }>>`select name, runs from schedule_state order by name`;
    expect(runs.map((r) => r.name)).toEqual(['certificate-expiry', 'low-stock', 'office-digest', 'vietqr-reminders']);
    expect(runs.every((r) => r.runs === 1)).toBe(true);
  }, 120_000);

  it('find my order e-mails working links and never shows them; one-click unsubscribe; the office log', async () => {
    const placed = await fetch(`${base}/api/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ slug: 'gao-daka', qty: 1 }], customer: { name: 'Khách Tìm Đơn', phone: '0912345678', email: 'tim.don@example.vn', address: { line: '1 Lê Lợi', commune: 'Phường Bến Nghé', province: 'Hồ Chí Minh' } }, payment: 'cod' }),
    });
    expect(placed.status).toBe(201);
    const { publicId } = (await placed.json()) as { publicId: string };
    for (const [path, text] of [['/orders', 'Nếu có đơn hàng gắn với tim.don@example.vn'], ['/en/orders', 'If any orders were placed with tim.don@example.vn']] as const) {
      const form = await fetch(`${base}${path}`);
      expect(form.status).toBe(200);
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: 'contact=Tim.Don%40example.vn' });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(text);
      expect(html).not.toContain(publicId);
    }
    const bad = await fetch(`${base}/en/orders`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: 'contact=hello' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter a Vietnamese phone number');
    const links = () => mail.to('tim.don@example.vn').filter((m) => /đường dẫn tới đơn hàng|links to your orders/.test(m.subject ?? ''));
    await expect.poll(() => links().length, { timeout: 20_000 }).toBe(2);
    const url = new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/en/orders/${publicId}`).exec(links().find((m) => m.subject?.includes('links'))!.text!)![0];
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const order = (await (await fetch(`${base}/api/orders/${publicId}`)).json()) as { reference: string };
    expect(await page.text()).toContain(order.reference);

    // The producer's "new parcel" e-mail offers one-click unsubscribe: a mail app POSTs to it.
    await expect.poll(() => mail.raw.some((r) => r.includes('htx-dv-nong-nghiep-dak-kan@ocop.local') && r.includes('List-Unsubscribe-Post')), { timeout: 20_000 }).toBe(true);
    const raw = mail.raw.find((r) => r.includes('htx-dv-nong-nghiep-dak-kan@ocop.local') && r.includes('List-Unsubscribe-Post'))!;
    const unsubscribe = /^List-Unsubscribe:\s*<([^>]+)>/m.exec(raw)![1]!;
    const look = await fetch(unsubscribe);
    expect(look.status).toBe(200);
    expect(await look.text()).toContain('htx-dv-nong-nghiep-dak-kan@ocop.local');
    expect((await sql`select 1 from message_opt_outs where address = 'htx-dv-nong-nghiep-dak-kan@ocop.local'`).length).toBe(0); // a GET changes nothing
    const oneClick = await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect((await sql`select 1 from message_opt_outs where address = 'htx-dv-nong-nghiep-dak-kan@ocop.local'`).length).toBe(1);
    const forged = await fetch(unsubscribe.replace(/.(?=$)/, (c) => (c === 'A' ? 'B' : 'A')), { method: 'POST' });
    expect(forged.status).toBe(400);

    // The office's message log lists them, with filters.
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email: 'admin@ocop.local', password: 'ocop-demo-2026' }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const log = await fetch(`${base}/en/admin/messages?q=tim.don`, { headers: { cookie } });
    expect(log.status).toBe(200);
    const body = await log.text();
    expect(body).toContain('tim.don@example.vn');
    expect(body).toContain('Sent');
    expect(body).not.toContain('admin@ocop.local</strong>');
    const anonymous = await fetch(`${base}/admin/messages`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
  }, 120_000);
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createT } from '../../src/lib/i18n/index.ts';
import { advancePart, createOrder, markPaidByOffice, type OrderInput } from '../../src/lib/orders/index.ts';
import { drainOutbox, enqueue } from '../../src/lib/outbox/index.ts';
import { queueExpiryNotices } from '../../src/lib/certification/index.ts';
import {
  deliverDue, JOBS, messageIdFor, requestOrderLinks, runDueJobs, saveProducerChannels, unsubscribe, unsubscribeToken,
} from '../../src/lib/messages/index.ts';
import { useTestDatabase } from '../support/db.ts';
import { startMailSink, startSmsSink } from '../support/mail.ts';

// A real SMTP server and an SMS gateway stand-in, configured before the app reads its environment.
const mail = await startMailSink();
const sms = await startSmsSink();
process.env.SMTP_URL = mail.url;
process.env.MAIL_FROM = 'Chợ OCOP <no-reply@cho-ocop.test>';
process.env.SMS_URL = sms.url;
process.env.SMS_API_KEY = 'sms-test-key';
process.env.PUBLIC_BASE_URL = 'http://shop.test';
afterAll(async () => {
  await mail.close();
  await sms.close();
});

const database = useTestDatabase();
const ctx = { t: createT('vi'), locale: 'vi' as const, origin: 'http://shop.test' };
const address = { line: '12 Lê Lợi', commune: 'Phường Hạc Thành', province: 'thanh-hoa' };
const order = (items: OrderInput['items'], payment: OrderInput['payment'], contact: { email?: string; phone: string }): OrderInput =>
  ({ items, customer: { name: 'Nguyễn Văn An', address, ...contact }, payment });
const q = async <T>(query: ReturnType<typeof sql>) => (await database.get().db.execute(query)) as unknown as T[];
const messagesTo = (recipient: string) => q<{ kind: string; status: string; attempts: number; last_error: string | null; transactional: boolean }>(
  sql`select kind, status, attempts, last_error, transactional from messages where recipient = ${recipient} order by id`);
/** Everything queued so far is composed and sent (the app's own workers run too; whoever does it). */
async function settle(): Promise<void> {
  await drainOutbox();
  await expect.poll(async () => (await q<{ n: number }>(sql`select count(*)::int as n from outbox where processed_at is null and created_at <= now()
    and topic in ('orders.notify', 'certificate.expiry_notice', 'lot.recalled', 'report.received')`))[0]!.n, { timeout: 15_000 }).toBe(0);
  await deliverDue();
  await expect.poll(async () => (await q<{ n: number }>(sql`select count(*)::int as n from messages where status in ('queued', 'sending') and next_attempt_at <= now()`))[0]!.n, { timeout: 15_000 }).toBe(0);
}

beforeAll(async () => {
  await database.get().db.execute(sql`update products set stock = 50, reserved = 0 where slug in ('gao-daka', 'mam-tom-le-gia')`);
});

describe('customers and producers get the right message once, in their language', () => {
  it('cash on delivery: the customer (English) gets the confirmation with a working order link; each producer a new parcel', async () => {
    const view = await createOrder(order([{ slug: 'gao-daka', qty: 1 }, { slug: 'mam-tom-le-gia', qty: 1 }], 'cod', { email: 'An.Tourist@Example.com', phone: '0912345678' }), { ...ctx, locale: 'en', t: createT('en') });
    await settle();
    const mine = mail.to('an.tourist@example.com');
    expect(mine).toHaveLength(1);
    const [m] = mine;
    expect(m!.subject).toBe(`Chợ OCOP: order ${view.reference} received`);
    expect(m!.text).toContain('You pay in cash on delivery.');
    expect(m!.text).toContain(`http://shop.test/en/orders/${view.publicId}`);
    expect(m!.html).toContain(`href="http://shop.test/en/orders/${view.publicId}"`);
    expect(mail.raw.find((r) => r.includes('To: an.tourist@example.com'))).not.toMatch(/^List-Unsubscribe:/m); // transactional
    expect(m!.messageId).toMatch(/^<msg-\d+-[0-9a-z]+@cho-ocop\.test>$/);
    for (const producer of ['htx-dv-nong-nghiep-dak-kan', 'cong-ty-le-gia']) {
      const parcel = mail.to(`${producer}@ocop.local`).filter((p) => p.subject?.includes(view.reference));
      expect(parcel).toHaveLength(1);
      expect(parcel[0]!.subject).toBe(`Chợ OCOP: kiện hàng mới cần gửi — đơn ${view.reference}`);
    }
    const raw = mail.raw.find((r) => r.includes('cong-ty-le-gia@ocop.local') && r.includes(view.reference.slice(0, 6)))!;
    expect(raw).toMatch(/^List-Unsubscribe:\s*<http:\/\/shop\.test\/unsubscribe\?t=[\w-]+\.[\w-]{32}>/m);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);

    // Shipping a parcel tells the customer the carrier and tracking number; delivery follows.
    const dakKan = (await q<{ id: number }>(sql`select id from producers where slug = 'htx-dv-nong-nghiep-dak-kan'`))[0]!.id;
    await advancePart(view.publicId, Number(dakKan), 'shipped', 'dak-kan', { carrier: 'VNPost', trackingNumber: 'EB123456789VN' });
    await advancePart(view.publicId, Number(dakKan), 'delivered', 'dak-kan');
    await settle();
    const subjects = mail.to('an.tourist@example.com').map((x) => x.subject);
    expect(subjects).toEqual([`Chợ OCOP: order ${view.reference} received`, `Chợ OCOP: a parcel of order ${view.reference} is on its way`, `Chợ OCOP: a parcel of order ${view.reference} was delivered`]);
    const shipped = mail.to('an.tourist@example.com')[1]!;
    expect(shipped.text).toMatch(/Carrier: VNPost\nTracking number: EB123456789VN/);
    await settle(); // nothing more, however often the workers pass
    expect(mail.to('an.tourist@example.com')).toHaveLength(3);
  });

  it('VietQR without e-mail: an SMS with the bank details and amount, then "payment received" (Vietnamese)', async () => {
    const view = await createOrder(order([{ slug: 'gao-daka', qty: 2 }], 'vietqr', { phone: '0987 654 321' }), ctx);
    await settle();
    const texts = sms.to('0987654321');
    expect(texts).toHaveLength(1);
    expect(texts[0]!.text).toContain(`Chợ OCOP: đã nhận đơn ${view.reference}`);
    expect(texts[0]!.text).toContain('Số tài khoản: 0011004386868');
    expect(texts[0]!.text).toContain(`Nội dung chuyển khoản: ${view.reference}`);
    expect(texts[0]!.text.replace(/\s/g, ' ')).toContain(`Số tiền: ${new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }).format(view.total).replace(/\s/g, ' ')}`);
    expect(texts[0]!.text).toContain(`http://shop.test/orders/${view.publicId}`);
    expect(texts[0]!.authorization).toBe('Bearer sms-test-key');
    expect(texts[0]!.idempotencyKey).toMatch(/^msg-\d+$/);
    // No parcel for the producer before the money is in.
    expect(mail.to('htx-dv-nong-nghiep-dak-kan@ocop.local').filter((p) => p.subject?.includes(view.reference))).toHaveLength(0);
    await markPaidByOffice(view.publicId, 'admin@ocop.local');
    await settle();
    expect(sms.to('0987654321').map((s) => s.text.split('\n')[0])).toEqual([`Chợ OCOP: đã nhận đơn ${view.reference}`, `Chợ OCOP: đã nhận thanh toán đơn ${view.reference}`]);
    expect(mail.to('htx-dv-nong-nghiep-dak-kan@ocop.local').filter((p) => p.subject?.includes(view.reference))).toHaveLength(1);
  });

  it('a recall and a public report reach the producer on its chosen channels', async () => {
    const [lot] = await q<{ id: number; product_id: number; producer_id: number; code: string; slug: string; name_vi: string; phone: string | null }>(sql`
      select l.id, l.product_id, p.producer_id, l.code, pr.slug, p.name_vi, pr.phone from lots l join products p on p.id = l.product_id
      join producers pr on pr.id = p.producer_id where pr.slug = 'cong-ty-le-gia' order by l.id limit 1`);
    // The producer also wants SMS: give it a reachable phone number first.
    await database.get().db.execute(sql`update producers set phone = '0905123456' where id = ${lot!.producer_id}`);
    await saveProducerChannels(Number(lot!.producer_id), { email: true, sms: true });
    await database.get().db.transaction(async (tx) => {
      await enqueue(tx, 'lot.recalled', { lotId: lot!.id, productId: lot!.product_id, producerId: lot!.producer_id, reason: 'Vượt ngưỡng histamine', at: new Date().toISOString() });
      await enqueue(tx, 'report.received', { reportId: 4242, productId: lot!.product_id, producerId: lot!.producer_id, category: 'quality' });
    });
    await settle();
    const recall = mail.to('cong-ty-le-gia@ocop.local').filter((m) => m.subject?.startsWith(`Chợ OCOP: lô ${lot!.code}`));
    expect(recall).toHaveLength(1);
    expect(recall[0]!.text).toContain('Lý do: Vượt ngưỡng histamine');
    expect(mail.to('cong-ty-le-gia@ocop.local').filter((m) => m.subject === `Chợ OCOP: có phản ánh mới về ${lot!.name_vi}`)).toHaveLength(1);
    expect(sms.to('0905123456').map((s) => s.text.split('\n')[0])).toEqual([`Chợ OCOP: lô ${lot!.code} của ${lot!.name_vi} bị thu hồi`, `Chợ OCOP: có phản ánh mới về ${lot!.name_vi}`]);
    await saveProducerChannels(Number(lot!.producer_id), { email: true, sms: false });
  });

  it('certificate expiry: 90- and 30-day notices, once per certificate and threshold', async () => {
    const first = await queueExpiryNotices();
    expect(first.queued).toBeGreaterThan(0);
    await settle();
    const expiry = mail.received.filter((m) => /giấy chứng nhận OCOP của .* hết hạn sau (30|90) ngày/.test(m.subject ?? ''));
    expect(expiry.length).toBeGreaterThanOrEqual(first.queued);
    const again = await queueExpiryNotices();
    expect(again.queued).toBe(0);
    await settle();
    expect(mail.received.filter((m) => /hết hạn sau (30|90) ngày/.test(m.subject ?? ''))).toHaveLength(expiry.length);
    const keys = await q<{ n: number; d: number }>(sql`select count(*)::int as n, count(distinct dedupe_key)::int as d from messages where kind = 'producer.certificate_expiry'`);
    expect(keys[0]!.n).toBe(keys[0]!.d);
  });
});

describe('delivery: a transport that is down delays and retries without blocking the order; never twice', () => {
  it('SMTP answering 421: the order is placed at once, the message waits and is sent once the server is back', async () => {
    mail.mode = 'down';
    try {
      const started = Date.now();
      const view = await createOrder(order([{ slug: 'gao-daka', qty: 1 }], 'cod', { email: 'later@example.vn', phone: '0912000111' }), ctx);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(view.status).toBe('processing');
      await drainOutbox();
      await deliverDue();
      await expect.poll(async () => (await messagesTo('later@example.vn'))[0], { timeout: 10_000 }).toMatchObject({ status: 'queued', attempts: 1 });
      expect((await messagesTo('later@example.vn'))[0]!.last_error).toMatch(/421/);
      expect(mail.to('later@example.vn')).toHaveLength(0);
    } finally {
      mail.mode = 'up';
    }
    // The backoff is 30 s: bring the next attempt forward instead of waiting.
    await database.get().db.execute(sql`update messages set next_attempt_at = now() where recipient = 'later@example.vn'`);
    await settle();
    expect(mail.to('later@example.vn')).toHaveLength(1);
    expect(await messagesTo('later@example.vn')).toMatchObject([{ status: 'sent', attempts: 2, last_error: null }]);
  });

  it('a permanent refusal (550) and an SMS gateway 4xx are recorded as failed, not retried', async () => {
    mail.mode = 'reject';
    sms.failWith = 400;
    try {
      await createOrder(order([{ slug: 'gao-daka', qty: 1 }], 'cod', { email: 'nobody@example.vn', phone: '0912000222' }), ctx);
      await createOrder(order([{ slug: 'gao-daka', qty: 1 }], 'cod', { phone: '0912000333' }), ctx);
      await settle();
    } finally {
      mail.mode = 'up';
      sms.failWith = null;
    }
    expect(await messagesTo('nobody@example.vn')).toMatchObject([{ status: 'failed', attempts: 1 }]);
    expect((await messagesTo('nobody@example.vn'))[0]!.last_error).toMatch(/550/);
    expect(await messagesTo('0912000333')).toMatchObject([{ status: 'failed', attempts: 1 }]);
  });

  it('a crash between sending and recording resends at most once, with the same Message-ID', async () => {
    await createOrder(order([{ slug: 'gao-daka', qty: 1 }], 'cod', { email: 'crash@example.vn', phone: '0912000444' }), ctx);
    await settle();
    expect(mail.to('crash@example.vn')).toHaveLength(1);
    const [row] = await q<{ id: number; created_at: string }>(sql`select id, created_at from messages where recipient = 'crash@example.vn'`);
    // As a worker that sent and died before recording leaves it: "sending", lease run out.
    await database.get().db.execute(sql`update messages set status = 'sending', claimed_until = now() - interval '1 second' where id = ${row!.id}`);
    await deliverDue();
    await expect.poll(() => mail.to('crash@example.vn').length, { timeout: 5000 }).toBe(2);
    const ids = mail.to('crash@example.vn').map((m) => m.messageId);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[0]).toBe(messageIdFor(Number(row!.id), new Date(row!.created_at)));
    // Dying again in the same window: no third copy; recorded as uncertain.
    await database.get().db.execute(sql`update messages set status = 'sending', claimed_until = now() - interval '1 second' where id = ${row!.id}`);
    await deliverDue();
    await expect.poll(async () => (await messagesTo('crash@example.vn'))[0]!.status, { timeout: 5000 }).toBe('failed');
    expect((await messagesTo('crash@example.vn'))[0]!.last_error).toMatch(/uncertain/);
    expect(mail.to('crash@example.vn')).toHaveLength(2);
  });
});

describe('schedules, reminders, unsubscribing and find my order', () => {
  it('two schedulers ticking at once run each job once; a missed run catches up', async () => {
    await database.get().db.execute(sql`delete from schedule_state`);
    const [a, b] = await Promise.all([runDueJobs(), runDueJobs()]);
    expect([...a, ...b].sort()).toEqual(JOBS.map((j) => j.name).sort());
    await settle();
    const digests = mail.to('admin@ocop.local').filter((m) => m.subject?.startsWith('Chợ OCOP: bản tin ngày'));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text).toMatch(/Đơn chuyển khoản chờ xác nhận thanh toán: \d+/);
    expect(digests[0]!.text).toMatch(/Giấy chứng nhận hết hạn trong 90 ngày: \d+/);
    expect(await runDueJobs()).toEqual([]); // nothing due yet
    // The server was down when the digest was due: it runs at the next tick, once.
    await database.get().db.execute(sql`update schedule_state set next_run_at = now() - interval '3 days' where name = 'office-digest'`);
    expect(await runDueJobs()).toEqual(['office-digest']);
    await settle();
    expect(mail.to('admin@ocop.local').filter((m) => m.subject?.startsWith('Chợ OCOP: bản tin ngày'))).toHaveLength(1); // same day: same digest
  });

  it('a VietQR reminder before the hold lapses, with one-click unsubscribe honoured', async () => {
    const view = await createOrder(order([{ slug: 'gao-daka', qty: 1 }], 'vietqr', { email: 'remind@example.vn', phone: '0912000555' }), { ...ctx, locale: 'en', t: createT('en') });
    const reminders = JOBS.find((j) => j.name === 'vietqr-reminders')!;
    await reminders.run(new Date()); // just placed: too early
    await reminders.run(new Date(Date.now() + 40 * 3_600_000)); // 8 hours before the 48-hour hold lapses
    await reminders.run(new Date(Date.now() + 41 * 3_600_000)); // once only
    await settle();
    const got = mail.to('remind@example.vn').filter((m) => m.subject === `Chợ OCOP: order ${view.reference} is waiting for your transfer`);
    expect(got).toHaveLength(1);
    expect(got[0]!.text).toContain('Account number: 0011004386868');
    const raw = mail.raw.find((r) => r.includes('remind@example.vn') && r.includes('List-Unsubscribe:'))!;
    const token = /unsubscribe\?t=([\w-]+\.[\w-]{32})/.exec(raw)![1]!;
    expect(token).toBe(unsubscribeToken('remind@example.vn'));
    expect(await unsubscribe(`${token.slice(0, -1)}x`)).toBeNull(); // a forged signature
    expect(await unsubscribe(token)).toBe('remind@example.vn');
    // A second order: its reminder is suppressed, its confirmation (transactional) still sent.
    const second = await createOrder(order([{ slug: 'gao-daka', qty: 1 }], 'vietqr', { email: 'remind@example.vn', phone: '0912000555' }), ctx);
    await reminders.run(new Date(Date.now() + 40 * 3_600_000));
    await settle();
    const rows = await messagesTo('remind@example.vn');
    expect(rows.map((r) => `${r.kind}:${r.status}`).sort()).toEqual(['order.received:sent', 'order.received:sent', 'order.reminder:sent', 'order.reminder:suppressed']);
    expect(mail.to('remind@example.vn').filter((m) => m.subject?.includes(second.reference))).toHaveLength(1);
  });

  it('find my order sends the links to the contact only, the same answer whether or not anything matched, rate-limited', async () => {
    const view = await createOrder(order([{ slug: 'gao-daka', qty: 1 }], 'cod', { email: 'find.me@example.vn', phone: '0912000666' }), ctx);
    await settle();
    const before = mail.received.length;
    expect(await requestOrderLinks(' Find.Me@Example.VN ', { clientAddress: '203.0.113.9', locale: 'vi' })).toEqual({ contact: 'find.me@example.vn' });
    expect(await requestOrderLinks('nobody-ordered@example.vn', { clientAddress: '203.0.113.9', locale: 'vi' })).toEqual({ contact: 'nobody-ordered@example.vn' });
    await requestOrderLinks('0912 000 666', { clientAddress: '203.0.113.9', locale: 'en' });
    await settle();
    const links = mail.to('find.me@example.vn').filter((m) => m.subject === 'Chợ OCOP: đường dẫn tới đơn hàng của bạn');
    expect(links).toHaveLength(1);
    expect(links[0]!.text).toContain(`http://shop.test/orders/${view.publicId}`);
    expect(mail.to('nobody-ordered@example.vn')).toHaveLength(0);
    expect(mail.received.length).toBe(before + 1);
    expect(sms.to('0912000666').at(-1)!.text).toContain(`http://shop.test/en/orders/${view.publicId}`);
    await expect(requestOrderLinks('not a contact', { clientAddress: '203.0.113.9', locale: 'vi' })).rejects.toMatchObject({ status: 400 });
    process.env.ORDER_LOOKUPS_PER_NETWORK_HOUR = '3';
    const { resetConfig } = await import('../../src/lib/config/index.ts');
    resetConfig();
    try {
      await expect(requestOrderLinks('find.me@example.vn', { clientAddress: '203.0.113.9', locale: 'vi' })).rejects.toMatchObject({ status: 429 });
      await expect(requestOrderLinks('find.me@example.vn', { clientAddress: '198.51.100.7', locale: 'vi' })).resolves.toEqual({ contact: 'find.me@example.vn' });
    } finally {
      process.env.ORDER_LOOKUPS_PER_NETWORK_HOUR = '100000';
      resetConfig();
    }
  });

  it('low stock: one notice per product until restocked', async () => {
    await database.get().db.execute(sql`update products set stock = 2, reserved = 0 where slug = 'mam-tom-le-gia'`);
    const low = JOBS.find((j) => j.name === 'low-stock')!;
    await low.run(new Date());
    await low.run(new Date());
    await settle();
    const notices = () => mail.to('cong-ty-le-gia@ocop.local').filter((m) => m.subject?.endsWith('sắp hết hàng') && m.text?.includes('chỉ còn 2 đơn vị'));
    expect(notices()).toHaveLength(1);
    await database.get().db.execute(sql`update products set stock = 50 where slug = 'mam-tom-le-gia'`);
    await low.run(new Date());
    expect((await q<{ n: number }>(sql`select count(*)::int as n from low_stock_notices n join products p on p.id = n.product_id where p.slug = 'mam-tom-le-gia'`))[0]!.n).toBe(0);
  });
});

import { SEARCH_TOPIC } from '../../src/lib/search/index.ts';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { login, userFromSession, type CurrentUser } from '../../src/lib/auth/index.ts';
import {
  addLotEvent, createLot, createProduct, decideProduct, getOwnLot, getOwnProduct, issueCertificate, listOwnLots, revokeCertificate, updateOwnProduct,
} from '../../src/lib/backoffice/index.ts';
import { EXPIRY_NOTICE_TOPIC, queueExpiryNotices, recordEvaluation, revocationText } from '../../src/lib/certification/index.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import { getProduct, todayInVietnam } from '../../src/lib/catalog/index.ts';
import { AppError } from '../../src/lib/errors/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const PASSWORD = 'ocop-demo-2026';

async function signIn(email: string, client = `test-${email}`): Promise<CurrentUser & { producerId: number }> {
  return (await login({ email, password: PASSWORD }, { client })).user as CurrentUser & { producerId: number };
}
const rows = async <T>(query: ReturnType<typeof sql>) => (await database.get().db.execute(query)) as unknown as T[];
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? `${e.status} ${e.code}` : String(e)));

describe(`back office services (${target})`, () => {
  it('opens a DB session whose id is the SHA-256 of the cookie token, and a wrong password does not', async () => {
    const { token, user } = await login({ email: 'Cong-Ty-Le-Gia@ocop.local', password: PASSWORD }, { client: 'a' });
    expect((await userFromSession(token))?.email).toBe('cong-ty-le-gia@ocop.local');
    const stored = await rows<{ id: string }>(sql`select id from sessions where user_id = ${user.id}`);
    expect(stored.map((s) => s.id)).not.toContain(token);
    expect(await code(login({ email: 'cong-ty-le-gia@ocop.local', password: 'nope' }, { client: 'a' }))).toBe('401 auth.invalid_credentials');
  });

  it('keeps each producer to its own products and lots: nothing of another producer can be read or changed', async () => {
    const a = await signIn('cong-ty-le-gia@ocop.local');
    const b = await signIn('cong-ty-khai-hoan@ocop.local');
    const before = await getOwnProduct(a, 'mam-tom-le-gia');
    expect(await code(getOwnProduct(b, 'mam-tom-le-gia'))).toBe('404 backoffice.product_not_found');
    expect(await code(updateOwnProduct(b, 'mam-tom-le-gia', { price: 1 }))).toBe('404 backoffice.product_not_found');
    const lotOfA = (await listOwnLots(a, 'mam-tom-le-gia'))[0]!;
    expect(await listOwnLots(b, 'mam-tom-le-gia')).toEqual([]);
    expect(await code(getOwnLot(b, lotOfA.id))).toBe('404 backoffice.lot_not_found');
    expect(await code(addLotEvent(b, lotOfA.id, { bizStep: 'shipping', occurredAt: '2026-01-01T08:00' }))).toBe('404 backoffice.lot_not_found');
    expect(await code(createLot(b, { product: 'mam-tom-le-gia', code: 'X1', producedOn: '2026-01-01', quantity: 1 }))).toBe('400 backoffice.invalid');
    expect(await getOwnProduct(a, 'mam-tom-le-gia')).toEqual(before);
    expect((await getOwnLot(a, lotOfA.id)).events.length).toBe(lotOfA.event_count);
  });

  it('creates and edits products, announcing each change to search through the outbox', async () => {
    const a = await signIn('cong-ty-le-gia@ocop.local');
    const product = await createProduct(a, { subgroup: 'processed-produce', nameVi: 'Tương ớt Lê Gia', nameEn: 'Le Gia chilli sauce', price: 45000, unitVi: 'chai', unitEn: 'bottle', stock: 3, status: 'published' });
    expect(product).toMatchObject({ slug: 'tuong-ot-le-gia', group: 'food', status: 'published', approval: 'pending' });
    // A new product waits for the office before it goes public (tests/integration/shop.test.ts has the whole rule).
    expect(await getProduct('tuong-ot-le-gia')).toBeNull();
    await decideProduct(await signIn('admin@ocop.local'), 'tuong-ot-le-gia', { decision: 'approve' });
    expect((await getProduct('tuong-ot-le-gia'))?.price).toBe(45000);
    await updateOwnProduct(a, 'tuong-ot-le-gia', { price: 52000, nameEn: 'Le Gia chilli' });
    expect((await getProduct('tuong-ot-le-gia'))?.price).toBe(52000);
    const messages = await rows<{ payload: { productIds: number[] } }>(sql`select payload from outbox where topic = ${SEARCH_TOPIC} order by id`);
    expect(messages.filter((m) => m.payload.productIds.includes(product.id)).length).toBe(3);
    expect(await code(createProduct(a, { subgroup: 'nope', nameVi: 'x', price: -1 }))).toMatch(/^400 /);
  });

  it('keeps lot events append-only: corrections are error declarations', async () => {
    const a = await signIn('cong-ty-le-gia@ocop.local');
    const lot = await createLot(a, { product: 'mam-tom-le-gia', code: 'LG-T1', producedOn: '2026-03-01', quantity: 100 });
    const first = await addLotEvent(a, lot.id, { bizStep: 'packing', occurredAt: '2026-03-02T09:00', placeName: 'Xưởng' });
    expect(await code(addLotEvent(a, lot.id, { bizStep: 'packing', occurredAt: '2026-03-02T10:00', correctsEventId: first.id }))).toBe('400 backoffice.invalid');
    await addLotEvent(a, lot.id, { bizStep: 'packing', occurredAt: '2026-03-02T10:00', correctsEventId: first.id, errorReason: 'Sai giờ' });
    const { events } = await getOwnLot(a, lot.id);
    expect(events.map((e) => [e.declaredWrong, e.error_reason])).toEqual([[true, null], [false, 'Sai giờ']]);
    await expect(database.get().db.execute(sql`update trace_events set place_name = 'x' where id = ${first.id}`)).rejects.toThrow();
  });

  it('refuses council scores more than 10 points apart, and gives stars by the average', async () => {
    const admin = await signIn('admin@ocop.local');
    const base = { product: 'mam-tom-le-gia', level: 'province', evaluatedOn: '2026-05-01', mandatoryMet: true };
    expect(await code(recordEvaluation(admin, { ...base, members: [{ name: 'A', score: 60, isChair: true }, { name: 'B', score: 70.5 }] }))).toBe('400 certification.score_spread');
    const ok = await recordEvaluation(admin, { ...base, members: [{ name: 'A', score: 60, isChair: true }, { name: 'B', score: 70 }] });
    expect(ok).toMatchObject({ score: 65, stars: 3, certifiable: true });
    expect(await code(recordEvaluation(admin, { ...base, members: [{ name: 'A', score: 60 }, { name: 'B', score: 61 }] }))).toBe('400 certification.no_chair');
    const audit = await rows<{ action: string; actor_email: string }>(sql`select action, actor_email from audit_log where entity_type = 'evaluation' and entity_id = ${String(ok.id)}`);
    expect(audit).toEqual([{ action: 'evaluation.recorded', actor_email: 'admin@ocop.local' }]);
  });

  it('issues with the right authority level, keeps history, and a revocation removes the OCOP badge at once', async () => {
    const admin = await signIn('admin@ocop.local');
    const today = todayInVietnam();
    const evaluation = await recordEvaluation(admin, { product: 'che-dinh-tan-cuong', level: 'province', evaluatedOn: today, mandatoryMet: true, members: [{ name: 'A', score: 75, isChair: true }, { name: 'B', score: 79 }] });
    const issue = { evaluationId: evaluation.id, number: `T-${target}-1`, decisionNumber: '1/QĐ-UBND', authority: 'UBND tỉnh Thái Nguyên', issuedOn: today };
    expect(await code(issueCertificate(admin, { ...issue, authorityLevel: 'central' }))).toBe('400 certification.wrong_authority');
    const { kind, certificate } = await issueCertificate(admin, { ...issue, authorityLevel: 'province' });
    expect(kind).toBe('downgraded');
    expect(certificate).toMatchObject({ stars: 4, status: 'active', supersedesId: expect.any(Number) });
    expect(certificate.validUntil.slice(0, 4)).toBe(String(Number(today.slice(0, 4)) + 3));
    expect((await getProduct('che-dinh-tan-cuong'))?.stars).toBe(4);

    const revoked = await revokeCertificate(admin, certificate.id, { reason: 'Vi phạm an toàn thực phẩm' });
    expect(revoked.status).toBe('revoked');
    const product = await getProduct('che-dinh-tan-cuong');
    expect(product?.stars).toBeNull();
    expect(product?.certificate).toMatchObject({ status: 'revoked', showsBadge: false, revocationReason: 'Vi phạm an toàn thực phẩm' });
    expect(await code(revokeCertificate(admin, certificate.id, { reason: 'again please' }))).toBe('409 certification.not_active');
    // The older free-text form is recorded as "other" with the text as its note; English readers get the label only.
    expect(product?.certificate?.revocationCode).toBe('other');
    expect(revocationText('other', 'Vi phạm an toàn thực phẩm', 'en')).toBe(createT('en')('certificate.revocation.other'));
    expect(revocationText('other', 'Vi phạm an toàn thực phẩm', 'vi')).toBe('Vi phạm an toàn thực phẩm');
    expect(revocationText('food_safety', 'Lô 12', 'vi')).toBe(`${createT('vi')('certificate.revocation.food_safety')} — Lô 12`);
    expect(await code(revokeCertificate(admin, certificate.id, {}))).toBe('400 certification.invalid');
    const actions = await rows<{ action: string }>(sql`select action from audit_log where entity_type = 'certificate' and entity_id = ${String(certificate.id)} order by id`);
    expect(actions.map((a) => a.action)).toEqual(['certificate.downgraded', 'certificate.revoked']);
  });

  it('certs:notify queues one notice per expiring certificate, however often it runs', async () => {
    const first = await queueExpiryNotices();
    expect(first.due).toBeGreaterThan(0);
    expect(first.queued).toBe(first.due);
    const second = await queueExpiryNotices();
    expect(second).toEqual({ due: first.due, queued: 0, alreadyQueued: first.due });
    const notices = await rows<{ n: number }>(sql`select count(*)::int as n from outbox where topic = ${EXPIRY_NOTICE_TOPIC}`);
    expect(notices[0]!.n).toBe(first.due);
  });
});

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { login, type CurrentUser } from '../../src/lib/auth/index.ts';
import {
  createLot, issueStampsForLot, listOwnProducts, ISSUE_LIMIT, lotStampRuns, lotStampsAction, ownRunSheet, ownStampRun, ownStampRuns, previewVoidStamps,
  stampScanReport, stampWarnings, voidOwnRun, voidOwnStamps, lotStampBudget,
} from '../../src/lib/backoffice/index.ts';
import { AppError } from '../../src/lib/errors/index.ts';
import { formatStampCode } from '../../src/lib/stamps/index.ts';
import { flushScans, traceStamp } from '../../src/lib/trace/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
type Producer = CurrentUser & { producerId: number };
const signIn = async (email: string) => (await login({ email, password: 'ocop-demo-2026' }, { client: `t-${email}` })).user as Producer;
const rows = async <T>(query: ReturnType<typeof sql>) => (await database.get().db.execute(query)) as unknown as T[];
const failure = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? `${e.status} ${e.code}${e.fields ? ` ${JSON.stringify(e.fields)}` : ''}` : String(e)));
const ORIGIN = 'https://cho.example.vn';
const sheetOpts = { origin: ORIGIN, tagline: 'Tem truy xuất OCOP', locale: 'vi' as const };

/** What a producer's stamps look like in the database, to prove that a refused request changed nothing. */
async function snapshot(producerSlug: string) {
  return rows<{ code: string; status: string; run_voided: boolean }>(sql`
    select s.code, s.status, r.voided_at is not null as run_voided from stamps s join stamp_runs r on r.id = s.run_id
    join products p on p.id = r.product_id join producers pr on pr.id = p.producer_id where pr.slug = ${producerSlug} order by s.id`);
}

describe(`stamp runs in the back office (${target})`, () => {
  it('issues a run for an own lot, lists it, prints it again as PDF and SVG, and audits it', async () => {
    const a = await signIn('cong-ty-le-gia@ocop.local');
    const lot = await createLot(a, { product: 'mam-tom-le-gia', code: 'TEM-A1', producedOn: '2026-03-01', quantity: 40 });
    const { run, format } = await issueStampsForLot(a, { lotId: lot.id, count: 37, note: 'đợt đầu' }, { origin: ORIGIN });
    expect(format).toBe('json');
    expect(run).toMatchObject({ count: 37, lot: { id: lot.id, code: 'TEM-A1' }, product: { slug: 'mam-tom-le-gia' }, counts: { active: 37, live: 37, voided: 0 }, note: 'đợt đầu' });
    expect(run.stamps).toHaveLength(37);
    expect(run.stamps[0]!.url).toBe(`${ORIGIN}/t/${run.stamps[0]!.code}`);
    expect((await lotStampRuns(a, lot.id)).map((r) => r.id)).toEqual([run.id]);
    expect((await ownStampRuns(a)).some((r) => r.id === run.id)).toBe(true);

    const pdf = await ownRunSheet(a, run.id, 'pdf', sheetOpts);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect({ pages: pdf.pages, labels: pdf.labels, contentType: pdf.contentType }).toEqual({ pages: 2, labels: 37, contentType: 'application/pdf' });
    expect(pdf.filename).toBe(`stamps-mam-tom-le-gia-TEM-A1-run${run.id}.pdf`);
    const svg = (await ownRunSheet(a, run.id, 'svg', sheetOpts)).body.toString();
    expect(svg.match(/data-code="/g)).toHaveLength(37);

    const [audit] = await rows<{ action: string; actor_email: string; after: { count: number } }>(sql`select action, actor_email, after from audit_log where entity_type = 'stamp_run' and entity_id = ${String(run.id)}`);
    expect(audit).toMatchObject({ action: 'stamp_run.issued', actor_email: 'cong-ty-le-gia@ocop.local', after: { count: 37 } });
  });

  it('checks the input per field and keeps a lot within its quantity plus spares', async () => {
    const a = await signIn('cong-ty-le-gia@ocop.local');
    const lot = await createLot(a, { product: 'mam-tom-le-gia', code: 'TEM-A2', producedOn: '2026-03-02', quantity: 100 });
    expect(await failure(issueStampsForLot(a, { lotId: lot.id, count: 0 }))).toBe('400 stamps.invalid {"count":"too_small"}');
    expect(await failure(issueStampsForLot(a, { lotId: lot.id, count: 5001 }))).toBe('400 stamps.invalid {"count":"max_run"}');
    expect(await failure(issueStampsForLot(a, { lotId: lot.id, count: '10' }))).toBe('400 stamps.invalid {"count":"invalid"}');
    expect(await failure(issueStampsForLot(a, { count: 10 }))).toBe('400 stamps.invalid {"lot":"required"}');
    expect(await failure(issueStampsForLot(a, { lotId: lot.id, count: 1, pins: true }))).toContain('"pins":"unknown"');
    expect(lotStampBudget(100)).toBe(120);
    expect(await failure(issueStampsForLot(a, { lotId: lot.id, count: 121 }))).toBe('400 stamps.over_lot {"count":"over_lot"}');
    // By code, as the API allows; spares run out, then voided stamps free their places.
    const { run } = await issueStampsForLot(a, { lot: 'TEM-A2', count: 120 });
    expect(await failure(issueStampsForLot(a, { lot: 'TEM-A2', count: 1 }))).toBe('400 stamps.over_lot {"count":"over_lot"}');
    await voidOwnStamps(a, { codes: run.stamps.slice(0, 2).map((s) => formatStampCode(s.code)), reason: 'in lỗi' });
    expect((await issueStampsForLot(a, { lot: 'TEM-A2', count: 2 })).run.count).toBe(2);
  });

  it('keeps each producer to its own runs and stamps: refused, and nothing changes', async () => {
    const a = await signIn('cong-ty-le-gia@ocop.local');
    const b = await signIn('cong-ty-khai-hoan@ocop.local');
    const lot = await createLot(a, { product: 'mam-tom-le-gia', code: 'TEM-A3', producedOn: '2026-03-03', quantity: 50 });
    const { run } = await issueStampsForLot(a, { lotId: lot.id, count: 5 });
    const before = await snapshot('cong-ty-le-gia');
    const runsOfB = (await ownStampRuns(b)).length;

    expect(await lotStampRuns(b, lot.id)).toEqual([]);
    expect((await ownStampRuns(b)).some((r) => r.id === run.id)).toBe(false);
    expect(await failure(issueStampsForLot(b, { lotId: lot.id, count: 5 }))).toBe('404 backoffice.lot_not_found');
    expect(await failure(issueStampsForLot(b, { lot: 'TEM-A3', count: 5 }))).toBe('404 backoffice.lot_not_found');
    expect(await failure(ownStampRun(b, run.id))).toBe('404 stamps.run_not_found');
    expect(await failure(ownRunSheet(b, run.id, 'pdf', sheetOpts))).toBe('404 stamps.run_not_found');
    expect(await failure(ownRunSheet(b, run.id, 'svg', sheetOpts))).toBe('404 stamps.run_not_found');
    expect(await failure(voidOwnRun(b, run.id, { reason: 'không phải của tôi' }))).toBe('404 stamps.run_not_found');
    expect(await failure(voidOwnStamps(b, { codes: [run.stamps[0]!.code], reason: 'không phải của tôi' }))).toBe('404 stamps.not_found');
    const preview = await previewVoidStamps(b, lot.id, { codes: [run.stamps[0]!.code], reason: 'dò thử' });
    expect(preview).toMatchObject({ ready: false, codes: [{ state: 'not_found', status: null }] });
    // The lot page's form actions go through the same checks.
    expect(await failure(lotStampsAction(b, lot.id, 'stamps.issue', { count: '3' }, ORIGIN))).toBe('404 backoffice.lot_not_found');
    expect(await failure(lotStampsAction(b, lot.id, 'stamps.voidRun', { run: String(run.id), reason: 'phá' }, ORIGIN))).toBe('404 stamps.run_not_found');

    expect(await snapshot('cong-ty-le-gia')).toEqual(before);
    expect((await ownStampRuns(b)).length).toBe(runsOfB);
  });

  it('voids single stamps after checking them, then a whole run; voided stamps leave the print sheet', async () => {
    const a = await signIn('cong-ty-le-gia@ocop.local');
    const lot = await createLot(a, { product: 'mam-tom-le-gia', code: 'TEM-A4', producedOn: '2026-03-04', quantity: 50 });
    const other = await createLot(a, { product: 'mam-tom-le-gia', code: 'TEM-A5', producedOn: '2026-03-04', quantity: 50 });
    const { run } = await issueStampsForLot(a, { lotId: lot.id, count: 10 });
    const { run: elsewhere } = await issueStampsForLot(a, { lotId: other.id, count: 1 });
    const [first, second] = run.stamps;

    const check = await lotStampsAction(a, lot.id, 'stamps.previewVoid', { codes: [formatStampCode(first!.code), 'NOT-A-CODE', elsewhere.stamps[0]!.code], reason: 'rách khi dán' }, ORIGIN);
    expect('preview' in check && check.preview).toMatchObject({ ready: false, codes: [{ state: 'ok', status: 'active' }, { state: 'invalid' }, { state: 'not_found' }] });
    // Stamps of another lot are refused on this lot's page, all or nothing.
    expect(await failure(voidOwnStamps(a, { codes: [first!.code, elsewhere.stamps[0]!.code], reason: 'rách' }, { lotId: lot.id }))).toBe('404 stamps.not_found');
    expect(await failure(voidOwnStamps(a, { codes: [first!.code], reason: '' }))).toBe('400 stamps.invalid {"reason":"required"}');
    expect(await lotStampsAction(a, lot.id, 'stamps.voidStamps', { codes: [first!.code, second!.code.toLowerCase()], reason: 'rách khi dán' }, ORIGIN)).toEqual({ done: 'stamps_voided', count: 2 });
    expect((await ownStampRun(a, run.id)).counts).toMatchObject({ live: 8, voided: 2 });
    expect((await ownRunSheet(a, run.id, 'pdf', sheetOpts)).labels).toBe(8);
    expect(await traceStamp(first!.code)).toMatchObject({ found: true, provenance: { verdict: 'voided' } });

    expect(await lotStampsAction(a, other.id, 'stamps.voidRun', { run: String(run.id), reason: 'sai lô' }, ORIGIN).catch((e: AppError) => e.code)).toBe('stamps.run_not_found');
    expect(await lotStampsAction(a, lot.id, 'stamps.voidRun', { run: String(run.id), reason: 'in nhầm nhãn' }, ORIGIN)).toEqual({ done: 'run_voided', runId: run.id, count: 8 });
    expect(await failure(voidOwnRun(a, run.id, { reason: 'lần nữa' }))).toBe('409 stamps.run_already_voided');
    expect(await failure(ownRunSheet(a, run.id, 'pdf', sheetOpts))).toBe('409 stamps.run_voided');
    expect(await traceStamp(run.stamps[5]!.code)).toMatchObject({ found: true, provenance: { verdict: 'voided' } });
    expect((await lotStampRuns(a, lot.id))[0]).toMatchObject({ voidReason: 'in nhầm nhãn', counts: { live: 0, voided: 10 } });
  });

  it('reports where and how often stamps are scanned, warnings first, to their producer only', async () => {
    const a = await signIn('cong-ty-le-gia@ocop.local');
    const b = await signIn('cong-ty-khai-hoan@ocop.local');
    const lot = await createLot(a, { product: 'mam-tom-le-gia', code: 'TEM-A6', producedOn: '2026-03-05', quantity: 50 });
    const { run } = await issueStampsForLot(a, { lotId: lot.id, count: 3 });
    const [cloned, quiet, voided] = run.stamps.map((s) => s.code);
    const scan = { network: '203.113.0.0/16', client: 'Chrome/Android', language: 'vi', source: 'qr' as const };
    // A cloned stamp: scanned on many days (its earlier history written directly) from three networks.
    await database.get().db.execute(sql`update stamps set scan_count = 30, scan_days = 7, first_scanned_at = now() - interval '9 days', last_scanned_at = now() - interval '1 day' where code = ${cloned}`);
    for (let i = 0; i < 3; i++) await traceStamp(cloned!, { ...scan, network: i === 2 ? '2001:ee0::/32' : scan.network, language: i === 2 ? 'en' : 'vi' });
    await traceStamp(cloned!, { ...scan, network: '14.160.0.0/16', language: 'en' });
    await traceStamp(quiet!, scan);
    await voidOwnStamps(a, { codes: [voided!], reason: 'mất' });
    await traceStamp(voided!, scan);
    await flushScans();

    const warnings = await stampWarnings(a);
    const mine = warnings.top.filter((w) => w.lot.id === lot.id);
    expect(mine.map((w) => [w.code, w.reason])).toEqual([[cloned, 'many_scans'], [voided, 'voided_scanned']]);
    expect(mine[0]).toMatchObject({ scans: 34, days: 8 });
    expect(mine[0]!.places[0]).toEqual({ network: '203.113.0.0/16', language: 'vi', scans: 2 });
    expect(mine[0]!.places.slice(1)).toEqual(expect.arrayContaining([{ network: '2001:ee0::/32', language: 'en', scans: 1 }, { network: '14.160.0.0/16', language: 'en', scans: 1 }]));
    expect(mine[1]).toMatchObject({ voidedScans: 1 });
    expect((await stampWarnings(b)).top.some((w) => w.lot.id === lot.id)).toBe(false);

    const report = await stampScanReport(a);
    expect(report.warnings.length).toBeGreaterThanOrEqual(2);
    expect(report.lots.find((l) => l.id === lot.id)).toMatchObject({ stamps: 3, scanned: 3, scans: 36 });
    expect(report.places.find((p) => p.network === '203.113.0.0/16' && p.language === 'vi')?.scans).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(report)).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.(?!0\/)\d{1,3}\b/);
    expect(report.byDay.at(-1)!.scans).toBeGreaterThanOrEqual(4);
    expect((await stampScanReport(b)).lots.some((l) => l.id === lot.id)).toBe(false);
    // Each scan carries its producer (the report reads scans by producer): set by the scan writer,
    // and by a trigger for rows written any other way.
    expect((await stampScanReport(b)).places.some((p) => p.network === '2001:ee0::/32')).toBe(false);
    await database.get().db.execute(sql`insert into scans (stamp_id, verdict, network_prefix) select id, 'genuine', '198.51.0.0/16' from stamps where code = ${quiet}`);
    const owners = (await database.get().db.execute(sql`
      select distinct x.producer_id = p.producer_id as same from scans x join stamps s on s.id = x.stamp_id join lots l on l.id = s.lot_id join products p on p.id = l.product_id
      where s.code in (${cloned}, ${quiet}, ${voided})`)) as unknown as Array<{ same: boolean }>;
    expect(owners).toEqual([{ same: true }]);
    expect((await stampScanReport(a)).places.some((p) => p.network === '198.51.0.0/16')).toBe(true);
  });

  it('limits how many runs a producer issues per hour (429 with the wait), without counting refused ones', async () => {
    const b = await signIn('cong-ty-khai-hoan@ocop.local');
    const product = (await listOwnProducts(b)).find((p) => p.kind === 'goods')!;
    const lot = await createLot(b, { product: product.slug, code: 'TEM-B1', producedOn: '2026-03-06', quantity: 100 });
    expect(await failure(issueStampsForLot(b, { lotId: lot.id, count: 500 }))).toContain('over_lot');
    for (let i = 0; i < ISSUE_LIMIT.limit; i++) await issueStampsForLot(b, { lotId: lot.id, count: 1 });
    const refused = await issueStampsForLot(b, { lotId: lot.id, count: 1 }).catch((e: AppError) => e);
    expect(refused).toMatchObject({ status: 429, code: 'stamps.rate_limited' });
    expect(Number((refused as AppError).details?.retryAfter)).toBeGreaterThan(0);
    expect((await lotStampRuns(b, lot.id)).length).toBe(ISSUE_LIMIT.limit);
  });
});

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  confirmStampPin, generateStampCode, issueStampRun, PIN_LIMITS, stampSecret, voidStampRun, voidStamps,
} from '../../src/lib/stamps/index.ts';
import {
  appendLotEvent, declareEventError, exportLotEpcis, flushScans, recordRetailSale, traceLot, traceStamp,
} from '../../src/lib/trace/index.ts';
import { insertScanBatch, type PendingScan } from '../../src/lib/trace/trace.repository.ts';
import { hit } from '../../src/lib/ratelimit/index.ts';
import { isAppError } from '../../src/lib/errors/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const rows = async <T>(q: ReturnType<typeof sql>) => (await database.get().db.execute(q)) as unknown as T[];
const scan = { network: '203.113.0.0/16', client: 'Chrome/Android', language: 'vi', source: 'qr' as const };

async function activeStamp(where = sql`true`): Promise<{ code: string; lot_id: number; product_slug: string; producer_id: number }> {
  const [row] = await rows<{ code: string; lot_id: number; product_slug: string; producer_id: number }>(sql`
    select s.code, s.lot_id, p.slug as product_slug, p.producer_id from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id
    left join lateral (select status from certificates c where c.product_id = p.id and c.status <> 'superseded' order by issued_on desc, id desc limit 1) c on true
    where s.status = 'active' and s.scan_count = 0 and ${where} order by s.id limit 1`);
  return row!;
}

describe(`stamp runs (${target})`, () => {
  it('issues a run for the newest released lot, with PINs stored hashed, and voids single stamps and whole runs', async () => {
    const { product_slug, producer_id } = await activeStamp();
    const run = await issueStampRun({ productSlug: product_slug, count: 25, pins: true });
    expect(run.stamps).toHaveLength(25);
    expect(new Set(run.stamps.map((s) => s.code)).size).toBe(25);
    for (const s of run.stamps) expect(s.url).toMatch(new RegExp(`/t/${s.code}$`));
    const stored = await rows<{ status: string; pin_hash: string }>(sql`select status, pin_hash from stamps where run_id = ${run.runId}`);
    expect(stored.every((s) => s.status === 'active' && s.pin_hash && !s.pin_hash.includes(run.stamps[0]!.pin!))).toBe(true);

    // Another producer may not touch them.
    await expect(voidStamps({ codes: [run.stamps[0]!.code], reason: 'lost', producerId: producer_id + 1000 })).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    expect(await voidStamps({ codes: [run.stamps[0]!.code.toLowerCase()], reason: 'damaged in print', producerId: producer_id })).toEqual({ voided: 1 });
    const voided = await traceStamp(run.stamps[0]!.code);
    expect(voided.found && voided.provenance.verdict).toBe('voided');

    expect(await voidStampRun({ runId: run.runId, reason: 'whole sheet misprinted' })).toEqual({ voided: 24 });
    const later = await traceStamp(run.stamps[5]!.code);
    expect(later.found && later.provenance.verdict).toBe('voided');
    await expect(issueStampRun({ productSlug: product_slug, count: 0 })).rejects.toMatchObject({ kind: 'INVALID_DATA' });
    await expect(issueStampRun({ productSlug: 'no-such-product', count: 1 })).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    await expect(issueStampRun({ productSlug: product_slug, count: 1, producerId: producer_id + 1000 })).rejects.toMatchObject({ kind: 'NOT_FOUND' });
  });

  it('confirms a scratch-off PIN once, and limits guessing', async () => {
    const { product_slug } = await activeStamp();
    const run = await issueStampRun({ productSlug: product_slug, count: 2, pins: true });
    const [a, b] = run.stamps;
    const wrong = a!.pin === '00000000' ? '11111111' : '00000000';
    expect(await confirmStampPin({ code: a!.code, pin: wrong, network: '10.1.0.0/16' })).toMatchObject({ outcome: 'wrong', attemptsLeft: PIN_LIMITS.perStamp - 1 });
    expect(await confirmStampPin({ code: a!.code, pin: a!.pin!, network: '10.1.0.0/16' })).toMatchObject({ outcome: 'confirmed' });
    expect(await confirmStampPin({ code: a!.code, pin: a!.pin!, network: '10.1.0.0/16' })).toMatchObject({ outcome: 'already_used' });
    const after = await traceStamp(a!.code);
    expect(after.found && after.provenance.stamp).toMatchObject({ status: 'verified', pin: 'used' });
    for (let i = 0; i < PIN_LIMITS.perStamp; i++) await confirmStampPin({ code: b!.code, pin: wrong, network: '10.2.0.0/16' });
    expect((await confirmStampPin({ code: b!.code, pin: b!.pin!, network: '10.2.0.0/16' })).outcome).toBe('limited');
    expect((await confirmStampPin({ code: generateStampCode('forged'), pin: '12345678', network: '10.3.0.0/16' })).outcome).toBe('unknown');
  });

  it('rate limits count per key in fixed windows', async () => {
    const rule = { limit: 3, windowMs: 60_000 };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await hit(database.get().db, 'test:ratelimit', rule));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.retryAfter).toBeGreaterThan(0);
  });
});

describe(`provenance and scans (${target})`, () => {
  it('answers unknown for forged and mistyped codes without a match', async () => {
    expect(await traceStamp(generateStampCode('not-our-secret'))).toMatchObject({ found: false, verdict: 'unknown' });
    const { code } = await activeStamp();
    const typo = (code[3] === 'A' ? 'B' : 'A');
    expect(await traceStamp(code.slice(0, 3) + typo + code.slice(4))).toMatchObject({ found: false });
    expect(await traceStamp('hello')).toMatchObject({ found: false, code: null });
    expect(await traceStamp(generateStampCode(stampSecret()))).toMatchObject({ found: false, verdict: 'unknown' }); // valid check, never issued
  });

  it('counts scans (buffered, then written); reloads from one network never make a clone warning, many networks do', async () => {
    const { code } = await activeStamp(sql`c.status = 'active' and l.status = 'released'`);
    for (let i = 1; i <= 3; i++) {
      const r = await traceStamp(code, scan);
      expect(r.found && r.provenance.scans.count).toBe(i);
      expect(r.found && r.provenance.verdict).toBe('genuine');
    }
    await flushScans();
    const counters = async (c: string) => (await rows<{ scan_count: number; scan_days: number; scan_networks: number; scan_peak_networks: number; n: number }>(sql`
      select scan_count, scan_days, scan_networks, scan_peak_networks, (select count(*)::int from scans where stamp_id = s.id) as n from stamps s where code = ${c}`))[0];
    expect(await counters(code)).toEqual({ scan_count: 3, scan_days: 1, scan_networks: 1, scan_peak_networks: 1, n: 3 });
    const read = await traceStamp(code); // not a scan
    expect(read.found && read.provenance.scans.count).toBe(3);

    // Issue 12: 21 reloads by one visitor, and the same network on many days, stay genuine for every later buyer.
    for (let i = 0; i < 21; i++) await traceStamp(code, scan);
    await flushScans();
    await database.get().db.execute(sql`update stamps set scan_days = 12 where code = ${code}`);
    const later = await traceStamp(code, { ...scan, network: '113.160.0.0/16' });
    expect(later.found && later.provenance).toMatchObject({ verdict: 'genuine', scans: { count: 25 } });
    await flushScans();
    expect(await counters(code)).toMatchObject({ scan_count: 25, scan_networks: 2, scan_peak_networks: 2 });

    // A clone: the code turns up on five networks in one day ("several provinces in a day").
    const { code: sameDay } = await activeStamp();
    for (const net of ['1.52.0.0/16', '14.161.0.0/16', '27.64.0.0/16', '42.112.0.0/16', '58.186.0.0/16']) await traceStamp(sameDay, { ...scan, network: net });
    await flushScans();
    expect(await counters(sameDay)).toMatchObject({ scan_networks: 5, scan_peak_networks: 5 });
    const flagged = await traceStamp(sameDay);
    expect(flagged.found && flagged.provenance).toMatchObject({ verdict: 'warning', reason: 'many_scans' });

    // A clone spread out: one network a day over nine days (earlier scans written directly), nine networks in all.
    const { code: spread } = await activeStamp();
    await database.get().db.execute(sql`
      insert into scans (stamp_id, producer_id, scanned_at, verdict, network_prefix, client, language, source)
      select s.id, p.producer_id, now() - make_interval(days => g), 'genuine', '100.' || g || '.0.0/16', 'Chrome/Android', 'vi', 'qr'
      from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id, generate_series(1, 8) g where s.code = ${spread}`);
    await database.get().db.execute(sql`update stamps set scan_count = 8, scan_days = 8, last_scanned_at = now() - interval '1 day' where code = ${spread}`);
    await traceStamp(spread, scan);
    await flushScans();
    expect(await counters(spread)).toMatchObject({ scan_networks: 9, scan_peak_networks: 1 });
    expect(await traceStamp(spread)).toMatchObject({ found: true, provenance: { verdict: 'warning', reason: 'many_scans' } });

    // The writer recounts from the distinct (day, network) pairs a trigger keeps (migration 0023),
    // not from every scan: the figures must be those a recount from every scan gives.
    const recount = await rows<{ code: string; kept: string; recounted: string }>(sql`
      with per_day as (
        select x.stamp_id, (x.scanned_at at time zone 'Asia/Ho_Chi_Minh')::date as day, count(distinct coalesce(x.network_prefix, '?'))::int as n
        from scans x group by 1, 2)
      select s.code, s.scan_networks || '/' || s.scan_peak_networks as kept,
        (select count(distinct coalesce(y.network_prefix, '?')) from scans y where y.stamp_id = s.id) || '/' || (select max(n) from per_day d where d.stamp_id = s.id) as recounted
      from stamps s where s.code in (${code}, ${sameDay}, ${spread})`);
    expect(recount).toHaveLength(3);
    for (const r of recount) expect(r.kept, r.code).toBe(r.recounted);
  });

  it('stamp look-ups arriving together (one statement) each get their own stamp, and see a change committed before them', async () => {
    const codes = (await rows<{ code: string }>(sql`select s.code from stamps s where s.status in ('active', 'sold') order by s.id limit 20`)).map((r) => r.code);
    expect(codes.length).toBeGreaterThan(5);
    const asked = [...codes, ...codes.slice(0, 5).reverse(), 'not-a-code'];
    const results = await Promise.all(asked.map((c) => traceStamp(c)));
    results.forEach((r, i) => expect(r.found ? r.provenance.code : null, asked[i]).toBe(i < asked.length - 1 ? asked[i] : null));
    expect(await voidStamps({ codes: [codes[0]!], reason: 'lost roll' })).toEqual({ voided: 1 });
    const again = await Promise.all(codes.slice(0, 3).map((c) => traceStamp(c)));
    expect(again.map((r) => r.found && r.provenance.verdict)).toEqual(['voided', expect.not.stringMatching(/^voided$/), expect.not.stringMatching(/^voided$/)]);
  });

  it('batches of the same stamps written at once (several processes) never deadlock, and every counter matches the scans', async () => {
    // Each web process writes its own batches (lib/trace scan-buffer): the same stamps, any order,
    // new networks for the insert trigger to recount (migration 0023), all at the same moment.
    const ids = (await rows<{ id: number }>(sql`select s.id from stamps s where s.status in ('active', 'sold') order by s.id limit 12`)).map((r) => Number(r.id));
    expect(ids.length).toBeGreaterThan(5);
    const batch = (k: number): PendingScan[] => Array.from({ length: 120 }, (_, i) => ({
      stampId: ids[(i * (k + 1) + k) % ids.length]!, at: new Date(Date.now() - ((i + k) % 3) * 86_400_000), verdict: 'genuine',
      network: `10.${(i + 3 * k) % 7}.0.0/16`, client: 'Chrome/Android', language: 'vi', source: 'qr',
    })).reverse();
    const { sql: client } = database.get();
    const settled = await Promise.allSettled(Array.from({ length: 8 }, (_, k) => insertScanBatch(client, batch(k))));
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    const drift = await rows<{ id: number; kept: string; recounted: string; scans: number; counted: number }>(sql`
      with per_day as (
        select x.stamp_id, (x.scanned_at at time zone 'Asia/Ho_Chi_Minh')::date as day, count(distinct coalesce(x.network_prefix, '?'))::int as n
        from scans x group by 1, 2)
      select s.id, s.scan_networks || '/' || s.scan_peak_networks as kept, s.scan_count as counted,
        (select count(*) from scans y where y.stamp_id = s.id)::int as scans,
        (select count(distinct coalesce(y.network_prefix, '?')) from scans y where y.stamp_id = s.id) || '/' || (select max(n) from per_day d where d.stamp_id = s.id) as recounted
      from stamps s where s.id in (select x.stamp_id from scans x where x.network_prefix like '10.%')`);
    expect(drift.length).toBe(ids.length);
    for (const d of drift) {
      expect(d.kept, `stamp ${d.id}`).toBe(d.recounted);
      expect(d.counted, `stamp ${d.id}`).toBe(d.scans);
    }
  });

  it('a genuine stamp shows "certificate revoked" the moment the certificate is revoked', async () => {
    const { code } = await activeStamp(sql`c.status = 'active' and l.status = 'released'`);
    const before = await traceStamp(code);
    expect(before.found && before.provenance).toMatchObject({ verdict: 'genuine', alert: null });
    const slug = before.found ? before.provenance.product.slug : '';
    await database.get().db.execute(sql`
      update certificates set status = 'revoked', revoked_at = now(), revocation_reason = 'Vi phạm an toàn thực phẩm'
      where id = (select c.id from certificates c join products p on p.id = c.product_id where p.slug = ${slug} and c.status = 'active' order by c.issued_on desc limit 1)`);
    const after = await traceStamp(code);
    expect(after.found && after.provenance).toMatchObject({ verdict: 'genuine', alert: 'certificate_revoked', certificate: { status: 'revoked', showsBadge: false } });
  });

  it('a recalled lot overrides everything', async () => {
    const { code, lot_id } = await activeStamp();
    await database.get().db.execute(sql`update lots set status = 'recalled', recall_reason = 'Nhiễm khuẩn' where id = ${lot_id}`);
    const r = await traceStamp(code);
    expect(r.found && r.provenance).toMatchObject({ alert: 'recall', lot: { status: 'recalled', recallReason: 'Nhiễm khuẩn' } });
  });
});

describe(`lot events, EPCIS (${target})`, () => {
  it('appends events, refuses edits, corrects by error declaration, and exports EPCIS 2.0', async () => {
    const { lot_id, code } = await activeStamp();
    const { id } = await appendLotEvent({
      lotId: lot_id, eventType: 'TransformationEvent', bizStep: 'commissioning', disposition: 'active', occurredAt: '2026-01-05T08:00:00+07:00',
      readPoint: 'urn:epc:id:sgln:8934588.00001.0', placeName: 'Xưởng chế biến', actor: 'HTX',
      inputs: [{ quantity: 140, uom: 'KGM', epcClass: 'urn:ocop:material:fresh-leaves' }], outputs: [{ lotId: lot_id, quantity: 100, uom: 'KGM' }],
      evidence: [{ type: 'test-report', title: 'Phiếu kiểm nghiệm', url: '/media/docs/x.pdf' }],
    });
    await expect(appendLotEvent({ lotId: lot_id, bizStep: 'teleporting' as never, occurredAt: new Date() })).rejects.toMatchObject({ kind: 'INVALID_DATA' });
    await expect(appendLotEvent({ lotId: lot_id, eventType: 'TransformationEvent', bizStep: 'transforming', occurredAt: new Date() })).rejects.toMatchObject({ fields: { inputs: expect.any(String) } });
    await expect(appendLotEvent({ lotId: lot_id, bizStep: 'shipping', occurredAt: new Date(Date.now() + 86_400_000) })).rejects.toMatchObject({ fields: { occurredAt: expect.any(String) } });
    await expect(appendLotEvent({ lotId: lot_id, bizStep: 'shipping', occurredAt: new Date() }, { producerId: -1 })).rejects.toMatchObject({ kind: 'NOT_FOUND' });

    await expect(database.get().db.execute(sql`update trace_events set biz_step = 'packing' where id = ${id}`)).rejects.toSatisfy((e: unknown) => /append-only/.test(String((e as { cause?: Error }).cause?.message ?? e)));
    const { declarationId, correctiveId } = await declareEventError({
      eventId: id, reason: 'Sai khối lượng đầu vào',
      corrective: { eventType: 'TransformationEvent', bizStep: 'commissioning', occurredAt: '2026-01-05T08:00:00+07:00', inputs: [{ quantity: 150, uom: 'KGM' }], outputs: [{ lotId: lot_id, quantity: 100, uom: 'KGM' }] },
    });
    expect(correctiveId).toBeGreaterThan(declarationId);
    await expect(declareEventError({ eventId: id, reason: 'again' })).rejects.toMatchObject({ kind: 'CONFLICT' });

    const p = await traceLot(lot_id);
    const original = p!.events.find((e) => e.id === id)!;
    expect(original.declaredWrong).toMatchObject({ reason: 'Sai khối lượng đầu vào' });
    expect(p!.events.find((e) => e.id === declarationId)!.corrects).toEqual({ eventId: id, reason: 'Sai khối lượng đầu vào' });

    const doc = await exportLotEpcis(lot_id, 'https://cho-ocop.example.vn') as { type: string; schemaVersion: string; epcisBody: { eventList: Array<Record<string, any>> }; epcisHeader: any };
    expect(doc).toMatchObject({ type: 'EPCISDocument', schemaVersion: '2.0' });
    const events = doc.epcisBody.eventList;
    const exported = events.filter((e) => e.eventID.endsWith(`#event-${id}`));
    expect(exported).toHaveLength(2); // the event and its error declaration (same eventID)
    expect(exported[1]!.errorDeclaration).toMatchObject({ reason: 'incorrect_data' });
    expect(exported[0]).toMatchObject({ type: 'TransformationEvent', bizStep: 'commissioning', inputQuantityList: [{ epcClass: 'urn:ocop:material:fresh-leaves', quantity: 140, uom: 'KGM' }], readPoint: { id: 'urn:epc:id:sgln:8934588.00001.0' } });
    expect(exported[0]!.outputQuantityList[0].epcClass).toMatch(/^https:\/\/id\.gs1\.org\/01\/\d{14}\/10\//);
    expect(exported[0]!.ilmd['cbvmda:lotNumber']).toBeTruthy();
    for (const e of events) {
      expect(e.eventTime).toMatch(/Z$/);
      expect(e.eventTimeZoneOffset).toMatch(/^[+-]\d\d:\d\d$/);
    }
    expect(doc.epcisHeader.epcisMasterData.vocabularyList[0].vocabularyElementList[0].id).toMatch(/\/10\//);

    // A sale on this site: active → sold with a retail_selling event.
    const sold = await database.get().db.transaction((tx) => recordRetailSale(tx, { codes: [code], reference: 'ord_test' }));
    expect(sold).toBe(1);
    const s = await traceStamp(code);
    expect(s.found && s.provenance.stamp?.status).toBe('sold');
    expect(s.found && s.provenance.events.some((e) => e.bizStep === 'retail_selling')).toBe(true);
    await expect(database.get().db.transaction((tx) => recordRetailSale(tx, { codes: [code] }))).rejects.toSatisfy((e: unknown) => isAppError(e) && e.kind === 'CONFLICT');
  });
});

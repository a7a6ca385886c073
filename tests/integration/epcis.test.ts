import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureDocument, captureJob, queryEvents, tradeItem, type EpcisProblem } from '../../src/lib/epcis/index.ts';
import { issueStampRun } from '../../src/lib/stamps/index.ts';
import { exportLotEpcis, traceLot } from '../../src/lib/trace/index.ts';
import { toGtin14 } from '../../src/lib/catalog/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

/**
 * EPCIS 2.0 capture and query against the real database: the standard's own examples with the
 * identifiers swapped for a producer's, idempotency by eventID, ownership, schema errors, the
 * lot timeline, and every document served validated against GS1's EPCIS schema.
 */
const database = useTestDatabase();
const rows = async <T>(q: ReturnType<typeof sql>) => (await database.get().db.execute(q)) as unknown as T[];
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateEpcis = ajv.compile(JSON.parse(fs.readFileSync(path.join(process.cwd(), 'src/lib/epcis/schema/EPCIS-JSON-Schema.json'), 'utf8')));
const example = (name: string) => JSON.parse(fs.readFileSync(path.join(process.cwd(), 'tests/fixtures/epcis', `${name}.jsonld`), 'utf8')) as Record<string, any>;
const ORIGIN = 'https://cho-ocop.example.vn';
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];
const doc = (eventList: unknown[]) => ({ '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-20T08:00:00Z', epcisBody: { eventList } });
const event = (extra: Record<string, unknown>) => ({ type: 'ObjectEvent', action: 'OBSERVE', eventTime: '2026-11-02T03:00:00Z', eventTimeZoneOffset: '+07:00', ...extra });
// urn:epc forms of a GTIN-14 (company prefix of 7 digits, as 893 prefixes usually are).
const urn = (kind: 'id:sgtin' | 'class:lgtin' | 'idpat:sgtin', gtin14: string, v: string) => `urn:epc:${kind}:${gtin14.slice(1, 8)}.${gtin14[0]}${gtin14.slice(8, 13)}.${v}`;

interface Mine { producerId: number; userId: number; slug: string; gtin: string; lotId: number; lot: string; stamps: string[]; otherGtin: string }
let me: Mine;

async function captured(filter = sql`true`) {
  return rows<{ id: number; lot_id: number; epcis_event_id: string; biz_step: string; corrects_event_id: number | null }>(sql`
    select id, lot_id, epcis_event_id, biz_step, corrects_event_id from trace_events where epcis_event_id is not null and ${filter} order by id`);
}

async function failsWith(promise: Promise<unknown>): Promise<EpcisProblem> {
  try {
    await promise;
  } catch (e) {
    return e as EpcisProblem;
  }
  throw new Error('expected a problem');
}

describe(`EPCIS 2.0 capture and query (${target})`, () => {
  beforeAll(async () => {
    const [p] = await rows<{ producer_id: number; slug: string; gtin: string }>(sql`
      select p.producer_id, p.slug, p.gtin from products p
      where p.gtin is not null and p.status = 'published' and exists (select 1 from lots l where l.product_id = p.id and l.status = 'released')
      order by p.id limit 1`);
    const run = await issueStampRun({ productSlug: p!.slug, count: 4 });
    const [lot] = await rows<{ id: number; code: string }>(sql`select l.id, l.code from stamps s join lots l on l.id = s.lot_id where s.code = ${run.stamps[0]!.code}`);
    const [user] = await rows<{ id: number }>(sql`select id from users where producer_id = ${p!.producer_id} limit 1`);
    const [other] = await rows<{ gtin: string }>(sql`select gtin from products where producer_id <> ${p!.producer_id} and gtin is not null limit 1`);
    me = { producerId: p!.producer_id, userId: user!.id, slug: p!.slug, gtin: toGtin14(p!.gtin), lotId: lot!.id, lot: lot!.code, stamps: run.stamps.map((s) => s.code), otherGtin: toGtin14(other!.gtin) };
  });

  const capture = (document: unknown, behaviour: 'rollback' | 'proceed' = 'rollback', producerId = me.producerId) =>
    captureDocument({ document, producerId, userId: me.userId, behaviour });
  const lotDL = () => `https://id.gs1.org/01/${me.gtin}/10/${encodeURIComponent(me.lot)}`;

  it('accepts the standard\'s four examples with the producer\'s identifiers, files them in the lot\'s timeline', async () => {
    const swap = (value: unknown): unknown => {
      if (typeof value === 'string') {
        if (value.startsWith('urn:epc:id:sgtin:')) return urn('id:sgtin', me.gtin, me.stamps[Math.abs(value.length + value.charCodeAt(value.length - 1)) % me.stamps.length]!);
        if (value.startsWith('urn:epc:class:lgtin:')) return urn('class:lgtin', me.gtin, encodeURIComponent(me.lot));
        if (value.startsWith('urn:epc:idpat:sgtin:')) return urn('idpat:sgtin', me.gtin, '*');
        return value;
      }
      if (Array.isArray(value)) return value.map(swap);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
      return value;
    };
    for (const name of ['Example_9.6.1-ObjectEvent', 'Example_9.6.2-ObjectEvent', 'Example_9.6.3-AggregationEvent', 'Example_9.6.4-TransformationEvent']) {
      const original = example(name);
      expect(validateEpcis(original), name).toBe(true);
      const { captureID } = await capture(swap(original));
      const job = await captureJob(captureID, me.producerId);
      expect(job, name).toMatchObject({ captureID, running: false, success: true, captureErrorBehaviour: 'rollback', errors: [] });
      for (const e of original.epcisBody.eventList) expect((await captured(sql`epcis_event_id = ${e.eventID}`)).map((r) => r.lot_id), name).toEqual([me.lotId]);
    }
    // In the lot's timeline and on its provenance page, like events typed in the dashboard.
    const provenance = await traceLot(me.lotId);
    const steps = provenance!.events.map((e) => e.bizStep);
    for (const step of ['shipping', 'receiving', 'commissioning']) expect(steps).toContain(step);
    // The lot's EPCIS export keeps its form, shows the captured events under their own eventIDs, and validates.
    const exported = await exportLotEpcis(me.lotId, ORIGIN) as Record<string, any>;
    expect(validateEpcis(exported), JSON.stringify(validateEpcis.errors)).toBe(true);
    expect(exported.type).toBe('EPCISDocument');
    const ids = exported.epcisBody.eventList.map((e: { eventID: string }) => e.eventID);
    expect(ids).toContain(example('Example_9.6.1-ObjectEvent').epcisBody.eventList[0].eventID);
  });

  it('is idempotent by eventID, also for events sent without one', async () => {
    const withId = event({ eventID: 'urn:uuid:5f0e0c1e-7b7e-4d55-9a0e-idempotent01', bizStep: 'inspecting', quantityList: [{ epcClass: lotDL(), quantity: 3 }] });
    const withoutId = event({ bizStep: 'storing', epcList: [`https://id.gs1.org/01/${me.gtin}/21/${me.stamps[0]}`] });
    const before = (await captured()).length;
    await capture(doc([withId, withoutId]));
    await capture(doc([withId, withoutId]));
    const again = await capture(doc([withoutId, withId, withId]));
    expect((await captured()).length).toBe(before + 2);
    expect(await captureJob(again.captureID, me.producerId)).toMatchObject({ success: true, capturedCount: 0 });
  });

  it('accepts only the producer\'s own GTINs and lots: rollback stores nothing, proceed stores the good events', async () => {
    const good = event({ eventID: 'urn:uuid:own-good-1', bizStep: 'packing', quantityList: [{ epcClass: urn('class:lgtin', me.gtin, encodeURIComponent(me.lot)), quantity: 5 }] });
    const foreign = event({ eventID: 'urn:uuid:foreign-1', bizStep: 'packing', quantityList: [{ epcClass: `https://id.gs1.org/01/${me.otherGtin}/10/X1`, quantity: 5 }] });
    const unknownLot = event({ eventID: 'urn:uuid:own-unknown-lot', bizStep: 'packing', quantityList: [{ epcClass: `https://id.gs1.org/01/${me.gtin}/10/NO-SUCH-LOT`, quantity: 5 }] });
    const nothingOwn = event({ eventID: 'urn:uuid:no-lot', bizStep: 'packing', epcList: ['urn:epc:id:sscc:0614141.1234567890'] });
    const rolled = await capture(doc([good, foreign, unknownLot, nothingOwn]));
    const job = await captureJob(rolled.captureID, me.producerId);
    expect(job.success).toBe(false);
    expect(job.capturedCount).toBe(0);
    expect(job.errors.map((e) => e.eventIndex)).toEqual([1, 2, 3]);
    expect(job.errors[0]!.type).toBe('epcisException:ValidationException');
    expect(job.errors[0]!.title).toMatch(/not one of your products/);
    expect(await captured(sql`epcis_event_id like 'urn:uuid:own-%' or epcis_event_id like 'urn:uuid:foreign-%'`)).toEqual([]);

    const proceeded = await capture(doc([good, foreign]), 'proceed');
    expect(await captureJob(proceeded.captureID, me.producerId)).toMatchObject({ success: false, capturedCount: 1, captureErrorBehaviour: 'proceed' });
    expect((await captured(sql`epcis_event_id = 'urn:uuid:own-good-1'`)).map((r) => r.lot_id)).toEqual([me.lotId]);
    // Another producer can neither reuse the eventID nor read the job.
    const [other] = await rows<{ producer_id: number }>(sql`select producer_id from products where producer_id <> ${me.producerId} and gtin is not null limit 1`);
    const stolen = await capture(doc([good]), 'rollback', other!.producer_id);
    expect((await captureJob(stolen.captureID, other!.producer_id)).success).toBe(false);
    expect((await failsWith(captureJob(proceeded.captureID, other!.producer_id))).toJSON()).toMatchObject({ type: 'epcisException:NoSuchResourceException', status: 404 });
  });

  it('refuses documents that break the schema or the CBV vocabulary with ValidationException', async () => {
    for (const bad of [
      doc([event({ bizStep: 'shippping', epcList: [] })]),
      doc([{ type: 'ObjectEvent', action: 'OBSERVE', epcList: [] }]),
      { type: 'EPCISDocument' },
      doc([event({ action: 'MOVE', epcList: [] })]),
    ]) {
      const problem = await failsWith(capture(bad));
      expect(problem.toJSON()).toMatchObject({ type: 'epcisException:ValidationException', status: 400 });
      expect(problem.errors?.length).toBeGreaterThan(0);
    }
    const tooMany = await failsWith(capture(doc(Array.from({ length: 501 }, () => event({ epcList: [] })))));
    expect(tooMany.toJSON()).toMatchObject({ type: 'epcisException:CaptureLimitExceededException', status: 413 });
  });

  it('captures an error declaration as a correction of the original event', async () => {
    const original = event({ eventID: 'urn:uuid:to-be-declared', bizStep: 'shipping', quantityList: [{ epcClass: lotDL(), quantity: 1 }] });
    await capture(doc([original]));
    await capture(doc([{ ...original, errorDeclaration: { declarationTime: '2026-11-03T00:00:00Z', reason: 'incorrect_data' } }]));
    const list = await captured(sql`epcis_event_id = 'urn:uuid:to-be-declared'`);
    expect(list).toHaveLength(2);
    expect(list[1]!.corrects_event_id).toBe(list[0]!.id);
  });

  it('queries by bizStep, lot and serial (Digital Link and urn:epc), time window, pages with nextPageToken; public events only for anonymous callers', async () => {
    const all = async (params: Record<string, string>, viewer: number | null = null) => {
      const out: Array<Record<string, any>> = [];
      let token: string | null = null;
      do {
        const p = new URLSearchParams({ ...params, ...(token ? { nextPageToken: token } : {}) });
        const { document, nextPageToken } = await queryEvents(p, viewer, ORIGIN);
        expect(validateEpcis(document), JSON.stringify(validateEpcis.errors)).toBe(true);
        expect(document.type).toBe('EPCISQueryDocument');
        out.push(...(document as any).epcisBody.queryResults.resultsBody.eventList);
        token = nextPageToken;
      } while (token);
      return out;
    };
    const serialEvent = event({ eventID: 'urn:uuid:serial-only', bizStep: 'dispensing', eventTime: '2026-11-05T01:00:00Z', epcList: [urn('id:sgtin', me.gtin, me.stamps[1]!)] });
    await capture(doc([serialEvent]));

    const shipping = await all({ EQ_bizStep: 'shipping', perPage: '2' });
    expect(shipping.length).toBeGreaterThan(0);
    expect(shipping.every((e) => e.bizStep === 'shipping')).toBe(true);
    expect((await all({ EQ_bizStep: 'urn:epcglobal:cbv:bizstep:shipping' })).length).toBe(shipping.length);

    // One page at a time gives the same events as one big page, in order, without repeats.
    const lot = await all({ MATCH_epc: lotDL(), perPage: '3' });
    const big = (await queryEvents(new URLSearchParams({ MATCH_epc: lotDL(), perPage: '500' }), null, ORIGIN)).document as any;
    expect(lot.map((e) => e.eventID)).toEqual(big.epcisBody.queryResults.resultsBody.eventList.map((e: any) => e.eventID));
    expect(lot.map((e) => e.eventID)).toContain('urn:uuid:serial-only');
    expect((await all({ MATCH_anyEPC: urn('class:lgtin', me.gtin, encodeURIComponent(me.lot)) })).length).toBe(lot.length);

    // A serial finds the events naming it and its lot's lot-wide events, not events about other serials.
    for (const id of [`https://id.gs1.org/01/${me.gtin}/21/${me.stamps[1]}`, urn('id:sgtin', me.gtin, me.stamps[1]!)]) {
      const found = (await all({ MATCH_epc: id })).map((e) => e.eventID);
      expect(found).toContain('urn:uuid:serial-only');
      expect(found).toContain('urn:uuid:own-good-1');
    }
    const otherSerial = (await all({ MATCH_epc: `https://id.gs1.org/01/${me.gtin}/21/${me.stamps[3]}` })).map((e) => e.eventID);
    expect(otherSerial).not.toContain('urn:uuid:serial-only');

    const window = await all({ MATCH_epc: lotDL(), GE_eventTime: '2026-11-05T00:00:00Z', LT_eventTime: '2026-11-05T02:00:00+00:00' });
    expect(window.map((e) => e.eventID)).toEqual(['urn:uuid:serial-only']);

    // A draft lot's events are the producer's business only.
    await database.get().db.execute(sql`update lots set status = 'draft' where id = ${me.lotId}`);
    expect(await all({ MATCH_epc: lotDL() })).toEqual([]);
    expect((await all({ MATCH_epc: lotDL() }, me.producerId)).length).toBe(lot.length);
    await database.get().db.execute(sql`update lots set status = 'released' where id = ${me.lotId}`);
  });

  it('answers bad query parameters with QueryParameterException', async () => {
    for (const q of ['GE_eventTime=yesterday', 'perPage=0', 'perPage=abc', 'nextPageToken=garbage', 'EQ_nosuch=1', 'MATCH_epc=urn:epc:id:sgtin:12.x']) {
      const problem = await failsWith(queryEvents(new URLSearchParams(q), null, ORIGIN));
      expect(problem.toJSON(), q).toMatchObject({ type: 'epcisException:QueryParameterException', status: 400 });
    }
  });

  it('reads trade items in both identifier forms', () => {
    expect(tradeItem('urn:epc:id:sgtin:0614141.107346.2017')).toEqual({ gtin: '10614141073464', serial: '2017' });
    expect(tradeItem('urn:epc:class:lgtin:4012345.012345.998877')).toEqual({ gtin: '04012345123456', lot: '998877' });
    expect(tradeItem('https://id.gs1.org/01/09506000134352/10/AB%2F1/21/7')).toEqual({ gtin: '09506000134352', lot: 'AB/1', serial: '7' });
    expect(tradeItem('urn:epc:id:sscc:0614141.1234567890')).toBeNull();
  });
});

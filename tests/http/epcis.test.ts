import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { get, getJson, servers } from '../support/http.ts';

/**
 * The EPCIS 2.0 REST binding over HTTP, on each database: a producer's system captures with its
 * Bearer token (server to server: JSON, no Origin header), reads its capture job, and anyone
 * queries; every document served validates against GS1's EPCIS 2.0 schema.
 */
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateEpcis = ajv.compile(JSON.parse(fs.readFileSync(path.join(process.cwd(), 'src/lib/epcis/schema/EPCIS-JSON-Schema.json'), 'utf8')));
const PRODUCER = 'cong-ty-le-gia@ocop.local';
const PRODUCT = 'mam-tom-le-gia';

describe.each(servers)('EPCIS 2.0 REST binding on $name', ({ url }) => {
  let token: string;
  let gtin: string;
  let lotCode: string;
  let lotId: number;

  beforeAll(async () => {
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: PRODUCER, password: 'ocop-demo-2026' }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await fetch(`${url}/dashboard/account`, { method: 'POST', headers: { cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: '_action=token&name=ERP' });
    token = /data-testid="new-token">([^<]+)</.exec(await page.text())![1]!;
    gtin = (await getJson<{ gtin: string }>(url, `/api/products/${PRODUCT}`)).body.gtin.padStart(14, '0');
    lotCode = `E${Date.now().toString(36).toUpperCase()}`;
    const lot = await fetch(`${url}/api/producer/lots`, { method: 'POST', headers: { cookie, origin: url, 'content-type': 'application/json' }, body: JSON.stringify({ product: PRODUCT, code: lotCode, producedOn: '2026-10-01', quantity: 50 }) });
    expect(lot.status).toBe(201);
    lotId = ((await lot.json()) as { id: number }).id;
  });

  const document = (eventID: string, bizStep = 'shipping') => ({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-20T08:00:00Z',
    epcisBody: { eventList: [{
      eventID, type: 'ObjectEvent', action: 'OBSERVE', bizStep, disposition: 'in_transit',
      eventTime: '2026-11-10T02:00:00Z', eventTimeZoneOffset: '+07:00',
      quantityList: [{ epcClass: `https://id.gs1.org/01/${gtin}/10/${lotCode}`, quantity: 12, uom: 'KGM' }],
      readPoint: { id: 'urn:epc:id:sgln:8930000.00001.0' },
    }] },
  });
  const capture = (body: unknown, headers: Record<string, string> = {}) => fetch(`${url}/epcis/capture`, {
    method: 'POST', redirect: 'manual',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/ld+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const problemOf = async (res: Response) => {
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    return (await res.json()) as { type: string; status: number; title: string; detail: string };
  };

  it('captures with the producer\'s Bearer token: 202 + Location of the capture job, idempotent by eventID', async () => {
    const res = await capture(document('urn:uuid:http-capture-1'));
    expect(res.status).toBe(202);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/epcis\/capture\/cj_[0-9a-f]{32}$/);
    expect(res.headers.get('gs1-epcis-version')).toBe('2.0.0');
    const job = await fetch(`${url}${location}`, { headers: { authorization: `Bearer ${token}` } });
    expect(job.status).toBe(200);
    expect(await job.json()).toMatchObject({ captureID: location.split('/').pop(), running: false, success: true, captureErrorBehaviour: 'rollback', capturedCount: 1 });
    expect((await get(url, location)).status).toBe(401);

    const again = await capture(document('urn:uuid:http-capture-1'));
    expect(again.status).toBe(202);
    expect(await (await fetch(`${url}${again.headers.get('location')}`, { headers: { authorization: `Bearer ${token}` } })).json()).toMatchObject({ success: true, capturedCount: 0 });

    // The event is in the lot's timeline page and its EPCIS export (which validates).
    const lotPage = await get(url, `/t/lot/${lotId}`);
    expect(lotPage.status).toBe(200);
    expect(await lotPage.text()).toContain('Xuất hàng'); // the shipping step, as the timeline names it
    const exported = await get(url, `/api/trace/lots/${lotId}/epcis`);
    const doc = await exported.json() as { epcisBody: { eventList: Array<{ eventID: string }> } };
    expect(validateEpcis(doc), JSON.stringify(validateEpcis.errors)).toBe(true);
    expect(doc.epcisBody.eventList.map((e) => e.eventID)).toContain('urn:uuid:http-capture-1');
  });

  it('refuses with the standard\'s error types: 401 SecurityException, 415, 400 ValidationException', async () => {
    const anonymous = await fetch(`${url}/epcis/capture`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(document('urn:uuid:x')) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expect((await problemOf(anonymous)).type).toBe('epcisException:SecurityException');
    const forged = await capture(document('urn:uuid:x'), { authorization: 'Bearer ocop_not_a_real_token' });
    expect(forged.status).toBe(401);
    const xml = await capture('<epcis/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect((await problemOf(xml)).type).toBe('epcisException:UnsupportedMediaTypeException');
    const broken = await capture('{"type": "EPCISDocument", ');
    expect(broken.status).toBe(400);
    const invalid = await capture(document('urn:uuid:bad-step', 'shippping'));
    expect(invalid.status).toBe(400);
    const problem = await problemOf(invalid);
    expect(problem).toMatchObject({ type: 'epcisException:ValidationException', status: 400 });
    expect(problem.detail).toContain('bizStep');
    expect((await fetch(`${url}/epcis/capture`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).status).toBe(405);
  });

  it('queries events anonymously with the standard parameters, paged by nextPageToken in a Link header', async () => {
    await capture({ ...document('urn:uuid:http-query-2', 'receiving') });
    const lot = encodeURIComponent(`https://id.gs1.org/01/${gtin}/10/${lotCode}`);
    const seen: string[] = [];
    let next: string | null = `/epcis/events?MATCH_epc=${lot}&perPage=1`;
    while (next) {
      const res = await get(url, next);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = await res.json() as { type: string; epcisBody: { queryResults: { resultsBody: { eventList: Array<{ eventID: string }> } } } };
      expect(validateEpcis(body), JSON.stringify(validateEpcis.errors)).toBe(true);
      seen.push(...body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID));
      const link = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '');
      next = link ? new URL(link[1]!).pathname + new URL(link[1]!).search : null;
    }
    expect(seen).toEqual(['urn:uuid:http-capture-1', 'urn:uuid:http-query-2']);
    const receiving = await getJson<{ epcisBody: { queryResults: { resultsBody: { eventList: Array<{ eventID: string }> } } } }>(url, `/epcis/events?EQ_bizStep=receiving&MATCH_anyEPC=${lot}&GE_eventTime=2026-11-01T00:00:00Z&LT_eventTime=2026-12-01T00:00:00Z`);
    expect(receiving.body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID)).toEqual(['urn:uuid:http-query-2']);
    const bad = await get(url, '/epcis/events?GE_eventTime=soon');
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).type).toBe('epcisException:QueryParameterException');
  });
});

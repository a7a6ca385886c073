import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { servers } from '../support/http.ts';

const PASSWORD = 'ocop-demo-2026';

async function signIn(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status, email).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

const call = (url: string, path: string, cookie: string, init: { method?: string; json?: unknown; body?: FormData } = {}) => fetch(`${url}${path}`, {
  method: init.method ?? (init.json !== undefined || init.body ? 'POST' : 'GET'), redirect: 'manual',
  headers: { cookie, origin: url, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
  body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
});
const pdf = (name: string) => new File([`%PDF-1.4\n% ${name}\n%%EOF\n`], `${name}.pdf`, { type: 'application/pdf' });

describe.each(servers)('the office programme over HTTP on $name', ({ url, name }) => {
  it('files a dossier with its documents (201 { id, status }), refuses a disguised file per field, and the office queue and decision API follow it', async () => {
    const producer = await signIn(url, 'htx-dv-nong-nghiep-dak-kan@ocop.local');
    const admin = await signIn(url, 'admin@ocop.local');
    // A new product of the producer, to apply for its first evaluation.
    const product = await call(url, '/api/producer/products', producer, { json: { subgroup: 'processed-grains', nameVi: `Cốm DAKA ${name}`, nameEn: `DAKA green rice ${name}`, price: 30000, unitVi: 'gói', unitEn: 'pack', stock: 5 } });
    expect(product.status).toBe(201);
    const { slug } = (await product.json()) as { slug: string };

    const bad = new FormData();
    for (const [k, v] of Object.entries({ product: slug, kind: 'first', selfA: '28', selfB: '17', selfC: '22' })) bad.set(k, v);
    bad.set('doc.test_report', new File(['<html><script>alert(1)</script>'], 'report.pdf', { type: 'application/pdf' }));
    const refused = await call(url, '/api/producer/dossiers', producer, { body: bad });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({ 'documents.test_report': 'bad_type' });

    const form = new FormData();
    for (const [k, v] of Object.entries({ product: slug, kind: 'first', selfA: '28', selfB: '17', selfC: '22' })) form.set(k, v);
    for (const kind of ['business_registration', 'standards_declaration', 'test_report', 'label_packaging', 'story']) form.set(`doc.${kind}`, pdf(kind));
    const created = await call(url, '/api/producer/dossiers', producer, { body: form });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: number; status: string };
    expect(body).toEqual({ id: expect.any(Number), status: 'submitted' });

    const mine = (await (await call(url, '/api/producer/dossiers', producer)).json()) as { dossiers: Array<{ id: number; missingDocuments: string[] }> };
    expect(mine.dossiers.find((d) => d.id === body.id)?.missingDocuments).toEqual([]);
    const queue = (await (await call(url, '/api/admin/dossiers?status=submitted', admin)).json()) as { dossiers: Array<{ id: number }>; counts: Record<string, number> };
    expect(queue.dossiers.map((d) => d.id)).toContain(body.id);
    expect(queue.counts.submitted).toBeGreaterThanOrEqual(1);
    expect((await call(url, '/api/admin/dossiers?status=nope', admin)).status).toBe(400);
    expect((await call(url, '/api/admin/dossiers', producer)).status).toBe(403);

    const noRound = await call(url, `/api/admin/dossiers/${body.id}/decision`, admin, { json: { action: 'accept' } });
    expect(noRound.status).toBe(400);
    const year = new Date().getUTCFullYear();
    const accepted = await call(url, `/api/admin/dossiers/${body.id}/decision`, admin, { json: { action: 'accept', round: `${year + 1}-1` } });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ status: 'accepted', round: { name: `Đợt 1/${year + 1} – Quảng Ngãi`, nameEn: `Round 1/${year + 1} – Quang Ngai` } });
    // The English back office names the round in English, the Vietnamese one in Vietnamese.
    const en = await (await call(url, `/en/admin/dossiers/${body.id}`, admin)).text();
    expect(en).toContain(`Round 1/${year + 1} – Quang Ngai`);
    expect(en).not.toContain(`Đợt 1/${year + 1}`);
    expect(await (await call(url, `/admin/dossiers/${body.id}`, admin)).text()).toContain(`Đợt 1/${year + 1} – Quảng Ngãi`);
    expect((await call(url, `/api/admin/dossiers/${body.id}/decision`, admin, { json: { action: 'reject', comment: 'Quá muộn để từ chối.' } })).status).toBe(409);
    expect((await call(url, '/api/admin/dossiers/999999/decision', admin, { json: { action: 'return', comment: 'Không có hồ sơ này.' } })).status).toBe(404);
    // The central level's refusal is recorded only for a dossier forwarded to it; bad input is a 400 per field.
    expect((await call(url, `/api/admin/dossiers/${body.id}/central`, admin, { json: { outcome: 'refused', reference: 'CV 12/BNNMT' } })).status).toBe(409);
    const badCentral = await call(url, `/api/admin/dossiers/${body.id}/central`, admin, { json: { outcome: 'refused' } });
    expect(badCentral.status).toBe(400);
    expect(await badCentral.json()).toMatchObject({ error: { fields: { reference: expect.any(String) } } });
    expect((await call(url, `/api/admin/dossiers/${body.id}/central`, producer, { json: { outcome: 'refused', reference: 'CV 12/BNNMT' } })).status).toBe(403);
  });

  it('serves the programme as JSON and the periodic report as an XLSX with the same numbers', async () => {
    const admin = await signIn(url, 'admin@ocop.local');
    const year = new Date().getUTCFullYear();
    const res = await call(url, `/api/admin/programme?year=${year}&province=quang-ngai`, admin);
    expect(res.status).toBe(200);
    const data = (await res.json()) as { figures: { actuals: Record<string, number | null>; certificates: { issued: number } }; plans: Array<{ areaName: string; targets: Record<string, number | null>; actuals: Record<string, number | null> }> };
    const binhSon = data.plans.find((p) => p.areaName === 'huyện Bình Sơn')!;
    expect(binhSon.targets).toMatchObject({ products: 12, first: 9, upgrades: 1, renewals: 2 });
    expect(binhSon.actuals.pointsOfSale).toEqual(expect.any(Number));
    expect((await call(url, `/api/admin/programme?year=abc`, admin)).status).toBe(400);
    expect((await call(url, `/api/admin/programme?year=${year}&province=atlantis`, admin)).status).toBe(400);

    const xlsx = await call(url, `/api/admin/reports/${year}.xlsx?province=quang-ngai&lang=en`, admin);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsx.arrayBuffer()) as never);
    const summary = new Map<string, unknown>();
    wb.worksheets[0]!.eachRow((row) => summary.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(summary.get('Certificates issued')).toBe(data.figures.certificates.issued);
    expect(summary.get('First evaluations')).toBe(data.figures.actuals.first);
    expect(summary.get('Points of sale')).toBe(data.figures.actuals.pointsOfSale);
    const planRow = wb.worksheets[1]!.getRows(2, wb.worksheets[1]!.rowCount - 1)!.find((r) => r.getCell(1).value === 'huyện Bình Sơn')!;
    expect([planRow.getCell(3).value, planRow.getCell(4).value]).toEqual([12, binhSon.actuals.products]);
    for (const bad of ['2026-13', '2026-Q5', 'abc']) expect((await call(url, `/api/admin/reports/${bad}.xlsx`, admin)).status).toBe(404);
    const printable = await call(url, `/en/admin/programme/reports/${year}-Q4`, admin);
    expect(printable.status).toBe(200);
    expect(await printable.text()).toContain(`Quarterly report ${year}-Q4`);
  });
});

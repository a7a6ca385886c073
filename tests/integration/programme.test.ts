import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { login, type CurrentUser } from '../../src/lib/auth/index.ts';
import { createProduct } from '../../src/lib/backoffice/index.ts';
import { recordEvaluation } from '../../src/lib/certification/index.ts';
import { todayInVietnam } from '../../src/lib/catalog/index.ts';
import { AppError } from '../../src/lib/errors/index.ts';
import {
  certifyDossier, decideDossier, fileDossier, recordCentralRefusal, getDossier, listDossiers, parsePeriod, programme, recordCommuneAssessment, recordPlan,
  recordProgrammeEvent, report, reportWorkbook, resubmitDossier, scoreDossier, summaryRows, addDocuments, REQUIRED_DOCUMENTS,
} from '../../src/lib/programme/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const PASSWORD = 'ocop-demo-2026';
const signIn = async (email: string) => (await login({ email, password: PASSWORD }, { client: `programme-${email}` })).user as CurrentUser & { producerId: number };
const rows = async <T>(q: ReturnType<typeof sql>) => (await database.get().db.execute(q)) as unknown as T[];
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? `${e.status} ${JSON.stringify(e.fields ?? {})}` : String(e)));
const pdf = (name: string) => ({ name, data: Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`) });
const documents = (kinds: readonly string[]) => kinds.map((kind) => ({ kind, file: pdf(`${kind}.pdf`) }));
const member = (i: number, a: number, b: number, c: number) => ({ name: `Thành viên ${i + 1}`, a, b, c, isChair: i === 0 });
const today = todayInVietnam();
const year = Number(today.slice(0, 4));

describe(`the OCOP office's programme (${target})`, () => {
  it('applies the council rules: parts within their maxima, one chair, 75 % quorum, 10-point spread, at most 11 members', async () => {
    const admin = await signIn('admin@ocop.local');
    const base = { product: 'mam-tom-le-gia', level: 'province', evaluatedOn: today, mandatoryMet: true };
    const nine = Array.from({ length: 9 }, (_, i) => member(i, 30, 20, 25));
    // A over 40 is refused on that member's field.
    expect(await code(recordEvaluation(admin, { ...base, members: [member(0, 41, 20, 25), member(1, 30, 20, 25)] }))).toBe('400 {"members.0.a":"too_big"}');
    // A part left out is required, not read as zero.
    expect(await code(recordEvaluation(admin, { ...base, members: [member(0, 30, 20, 25), { name: 'B', a: 30, b: 20 }] }))).toBe('400 {"members.1.c":"required"}');
    // 11 members appointed, 8 present: below 75 % (9).
    expect(await code(recordEvaluation(admin, { ...base, councilSize: 11, members: nine.slice(0, 8) }))).toBe('400 {"members":"no_quorum"}');
    // 9 present without the chair.
    expect(await code(recordEvaluation(admin, { ...base, councilSize: 11, members: nine.map((m) => ({ ...m, isChair: false })) }))).toBe('400 {"members":"no_chair"}');
    expect(await code(recordEvaluation(admin, { ...base, councilSize: 11, members: nine.map((m) => ({ ...m, isChair: true })) }))).toBe('400 {"members":"two_chairs"}');
    expect(await code(recordEvaluation(admin, { ...base, councilSize: 12, members: nine }))).toBe('400 {"councilSize":"invalid"}');
    expect(await code(recordEvaluation(admin, { ...base, members: Array.from({ length: 12 }, (_, i) => member(i, 30, 20, 25)) }))).toBe('400 {"members":"too_many_members"}');
    // Totals 75 and 85.5: more than 10 apart.
    expect(await code(recordEvaluation(admin, { ...base, councilSize: 9, members: [...nine.slice(0, 8), member(8, 40, 20.5, 25)] }))).toBe('400 {"members":"spread"}');
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from evaluations`);
    // 9 of 11 is the quorum; the average of 8 × 75 and 1 × 85 is 76.11 → 4★.
    const ok = await recordEvaluation(admin, { ...base, councilSize: 11, members: [...nine.slice(0, 8), member(8, 40, 20, 25)] });
    expect(ok).toMatchObject({ score: 76.11, stars: 4, certifiable: true, forwardToCentral: false, council_size: 11 });
    expect(ok.members[8]).toMatchObject({ a: 40, b: 20, c: 25, score: 85 });
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from evaluations`))[0]!.n).toBe(before[0]!.n + 1);
  });

  it('takes a dossier from filing to certificate, every step kept with who and when, and the programme counts it', async () => {
    const producer = await signIn('htx-nong-nghiep-thuong-giang@ocop.local');
    const admin = await signIn('admin@ocop.local');
    const product = await createProduct(producer, { subgroup: 'processed-produce', nameVi: 'Mè xửng Thượng Giang', nameEn: 'Thuong Giang sesame candy', price: 40000, unitVi: 'hộp', unitEn: 'box', stock: 10 });
    const plansBefore = await programme({ year, province: 'gia-lai' });
    const taySonBefore = plansBefore.plans.find((p) => p.legacyArea === 'huyện Tây Sơn');

    // Wrong kind, bad self-scores: per-field errors and nothing stored.
    const count = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from dossiers`))[0]!.n;
    const n0 = await count();
    expect(await code(fileDossier(producer, { product: product.slug, kind: 'upgrade', selfA: 30, selfB: 20, selfC: 25 }))).toBe('400 {"kind":"no_certificate"}');
    expect(await code(fileDossier(producer, { product: product.slug, kind: 'first', selfA: 41, selfB: 20, selfC: -1 }))).toBe('400 {"selfA":"too_big","selfC":"too_small"}');
    expect(await code(fileDossier(producer, { product: 'mam-tom-le-gia', kind: 'first', selfA: 30, selfB: 20, selfC: 25 }))).toBe('400 {"product":"not_found"}');
    expect(await count()).toBe(n0);

    const filed = await fileDossier(producer, { product: product.slug, kind: 'first', selfA: 30, selfB: 18, selfC: 24 }, documents(REQUIRED_DOCUMENTS.first.slice(0, 3)));
    expect(filed.status).toBe('submitted');
    expect(await code(fileDossier(producer, { product: product.slug, kind: 'first', selfA: 30, selfB: 18, selfC: 24 }))).toBe('409 {"product":"dossier_open"}');
    expect((await listDossiers({ status: 'submitted' })).dossiers.map((d) => d.id)).toContain(filed.id);

    // Incomplete: it cannot be accepted; the office returns it with a comment.
    expect(await code(decideDossier(admin, filed.id, { action: 'accept', round: `${year}-2` }))).toBe('400 {"documents":"incomplete"}');
    expect(await code(decideDossier(admin, filed.id, { action: 'return', comment: '' }))).toBe('400 {"comment":"required"}');
    await decideDossier(admin, filed.id, { action: 'return', comment: 'Thiếu nhãn, bao bì và câu chuyện sản phẩm.' });
    expect(await code(decideDossier(admin, filed.id, { action: 'reject', comment: 'Không đủ điều kiện.' }))).toMatch(/^409/);

    // The producer completes it and files it again.
    await addDocuments(producer, filed.id, documents(['label_packaging', 'story']));
    await resubmitDossier(producer, filed.id, { selfB: 19, note: 'Đã bổ sung.' });
    const accepted = await decideDossier(admin, filed.id, { action: 'accept', round: `${year}-2` });
    expect(accepted).toMatchObject({ status: 'accepted', round: { name: `Đợt 2/${year} – Gia Lai` }, missingDocuments: [], selfAssessment: { a: 30, b: 19, c: 24, total: 73 } });

    // The council cannot score before the commune's assessment is attached.
    const council = { evaluatedOn: today, councilSize: 9, mandatoryMet: true, members: Array.from({ length: 7 }, (_, i) => member(i, 30, 19, 24)) };
    expect(await code(scoreDossier(admin, filed.id, council))).toBe('400 {"assessment":"required"}');
    await recordCommuneAssessment(admin, filed.id, { commune: 'xã Bình Khê', assessedOn: today, rawMaterialsMet: true, labourMet: true, ideaMet: true, identityMet: false, identityNote: 'Bao bì chưa thể hiện bản sắc.' });
    const scored = await scoreDossier(admin, filed.id, council);
    expect(scored).toMatchObject({ score: 73, stars: 4, certifiable: true });

    const number = `T-${target}-${Date.now()}`;
    // The authority level follows from stars and date (the province certifies 4★ since 1 July 2025).
    const issued = await certifyDossier(admin, filed.id, { number, decisionNumber: '123/QĐ-UBND', authority: 'UBND tỉnh Gia Lai', issuedOn: today });
    expect(issued.certificate).toMatchObject({ number, stars: 4, authorityLevel: 'province', status: 'active' });
    const { dossier, events } = await getDossier(filed.id);
    expect(dossier).toMatchObject({ status: 'certified', certificate: { number } });
    expect(events.map((e) => [e.action, e.status])).toEqual([
      ['submitted', 'submitted'], ['returned', 'returned'], ['documents_added', 'returned'], ['resubmitted', 'submitted'],
      ['accepted', 'accepted'], ['commune_assessed', 'accepted'], ['scored', 'evaluated'], ['certified', 'certified'],
    ]);
    expect(events.every((e) => e.at && e.by)).toBe(true);
    const audited = await rows<{ action: string }>(sql`select action from audit_log where entity_type = 'dossier' and entity_id = ${String(filed.id)} order by id`);
    expect(audited.map((a) => a.action)).toEqual(['dossier.submitted', 'dossier.returned', 'dossier.documents_added', 'dossier.resubmitted', 'dossier.accepted', 'dossier.commune_assessed', 'dossier.scored', 'dossier.certified']);

    // The programme counts the new certificate: a first evaluation in the Tây Sơn plan's area (the producer's historical address).
    const after = await programme({ year, province: 'gia-lai' });
    const taySon = after.plans.find((p) => p.legacyArea === 'huyện Tây Sơn')!;
    expect(taySon.actuals.first).toBe((taySonBefore?.actuals.first ?? 0) + 1);
    expect(taySon.actuals.products).toBe((taySonBefore?.actuals.products ?? 0) + 1);
    expect(after.figures.certificates.byStars['4']).toBe(plansBefore.figures.certificates.byStars['4']! + 1);
    expect(after.figures.dossiers.certified).toBe(plansBefore.figures.dossiers.certified + 1);
    // Points of sale opened this year whose address was written in huyện Tây Sơn, counted from the points of sale.
    const [opened] = await rows<{ n: number }>(sql`select count(*)::int as n from points_of_sale
      where position('huyện tây sơn' in lower(coalesce(historical_address, ''))) > 0 and province_code = 'gia-lai'
        and extract(year from created_at at time zone 'Asia/Ho_Chi_Minh') = ${year}`);
    expect(taySon.actuals.pointsOfSale).toBe(opened!.n);
  });

  it('counts the points of sale opened in a plan\'s area and year from the points of sale themselves', async () => {
    const count = async () => (await programme({ year, province: 'gia-lai' })).plans.find((p) => p.legacyArea === 'huyện Tây Sơn')!.actuals.pointsOfSale;
    const before = await count();
    expect(before).toEqual(expect.any(Number));
    await database.get().db.execute(sql`insert into points_of_sale (slug, kind, name_vi, name_en, province_code, commune, address_line, historical_address)
      values ('diem-ban-thu-tay-son', 'ocop_shop', 'Điểm bán thử Tây Sơn', 'Tay Son test shop', 'gia-lai', 'Xã Tây Sơn', '1 Quang Trung', 'xã Tây Giang, huyện Tây Sơn, tỉnh Bình Định')`);
    await database.get().db.execute(sql`insert into points_of_sale (slug, kind, name_vi, name_en, province_code, commune, address_line, historical_address)
      values ('diem-ban-thu-khac', 'ocop_shop', 'Điểm bán thử khác', 'Elsewhere test shop', 'gia-lai', 'Phường Quy Nhơn', '2 Lê Lợi', 'phường Lê Lợi, TP Quy Nhơn, tỉnh Bình Định')`);
    expect(await count()).toBe(before! + 1);
  });

  it('sends a dossier scoring 90 or more to the central level, whose 5★ certificate is issued at that level', async () => {
    const producer = await signIn('htx-nong-nghiep-thuong-giang@ocop.local');
    const admin = await signIn('admin@ocop.local');
    const product = await createProduct(producer, { subgroup: 'processed-produce', nameVi: 'Dầu mè Thượng Giang', nameEn: 'Thuong Giang sesame oil', price: 90000, unitVi: 'chai', unitEn: 'bottle', stock: 5 });
    const { id } = await fileDossier(producer, { product: product.slug, kind: 'first', selfA: 38, selfB: 24, selfC: 33 }, documents(REQUIRED_DOCUMENTS.first));
    await decideDossier(admin, id, { action: 'accept', round: `${year}-2` });
    await recordCommuneAssessment(admin, id, { commune: 'xã Bình Khê', assessedOn: today, rawMaterialsMet: true, labourMet: true, ideaMet: true, identityMet: true });
    const scored = await scoreDossier(admin, id, { evaluatedOn: today, mandatoryMet: true, members: [member(0, 38, 24, 33), member(1, 36, 23, 32)] });
    expect(scored).toMatchObject({ score: 93, stars: 5, forwardToCentral: true });
    expect((await getDossier(id)).dossier.status).toBe('forwarded');
    const issued = await certifyDossier(admin, id, { number: `C-${target}-${Date.now()}`, decisionNumber: '45/QĐ-BNNMT', authority: 'Bộ Nông nghiệp và Môi trường', issuedOn: today });
    expect(issued.certificate).toMatchObject({ stars: 5, authorityLevel: 'central' });
  });

  it('the central level refuses 5★: recorded with its reference, the dossier returns to the province, which certifies at most 4★', async () => {
    const producer = await signIn('htx-nong-nghiep-thuong-giang@ocop.local');
    const admin = await signIn('admin@ocop.local');
    const product = await createProduct(producer, { subgroup: 'processed-produce', nameVi: 'Mè đen Thượng Giang', nameEn: 'Thuong Giang black sesame', price: 70000, unitVi: 'gói', unitEn: 'pack', stock: 5 });
    const { id } = await fileDossier(producer, { product: product.slug, kind: 'first', selfA: 38, selfB: 24, selfC: 33 }, documents(REQUIRED_DOCUMENTS.first));
    // Not forwarded yet: no central answer to record.
    expect(await code(recordCentralRefusal(admin, id, { outcome: 'refused', reference: 'CV 12/BNNMT' }))).toBe('409 {}');
    await decideDossier(admin, id, { action: 'accept', round: `${year}-2` });
    await recordCommuneAssessment(admin, id, { commune: 'xã Bình Khê', assessedOn: today, rawMaterialsMet: true, labourMet: true, ideaMet: true, identityMet: true });
    await scoreDossier(admin, id, { evaluatedOn: today, mandatoryMet: true, members: [member(0, 38, 24, 33), member(1, 37, 23, 32)] });
    expect((await getDossier(id)).dossier.status).toBe('forwarded');
    expect(await code(recordCentralRefusal(admin, id, { outcome: 'refused', reference: '' }))).toBe('400 {"reference":"required"}');
    expect(await code(recordCentralRefusal(admin, id, { outcome: 'accepted', reference: 'CV 12/BNNMT' }))).toMatch(/^400 /);
    const refused = await recordCentralRefusal(admin, id, { outcome: 'refused', reference: 'CV 12/BNNMT', comment: 'Chưa đạt tiêu chí xuất khẩu' });
    expect(refused.status).toBe('evaluated');
    const details = await getDossier(id);
    expect(details.events.at(-1)).toMatchObject({ action: 'central_refused', status: 'evaluated', comment: 'CV 12/BNNMT: Chưa đạt tiêu chí xuất khẩu', by: 'admin@ocop.local' });
    // Once: the dossier is no longer forwarded.
    expect(await code(recordCentralRefusal(admin, id, { outcome: 'refused', reference: 'CV 13/BNNMT' }))).toBe('409 {}');
    // The certificate is now the province's, at most 4★ (the council's score stays on it).
    const number = `C-${target}-${Date.now()}-4`;
    const issued = await certifyDossier(admin, id, { number, decisionNumber: '88/QĐ-UBND', authority: 'UBND tỉnh Gia Lai', issuedOn: today });
    expect(issued.certificate).toMatchObject({ stars: 4, authorityLevel: 'province', score: 93.5 });
  });

  it('reports: fairs and trainings are records; the yearly report and its XLSX equal the dashboard, a month covers only its days', async () => {
    const admin = await signIn('admin@ocop.local');
    expect(await code(recordPlan(admin, { province: 'gia-lai', areaName: 'Gia Lai', year: 'abc', targetProducts: -2 }))).toBe('400 {"year":"invalid","targetProducts":"too_small"}');
    await recordPlan(admin, { province: 'gia-lai', areaName: 'Tỉnh Gia Lai', year, targetProducts: 40, targetFairs: 3, targetTrained: 200 });
    await recordProgrammeEvent(admin, { kind: 'training', title: 'Tập huấn xây dựng câu chuyện sản phẩm', heldOn: `${year}-03-12`, province: 'gia-lai', participants: 35 });
    await recordProgrammeEvent(admin, { kind: 'fair', title: 'Hội chợ OCOP Gia Lai', heldOn: `${year}-03-20`, province: 'gia-lai', participants: 60 });
    const dash = await programme({ year, province: 'gia-lai' });
    const province = dash.plans.find((p) => p.areaName === 'Tỉnh Gia Lai')!;
    expect(province.targets).toMatchObject({ products: 40, fairs: 3, trained: 200, first: null });
    expect(province.actuals.trained).toBeGreaterThanOrEqual(35);
    expect(province.actuals.fairs).toBeGreaterThanOrEqual(1);

    // The figures equal the records, counted here independently.
    const [issued] = await rows<{ n: number }>(sql`select count(*)::int as n from certificates c join products p on p.id = c.product_id join producers pr on pr.id = p.producer_id
      where pr.province_code = 'gia-lai' and c.issued_on between ${`${year}-01-01`} and ${`${year}-12-31`}`);
    expect(dash.figures.certificates.issued).toBe(issued!.n);
    const [trained] = await rows<{ n: number }>(sql`select coalesce(sum(participants), 0)::int as n from programme_events where kind = 'training' and province_code = 'gia-lai' and extract(year from held_on) = ${year}`);
    expect(dash.figures.actuals.trained).toBe(trained!.n);

    const yearly = await report(String(year), 'gia-lai');
    expect(yearly.figures).toEqual(dash.figures);
    expect(yearly.plans).toEqual(dash.plans);
    const march = await report(`${year}-03`, 'gia-lai');
    expect(march.period).toMatchObject({ from: `${year}-03-01`, to: `${year}-03-31`, due: `${year}-03-20` });
    const [marchTrained] = await rows<{ n: number }>(sql`select coalesce(sum(participants), 0)::int as n from programme_events
      where kind = 'training' and province_code = 'gia-lai' and held_on between ${`${year}-03-01`} and ${`${year}-03-31`}`);
    expect(march.figures.actuals.trained).toBe(marchTrained!.n);
    expect(march.figures.actuals.trained).toBeLessThan(yearly.figures.actuals.trained! + 1);
    expect(parsePeriod(`${year}-Q4`)).toMatchObject({ from: `${year}-10-01`, to: `${year}-12-31`, due: `${year}-12-20` });
    expect(parsePeriod(`${year}`)!.due).toBe(`${year}-12-10`);
    expect(parsePeriod('2026-13')).toBeNull();

    // The XLSX, read back, holds the dashboard's numbers.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook(yearly, 'vi')) as never);
    const sheet = wb.worksheets[0]!;
    const values = new Map<string, unknown>();
    sheet.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    for (const [label, value] of summaryRows(yearly, 'vi')) expect(values.get(label)).toBe(value ?? 'chưa theo dõi');
    expect(values.get('Giấy chứng nhận đã cấp')).toBe(dash.figures.certificates.issued);
    const plans = wb.worksheets[1]!;
    const planRow = plans.getRows(2, plans.rowCount - 1)!.find((r) => r.getCell(1).value === 'Tỉnh Gia Lai')!;
    expect(planRow.getCell(3).value).toBe(40);
    expect(planRow.getCell(4).value).toBe(province.actuals.products);
  });
});

import { sql } from 'drizzle-orm';
import type { Tx } from '../../src/lib/db/index.ts';
import { addDays, provinceLabel } from '../../src/lib/catalog/index.ts';
import { starsForScore } from '../../src/lib/certification/index.ts';
import { DOCUMENT_KINDS, REQUIRED_DOCUMENTS, roundName } from '../../src/lib/programme/index.ts';
import { storage } from '../../src/lib/storage/index.ts';
import { DEMO_ADMIN_EMAIL } from './demo.ts';

/**
 * The OCOP office's demo programme: a plan for each seed area (the former districts and the
 * commune whose plans the seeds come from, under their current provinces), finished rounds whose
 * dossiers led to the province-level certificates of the two-level era (full councils of 9 scoring
 * parts A/B/C), dossiers in every state in the current round, and a few fairs and trainings.
 */
type Row = Record<string, unknown>;
const q = async <T = Row>(tx: Tx, query: ReturnType<typeof sql>) => (await tx.execute(query)) as unknown as T[];

/**
 * Targets per area and year.
 *
 * FROM THE SEEDS (as issue 14 quotes them): Bình Sơn's plan — "10–12 products rated 3★ or more, of
 * which 9 first evaluations, 1 upgrade from 3★ to 4★ and 2 re-recognitions" (products 12, the top
 * of its range; first 9; upgrades 1; renewals 2) — and Quảng Trung's commune plan, which keeps its
 * two 3★ products (products 2).
 *
 * DEMO VALUES — invented for the demo at the same scale, NOT any office's real target: every other
 * figure, i.e. all of Tây Sơn's, Ngọc Hồi's and Tứ Kỳ's targets, Quảng Trung's other targets, and
 * Bình Sơn's cooperatives, points of sale, fairs and producers trained. Each row says which.
 */
const PLANS = [
  // Tây Sơn: all targets are demo values.
  { province: 'gia-lai', legacyArea: 'huyện Tây Sơn', areaName: 'huyện Tây Sơn (tỉnh Bình Định cũ)', products: 9, first: 6, upgrades: 1, renewals: 2, cooperatives: 2, pointsOfSale: 2, fairs: 3, trained: 120 },
  // Quảng Trung: products 2 from its commune plan; the rest are demo values.
  { province: 'thanh-hoa', legacyArea: 'xã Quảng Trung', areaName: 'xã Quảng Trung (nay thuộc xã Quảng Chính)', products: 2, first: 0, upgrades: 0, renewals: 2, cooperatives: 1, pointsOfSale: 1, fairs: 1, trained: 30 },
  // Ngọc Hồi: all targets are demo values.
  { province: 'quang-ngai', legacyArea: 'huyện Ngọc Hồi', areaName: 'huyện Ngọc Hồi (tỉnh Kon Tum cũ)', products: 4, first: 3, upgrades: 1, renewals: 0, cooperatives: 2, pointsOfSale: 1, fairs: 2, trained: 60 },
  // Tứ Kỳ: all targets are demo values.
  { province: 'hai-phong', legacyArea: 'huyện Tứ Kỳ', areaName: 'huyện Tứ Kỳ (tỉnh Hải Dương cũ)', products: 6, first: 4, upgrades: 1, renewals: 1, cooperatives: 1, pointsOfSale: 2, fairs: 2, trained: 80 },
  // Bình Sơn: products, first, upgrades, renewals from its plan; cooperatives, pointsOfSale, fairs, trained are demo values.
  { province: 'quang-ngai', legacyArea: 'huyện Bình Sơn', areaName: 'huyện Bình Sơn', products: 12, first: 9, upgrades: 1, renewals: 2, cooperatives: 2, pointsOfSale: 3, fairs: 3, trained: 150 },
] as const;

const EVENTS = [
  { kind: 'training', title: 'Tập huấn xây dựng câu chuyện sản phẩm OCOP', month: '03-14', province: 'gia-lai', legacyArea: 'huyện Tây Sơn', participants: 42 },
  { kind: 'fair', title: 'Hội chợ OCOP và hàng nông sản Tây Sơn', month: '04-26', province: 'gia-lai', legacyArea: 'huyện Tây Sơn', participants: 35 },
  { kind: 'training', title: 'Tập huấn hồ sơ đánh giá, phân hạng sản phẩm OCOP', month: '05-09', province: 'quang-ngai', legacyArea: 'huyện Bình Sơn', participants: 57 },
  { kind: 'fair', title: 'Tuần hàng OCOP Quảng Ngãi tại Đà Nẵng', month: '08-15', province: 'quang-ngai', legacyArea: 'huyện Bình Sơn', participants: 20 },
  { kind: 'training', title: 'Tập huấn truy xuất nguồn gốc cho chủ thể OCOP', month: '06-20', province: 'hai-phong', legacyArea: 'huyện Tứ Kỳ', participants: 28 },
  { kind: 'fair', title: 'Hội chợ xúc tiến thương mại vùng biên Ngọc Hồi', month: '09-06', province: 'quang-ngai', legacyArea: 'huyện Ngọc Hồi', participants: 18 },
] as const;

const MEMBERS = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Giang', 'Đặng Văn Hải', 'Bùi Thị Hoa', 'Đỗ Văn Khánh'];
/** Nine members' totals around the council's average: symmetric, so their mean is the average itself. */
const OFFSETS = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2];
const round2 = (n: number) => Math.round(n * 100) / 100;

function memberParts(total: number) {
  const a = round2(Math.min(40, total * 0.4));
  const b = round2(Math.min(25, (total - a) * (25 / 60)));
  return { a, b, c: round2(total - a - b) };
}

const half = (date: string) => (Number(date.slice(5, 7)) <= 6 ? 1 : 2);

export async function seedOffice(tx: Tx, today: string): Promise<void> {
  const year = Number(today.slice(0, 4));
  const media = storage();
  const pdf = (kind: string) => Buffer.from(`%PDF-1.4\n% Chợ OCOP demo: ${kind}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
  const docUrl = Object.fromEntries(await Promise.all(DOCUMENT_KINDS.map(async (k) => [k, await media.put(`dossiers/demo-${k.replace(/_/g, '-')}.pdf`, pdf(k), 'application/pdf')] as const)));
  const [admin] = await q<{ id: number }>(tx, sql`select id from users where email = ${DEMO_ADMIN_EMAIL}`);
  const adminId = Number(admin!.id);

  for (const p of PLANS) {
    await tx.execute(sql`insert into programme_plans (province_code, legacy_area, area_name, year, target_products, target_first, target_upgrades, target_renewals,
        target_cooperatives, target_points_of_sale, target_fairs, target_trained, created_by)
      values (${p.province}, ${p.legacyArea}, ${p.areaName}, ${year}, ${p.products}, ${p.first}, ${p.upgrades}, ${p.renewals}, ${p.cooperatives}, ${p.pointsOfSale}, ${p.fairs}, ${p.trained}, ${adminId})`);
  }
  const events = EVENTS.filter((e) => `${year}-${e.month}` <= today);
  if (events.length) {
    await tx.execute(sql`insert into programme_events (kind, title, held_on, province_code, legacy_area, participants, created_by) values ${sql.join(
      events.map((e) => sql`(${e.kind}, ${e.title}, ${`${year}-${e.month}`}, ${e.province}, ${e.legacyArea}, ${e.participants}, ${adminId})`), sql`, `)}`);
  }

  const rounds = new Map<string, number>();
  const roundOf = async (province: string, y: number, h: number, status: 'open' | 'closed') => {
    const key = `${province}:${y}:${h}`;
    if (!rounds.has(key)) {
      const [r] = await q<{ id: number }>(tx, sql`insert into evaluation_rounds (province_code, year, half, name, status)
        values (${province}, ${y}, ${h}, ${roundName(y, h, province)}, ${status}) returning id`);
      rounds.set(key, Number(r!.id));
    }
    return rounds.get(key)!;
  };
  const addDossier = async (v: {
    producerId: number; productId: number; subgroup: string; kind: 'first' | 'renewal' | 'upgrade'; status: string; self: [number, number, number];
    roundId: number | null; evaluationId?: number | null; certificateId?: number | null; comment?: string | null; submittedOn: string; producerEmail: string;
    docs: readonly string[]; steps: Array<[string, string, string, string | null, boolean]>; assessment?: { commune: string; on: string };
  }) => {
    const [d] = await q<{ id: number }>(tx, sql`insert into dossiers (producer_id, product_id, kind, subgroup_code, status, self_a, self_b, self_c, office_comment,
        round_id, evaluation_id, certificate_id, submitted_at, created_at, updated_at)
      values (${v.producerId}, ${v.productId}, ${v.kind}, ${v.subgroup}, ${v.status}, ${v.self[0]}, ${v.self[1]}, ${v.self[2]}, ${v.comment ?? null},
        ${v.roundId}, ${v.evaluationId ?? null}, ${v.certificateId ?? null}, ${`${v.submittedOn}T09:00:00+07:00`}, ${`${v.submittedOn}T09:00:00+07:00`},
        ${`${v.steps.at(-1)![2]}T15:00:00+07:00`}) returning id`);
    const id = Number(d!.id);
    if (v.docs.length) {
      await tx.execute(sql`insert into dossier_documents (dossier_id, kind, url, file_kind, file_name, uploaded_at) values ${sql.join(
        v.docs.map((k) => sql`(${id}, ${k}, ${docUrl[k]}, 'pdf', ${`${k}.pdf`}, ${`${v.submittedOn}T09:00:00+07:00`})`), sql`, `)}`);
    }
    await tx.execute(sql`insert into dossier_events (dossier_id, action, status, comment, actor_user_id, actor_email, at) values ${sql.join(
      v.steps.map(([action, status, on, comment, byOffice]) => sql`(${id}, ${action}, ${status}, ${comment}, ${byOffice ? adminId : null},
        ${byOffice ? DEMO_ADMIN_EMAIL : v.producerEmail}, ${`${on}T${byOffice ? '15' : '09'}:00:00+07:00`})`), sql`, `)}`);
    if (v.assessment) {
      await tx.execute(sql`insert into commune_assessments (dossier_id, commune, assessed_on, raw_materials_met, labour_met, idea_met, identity_met, identity_note, recorded_by, recorded_at)
        values (${id}, ${v.assessment.commune}, ${v.assessment.on}, true, true, true, true, 'Sản phẩm gắn với nghề truyền thống của địa phương.', ${adminId}, ${`${v.assessment.on}T15:00:00+07:00`})`);
    }
    return id;
  };

  /** A full council of nine: totals spread symmetrically around the average, each split into parts A/B/C. */
  const council = async (evaluationId: number, score: number) => {
    const spread = score >= 2 && score <= 98 ? 1 : 0;
    await tx.execute(sql`insert into evaluation_scores (evaluation_id, member_name, is_chair, score, part_a, part_b, part_c) values ${sql.join(
      MEMBERS.map((name, i) => {
        const parts = memberParts(round2(score + OFFSETS[i]! * spread));
        return sql`(${evaluationId}, ${name}, ${i === 0}, ${round2(parts.a + parts.b + parts.c)}, ${parts.a}, ${parts.b}, ${parts.c})`;
      }), sql`, `)}`);
  };

  // Finished rounds: every certificate granted by a province council in the two-level era came from a dossier.
  const certified = await q<{
    id: number; evaluation_id: number; product_id: number; producer_id: number; subgroup_code: string; province_code: string; commune: string | null;
    producer_slug: string; issued_on: string; evaluated_on: string; score: number; stars: number; prev_stars: number | null; number: string;
  }>(tx, sql`select c.id, c.evaluation_id, c.product_id, p.producer_id, p.subgroup_code, pr.province_code, pr.commune, pr.slug as producer_slug,
      c.issued_on::text as issued_on, e.evaluated_on::text as evaluated_on, e.score::float8 as score, c.stars, c.number,
      (select o.stars from certificates o where o.product_id = c.product_id and o.issued_on < c.issued_on order by o.issued_on desc limit 1) as prev_stars
    from certificates c join evaluations e on e.id = c.evaluation_id join products p on p.id = c.product_id join producers pr on pr.id = p.producer_id
    where c.authority_level = 'province' and c.issued_on >= '2025-07-01' order by c.issued_on, c.id`);
  for (const c of certified) {
    const roundYear = Number(c.evaluated_on.slice(0, 4));
    const roundHalf = half(c.evaluated_on);
    const roundId = await roundOf(c.province_code, roundYear, roundHalf, roundYear === year && roundHalf === half(today) ? 'open' : 'closed');
    const score = Number(c.score);
    await tx.execute(sql`delete from evaluation_scores where evaluation_id = ${c.evaluation_id}`);
    await council(c.evaluation_id, score);
    await tx.execute(sql`update evaluations set council_size = 9, council_name = ${`Hội đồng đánh giá, phân hạng sản phẩm OCOP ${provinceLabel(c.province_code).vi}`} where id = ${c.evaluation_id}`);
    const kind = c.prev_stars === null ? 'first' : c.stars > c.prev_stars ? 'upgrade' : 'renewal';
    const submitted = addDays(c.evaluated_on, -45);
    const self = memberParts(Math.min(100, score + 3));
    await addDossier({
      producerId: c.producer_id, productId: c.product_id, subgroup: c.subgroup_code, kind, status: 'certified', self: [self.a, self.b, self.c], roundId,
      evaluationId: c.evaluation_id, certificateId: c.id, submittedOn: submitted, producerEmail: `${c.producer_slug}@ocop.local`,
      docs: REQUIRED_DOCUMENTS[kind], assessment: { commune: c.commune ?? 'UBND xã', on: addDays(c.evaluated_on, -20) },
      steps: [
        ['submitted', 'submitted', submitted, null, false],
        ['accepted', 'accepted', addDays(submitted, 7), null, true],
        ['commune_assessed', 'accepted', addDays(c.evaluated_on, -20), `${c.commune ?? ''}: 4/4`, true],
        ['scored', 'evaluated', c.evaluated_on, `${score} → ${c.stars}★`, true],
        ['certified', 'certified', c.issued_on, c.number, true],
      ],
    });
  }

  // The current round: one dossier in each open state, from the seed areas' producers.
  const candidates = await q<{ product_id: number; producer_id: number; subgroup_code: string; province_code: string; commune: string | null; producer_slug: string; stars: number; valid_until: string }>(tx, sql`
    select p.id as product_id, p.producer_id, p.subgroup_code, pr.province_code, pr.commune, pr.slug as producer_slug, c.stars, c.valid_until::text as valid_until
    from products p join producers pr on pr.id = p.producer_id join certificates c on c.product_id = p.id and c.status = 'active'
    where pr.province_code in ('gia-lai', 'quang-ngai', 'hai-phong', 'thanh-hoa') and c.stars < 5
      and not exists (select 1 from dossiers d where d.product_id = p.id)
    order by (c.valid_until < ${addDays(today, 180)}) desc, p.id`);
  const h = half(today);
  const states = [
    { status: 'submitted', docs: 'all', steps: [] },
    { status: 'submitted', docs: 'some', steps: [] },
    { status: 'returned', docs: 'some', comment: 'Thiếu phiếu kết quả kiểm nghiệm còn hiệu lực và ảnh nhãn, bao bì. Đề nghị bổ sung.', steps: [['returned', 'returned', 3, 'Thiếu phiếu kết quả kiểm nghiệm còn hiệu lực và ảnh nhãn, bao bì. Đề nghị bổ sung.', true]] },
    { status: 'rejected', docs: 'some', comment: 'Sản phẩm chưa có đăng ký kinh doanh và công bố chất lượng.', steps: [['rejected', 'rejected', 4, 'Sản phẩm chưa có đăng ký kinh doanh và công bố chất lượng.', true]] },
    { status: 'accepted', docs: 'all', steps: [['accepted', 'accepted', 5, null, true]] },
    { status: 'accepted', docs: 'all', assessed: true, steps: [['accepted', 'accepted', 5, null, true], ['commune_assessed', 'accepted', 9, '4/4', true]] },
    { status: 'evaluated', docs: 'all', assessed: true, score: 74.5, steps: [['accepted', 'accepted', 2, null, true], ['commune_assessed', 'accepted', 4, '4/4', true], ['scored', 'evaluated', 6, '74.5 → 4★', true]] },
    { status: 'forwarded', docs: 'all', assessed: true, score: 91.5, steps: [['accepted', 'accepted', 2, null, true], ['commune_assessed', 'accepted', 4, '4/4', true], ['scored', 'forwarded', 6, '91.5 → 5★', true]] },
    { status: 'not_certified', docs: 'all', assessed: true, score: 47, steps: [['accepted', 'accepted', 2, null, true], ['commune_assessed', 'accepted', 4, '3/4', true], ['scored', 'not_certified', 6, '47 → 2★', true]] },
  ] as const;
  for (const [i, s] of states.entries()) {
    const c = candidates[i];
    if (!c) break;
    const kind = c.valid_until < addDays(today, 180) ? 'renewal' : 'upgrade';
    const submitted = addDays(today, -12 + i);
    const docs = s.docs === 'all' ? REQUIRED_DOCUMENTS[kind] : REQUIRED_DOCUMENTS[kind].slice(0, 3);
    const inRound = s.status !== 'submitted' && s.status !== 'returned' && s.status !== 'rejected';
    let evaluationId: number | null = null;
    if ('score' in s) {
      const evaluatedOn = addDays(submitted, Math.min(6, 11 - i));
      const [e] = await q<{ id: number }>(tx, sql`insert into evaluations (product_id, level, council_name, evaluated_on, score, stars, mandatory_met, council_size, created_by)
        values (${c.product_id}, 'province', ${`Hội đồng đánh giá, phân hạng sản phẩm OCOP ${provinceLabel(c.province_code).vi}`}, ${evaluatedOn}, ${s.score},
          ${starsForScore(s.score)}, true, 9, ${adminId}) returning id`);
      evaluationId = Number(e!.id);
      await council(evaluationId, s.score);
    }
    await addDossier({
      evaluationId,
      producerId: c.producer_id, productId: c.product_id, subgroup: c.subgroup_code, kind, status: s.status, self: kind === 'upgrade' ? [30, 19, 24] : [26, 16, 20],
      roundId: inRound ? await roundOf(c.province_code, year, h, 'open') : null, comment: 'comment' in s ? s.comment : null, submittedOn: submitted,
      producerEmail: `${c.producer_slug}@ocop.local`, docs,
      assessment: 'assessed' in s ? { commune: c.commune ?? 'UBND xã', on: addDays(submitted, 9) } : undefined,
      steps: [['submitted', 'submitted', submitted, null, false], ...s.steps.map(([a, st, d, cm, o]) => [a, st, addDays(submitted, Math.min(d, 11 - i)), cm, o] as [string, string, string, string | null, boolean])],
    });
  }
}

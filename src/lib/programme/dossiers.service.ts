import { recordAudit, type Actor } from '../audit/index.ts';
import { issueCertificate, storeEvidence, validate, type UploadedFile } from '../backoffice/index.ts';
import { addDays, groupLabel, groups, provinceLabel, subgroupLabel, todayInVietnam } from '../catalog/index.ts';
import { certifyingLevel, getEvaluation, recordEvaluation } from '../certification/index.ts';
import { db as getDb, type DbOrTx } from '../db/index.ts';
import { AppError, type FieldErrors } from '../errors/index.ts';
import * as repo from './dossiers.repository.ts';
import {
  CentralRefusalSchema, CommuneAssessmentSchema, DecisionSchema, DocumentKindSchema, DossierCertificateSchema, DossierCreateSchema, DossierResubmitSchema,
} from './programme.schemas.ts';
import { DOSSIER_STATUSES, type DocumentKind, type DossierStatus } from './programme.table.ts';

/**
 * Dossiers (hồ sơ) from filing to certificate: a producer files for a product's first evaluation,
 * re-recognition or upgrade with its documents and self-assessment; the office checks
 * completeness, returns it with comments, rejects it or accepts it into the province's round; the
 * commune's assessment is attached; the council scores it (certification's rules) and the
 * certificate is issued by certification's own path. Every step is a dossier event and an audit
 * entry, written in the same transaction as the change.
 */
export const REQUIRED_DOCUMENTS: Record<'first' | 'renewal' | 'upgrade', readonly DocumentKind[]> = {
  first: ['business_registration', 'standards_declaration', 'test_report', 'label_packaging', 'story'],
  upgrade: ['business_registration', 'standards_declaration', 'test_report', 'label_packaging', 'story'],
  // Decision 148/QĐ-TTg: re-recognition comes with a report on the past three years.
  renewal: ['business_registration', 'standards_declaration', 'test_report', 'label_packaging', 'story', 'three_year_report'],
};
/** Dossiers that still hold the product (one open dossier per product). */
const OPEN: readonly DossierStatus[] = ['submitted', 'returned', 'accepted', 'evaluated', 'forwarded'];
/** Re-recognition may be filed from this many days before expiry (and after it, while not revoked). */
export const RENEWAL_WINDOW_DAYS = 180;

const invalid = (fields: FieldErrors, message = `Please check: ${Object.keys(fields).join(', ')}.`) => new AppError('INVALID_DATA', 'programme.invalid', message, { fields });
const conflict = (code: string, message: string, fields?: FieldErrors) => new AppError('CONFLICT', `programme.${code}`, message, { fields });
const notFound = () => new AppError('NOT_FOUND', 'programme.dossier_not_found', 'No such dossier.');

export function missingDocuments(d: Pick<repo.DossierRow, 'kind' | 'document_kinds'>): DocumentKind[] {
  return REQUIRED_DOCUMENTS[d.kind].filter((k) => !d.document_kinds.includes(k));
}

export function dossierView(d: repo.DossierRow) {
  return {
    id: Number(d.id), status: d.status, kind: d.kind,
    product: { slug: d.product_slug, name: d.product_name_vi, nameEn: d.product_name_en },
    producer: { slug: d.producer_slug, name: d.producer_name, type: d.producer_type, province: provinceLabel(d.province_code), commune: d.producer_commune, historicalAddress: d.historical_address },
    group: groupLabel(subgroupGroup(d.subgroup_code)), productSet: subgroupLabel(d.subgroup_code),
    selfAssessment: { a: d.self_a, b: d.self_b, c: d.self_c, total: Math.round((d.self_a + d.self_b + d.self_c) * 100) / 100 },
    note: d.note, officeComment: d.office_comment,
    round: d.round_id === null ? null : {
      id: Number(d.round_id), name: d.round_name,
      // Rounds are stored with their Vietnamese name; the English one is derived the same way.
      nameEn: d.round_year !== null && d.round_half !== null && d.round_province !== null ? roundName(Number(d.round_year), Number(d.round_half), d.round_province, 'en') : d.round_name,
    },
    documentsPresent: d.document_kinds, missingDocuments: missingDocuments(d), communeAssessed: d.has_assessment,
    evaluationId: d.evaluation_id === null ? null : Number(d.evaluation_id),
    certificate: d.certificate_id === null ? null : { id: Number(d.certificate_id), number: d.certificate_number },
    submittedAt: new Date(d.submitted_at).toISOString(), updatedAt: new Date(d.updated_at).toISOString(),
  };
}
export type DossierView = ReturnType<typeof dossierView>;

const groupOf = new Map(groups.flatMap((g) => g.subgroups.map((s) => [s.code, g.code] as const)));
function subgroupGroup(code: string): string {
  return groupOf.get(code) ?? code;
}

async function step(tx: DbOrTx, actor: Actor, d: repo.DossierRow, action: string, status: DossierStatus, comment: string | null, extra: Omit<Parameters<typeof repo.updateDossier>[2], 'status'> = {}) {
  await repo.updateDossier(tx, Number(d.id), { status, ...extra });
  await repo.insertEvent(tx, Number(d.id), action, status, comment, actor);
  const after = (await repo.selectDossier(tx, Number(d.id)))!;
  await recordAudit(tx, actor, `dossier.${action}`, { type: 'dossier', id: Number(d.id) }, { status: d.status, roundId: d.round_id }, { status, comment, ...extra });
  return after;
}

/** Files taken from the form: each checked like evidence uploads (PDF by signature, pictures re-encoded). */
export type DossierFiles = Array<{ kind: string; file: UploadedFile }>;

async function storeFiles(producerId: number, files: DossierFiles) {
  const stored: Array<{ kind: DocumentKind; url: string; fileKind: 'pdf' | 'image'; name: string }> = [];
  for (const f of files) {
    const kind = DocumentKindSchema.safeParse(f.kind);
    if (!kind.success) throw invalid({ [`documents.${f.kind}`]: 'invalid' });
    const { url, kind: fileKind } = await storeEvidence(f.file, `dossiers/p${producerId}-${kind.data.replace(/_/g, '-')}`, `documents.${kind.data}`);
    stored.push({ kind: kind.data, url, fileKind, name: f.file.name.slice(0, 200) || kind.data });
  }
  return stored;
}

type Producer = Actor & { producerId: number };

export async function fileDossier(producer: Producer, raw: unknown, files: DossierFiles = []) {
  const input = validate(DossierCreateSchema, raw, 'programme.invalid');
  const stored = await storeFiles(producer.producerId, files);
  const d = await getDb();
  return d.transaction(async (tx) => {
    const product = await repo.selectOwnProduct(tx, producer.producerId, input.product);
    if (!product) throw invalid({ product: 'not_found' });
    const today = todayInVietnam();
    if (input.kind === 'first' && product.active_stars !== null) throw invalid({ kind: 'has_certificate' });
    if (input.kind === 'upgrade' && (product.active_stars === null || product.active_stars >= 5)) throw invalid({ kind: product.active_stars === null ? 'no_certificate' : 'top_stars' });
    if (input.kind === 'renewal' && (!product.last_valid_until || product.last_valid_until > addDays(today, RENEWAL_WINDOW_DAYS))) {
      throw invalid({ kind: product.last_valid_until ? 'too_early' : 'no_certificate' });
    }
    if (await repo.openDossierOf(tx, Number(product.id))) throw conflict('dossier_open', 'This product already has a dossier in progress.', { product: 'dossier_open' });
    const id = await repo.insertDossier(tx, {
      producerId: producer.producerId, productId: Number(product.id), kind: input.kind, subgroupCode: input.subgroup ?? product.subgroup_code,
      selfA: input.selfA, selfB: input.selfB, selfC: input.selfC, note: input.note,
    });
    for (const s of stored) await repo.insertDocument(tx, id, s.kind, s.url, s.fileKind, s.name);
    await repo.insertEvent(tx, id, 'submitted', 'submitted', input.note, producer);
    await recordAudit(tx, producer, 'dossier.submitted', { type: 'dossier', id }, null, { ...input, documents: stored.map((s) => s.kind) });
    return { id, status: 'submitted' as const };
  });
}

async function ownDossier(tx: DbOrTx, producer: Producer, id: number, lock = false) {
  const d = Number.isSafeInteger(id) ? await repo.selectDossier(tx, id, lock) : null;
  if (!d || Number(d.producer_id) !== producer.producerId) throw notFound();
  return d;
}

/** Adds documents while the dossier is with the producer or waiting in the queue. */
export async function addDocuments(producer: Producer, id: number, files: DossierFiles) {
  if (files.length === 0) throw invalid({ documents: 'required' });
  const stored = await storeFiles(producer.producerId, files);
  const d = await getDb();
  return d.transaction(async (tx) => {
    const dossier = await ownDossier(tx, producer, id, true);
    if (dossier.status !== 'submitted' && dossier.status !== 'returned') throw conflict('locked', 'Documents can no longer be changed.');
    for (const s of stored) await repo.insertDocument(tx, dossier.id, s.kind, s.url, s.fileKind, s.name);
    await repo.insertEvent(tx, dossier.id, 'documents_added', dossier.status, stored.map((s) => s.kind).join(', '), producer);
    await recordAudit(tx, producer, 'dossier.documents_added', { type: 'dossier', id: dossier.id }, null, { documents: stored.map((s) => s.kind) });
    return dossierView((await repo.selectDossier(tx, dossier.id))!);
  });
}

/** A returned dossier goes back into the queue, with the producer's corrections. */
export async function resubmitDossier(producer: Producer, id: number, raw: unknown) {
  const input = validate(DossierResubmitSchema, raw, 'programme.invalid');
  const d = await getDb();
  return d.transaction(async (tx) => {
    const dossier = await ownDossier(tx, producer, id, true);
    if (dossier.status !== 'returned') throw conflict('not_returned', 'Only a returned dossier can be sent again.');
    return dossierView(await step(tx, producer, dossier, 'resubmitted', 'submitted', input.note ?? null, { ...input, resubmitted: true }));
  });
}

export async function listOwnDossiers(producer: Producer) {
  return (await repo.selectDossiers(await getDb(), { producerId: producer.producerId, limit: 200, offset: 0 })).map(dossierView);
}

async function details(db: DbOrTx, d: repo.DossierRow) {
  const [documents, events, assessment] = await Promise.all([repo.selectDocuments(db, d.id), repo.selectEvents(db, d.id), repo.selectAssessment(db, d.id)]);
  return {
    dossier: dossierView(d),
    documents: documents.map((x) => ({ id: Number(x.id), kind: x.kind, url: x.url, fileKind: x.file_kind, fileName: x.file_name, uploadedAt: new Date(x.uploaded_at).toISOString() })),
    events: events.map((e) => ({ action: e.action, status: e.status, comment: e.comment, by: e.actor_email, at: new Date(e.at).toISOString() })),
    assessment,
  };
}

export async function getOwnDossier(producer: Producer, id: number) {
  const db = await getDb();
  return details(db, await ownDossier(db, producer, id));
}

export function isDossierStatus(v: unknown): v is DossierStatus {
  return typeof v === 'string' && (DOSSIER_STATUSES as readonly string[]).includes(v);
}

export async function listDossiers(f: { status?: string; page?: number } = {}) {
  const page = Math.max(1, Math.min(10_000, f.page ?? 1));
  const db = await getDb();
  const status = isDossierStatus(f.status) ? f.status : undefined;
  const [list, counts] = await Promise.all([repo.selectDossiers(db, { status, limit: 100, offset: (page - 1) * 100 }), repo.countByStatus(db)]);
  return { dossiers: list.map(dossierView), counts };
}

export async function getDossier(id: number) {
  const db = await getDb();
  const d = Number.isSafeInteger(id) ? await repo.selectDossier(db, id) : null;
  if (!d) throw notFound();
  return details(db, d);
}

async function officeDossier(tx: DbOrTx, id: number) {
  const d = Number.isSafeInteger(id) ? await repo.selectDossier(tx, id, true) : null;
  if (!d) throw notFound();
  return d;
}

/** Province rounds: "2026-2" → the second round of 2026 in the producer's province. */
export function roundName(year: number, half: number, provinceCode: string, locale: 'vi' | 'en' = 'vi'): string {
  const p = provinceLabel(provinceCode);
  return locale === 'vi' ? `Đợt ${half}/${year} – ${p.vi}` : `Round ${half}/${year} – ${p.en}`;
}

/** The office's decision on a dossier in the queue: return with comments, reject, or accept into a round. */
export async function decideDossier(admin: Actor, id: number, raw: unknown) {
  // The form always sends its round select; only an acceptance uses it.
  const body = raw && typeof raw === 'object' && (raw as { action?: unknown }).action !== 'accept' ? (({ round: _round, ...rest }) => rest)(raw as Record<string, unknown>) : raw;
  const input = validate(DecisionSchema, body, 'programme.invalid');
  const d = await getDb();
  return d.transaction(async (tx) => {
    const dossier = await officeDossier(tx, id);
    if (dossier.status !== 'submitted') throw conflict('not_in_queue', `This dossier is ${dossier.status}: only dossiers in the queue can be decided.`);
    if (input.action === 'return') return dossierView(await step(tx, admin, dossier, 'returned', 'returned', input.comment, { officeComment: input.comment }));
    if (input.action === 'reject') return dossierView(await step(tx, admin, dossier, 'rejected', 'rejected', input.comment, { officeComment: input.comment }));
    const missing = missingDocuments(dossier);
    if (missing.length) throw invalid({ documents: 'incomplete' }, `Documents missing: ${missing.join(', ')}.`);
    const [year, half] = input.round.split('-').map(Number) as [number, number];
    if (year < Number(todayInVietnam().slice(0, 4))) throw invalid({ round: 'past' });
    const roundId = await repo.ensureRound(tx, dossier.province_code, year, half, roundName(year, half, dossier.province_code));
    return dossierView(await step(tx, admin, dossier, 'accepted', 'accepted', input.comment, { roundId, officeComment: input.comment }));
  });
}

/** The commune's report on its four criteria, attached to an accepted dossier before the council scores. */
export async function recordCommuneAssessment(admin: Actor, id: number, raw: unknown) {
  const input = validate(CommuneAssessmentSchema, raw, 'programme.invalid');
  if (input.assessedOn > addDays(todayInVietnam(), 1)) throw invalid({ assessedOn: 'future' });
  const d = await getDb();
  return d.transaction(async (tx) => {
    const dossier = await officeDossier(tx, id);
    if (dossier.status !== 'accepted') throw conflict('not_accepted', 'The commune assessment is attached to an accepted dossier, before the council scores.');
    await repo.upsertAssessment(tx, dossier.id, input, admin.id);
    const met = [input.rawMaterialsMet, input.labourMet, input.ideaMet, input.identityMet].filter(Boolean).length;
    return dossierView(await step(tx, admin, dossier, 'commune_assessed', 'accepted', `${input.commune}: ${met}/4`));
  });
}

/**
 * The council scores an accepted dossier (certification's rules: up to 11 members, quorum with the
 * chair, 10-point spread, parts A/B/C). The dossier becomes evaluated (ready for its certificate),
 * forwarded (≥ 90: the central level decides 5★) or not certified.
 */
export async function scoreDossier(admin: Actor, id: number, raw: Record<string, unknown>) {
  const d = await getDb();
  const dossier = await officeDossier(d, id);
  if (dossier.status !== 'accepted') throw conflict('not_accepted', 'Only an accepted dossier is scored.');
  if (!dossier.has_assessment) throw invalid({ assessment: 'required' }, 'Attach the commune assessment before the council scores.');
  return recordEvaluation(admin, { ...raw, product: dossier.product_slug, level: 'province' }, async (tx, evaluation) => {
    const locked = await officeDossier(tx, id);
    if (locked.status !== 'accepted') throw conflict('not_accepted', 'Only an accepted dossier is scored.');
    const status: DossierStatus = evaluation.forwardToCentral ? 'forwarded' : evaluation.certifiable ? 'evaluated' : 'not_certified';
    await step(tx, admin, locked, 'scored', status, `${evaluation.score} → ${evaluation.stars}★`, { evaluationId: Number(evaluation.id) });
  });
}

/**
 * Issues the scored dossier's certificate through certification's path; the level follows from
 * stars and date. A forwarded dossier (≥ 90) is certified 5★ at the central level; after the
 * central level refused 5★ (`recordCentralRefusal`) the province certifies it at most at 4★.
 */
export async function certifyDossier(admin: Actor, id: number, raw: unknown) {
  const input = validate(DossierCertificateSchema, raw, 'programme.invalid');
  const d = await getDb();
  const dossier = await officeDossier(d, id);
  if ((dossier.status !== 'evaluated' && dossier.status !== 'forwarded') || dossier.evaluation_id === null) throw conflict('not_evaluated', 'Only a scored dossier receives a certificate.');
  const evaluation = await getEvaluation(Number(dossier.evaluation_id));
  const maxStars = (await repo.centralRefused(d, Number(dossier.id))) ? 4 : 5;
  const stars = Math.min(evaluation?.stars ?? 3, maxStars);
  return issueCertificate(admin, { ...input, evaluationId: Number(dossier.evaluation_id), authorityLevel: certifyingLevel(stars, input.issuedOn) }, async (tx, certificate) => {
    const locked = await officeDossier(tx, id);
    if (locked.certificate_id !== null) throw conflict('already_certified', 'This dossier already has its certificate.');
    // Read again under the dossier's lock: a refusal recorded meanwhile changes the level.
    if (maxStars === 5 && (await repo.centralRefused(tx, id))) throw conflict('not_evaluated', 'The central level has just refused 5★; issue the province\'s certificate.');
    await step(tx, admin, locked, 'certified', 'certified', certificate.number, { certificateId: certificate.id });
  }, { maxStars });
}

/**
 * The central level's answer on a dossier forwarded for 5★ when it does not recognise it: recorded
 * with its reference (the ministry's decision or letter), who and when; the dossier goes back to
 * `evaluated` and the province certifies it at most at 4★. Recognition needs no step of its own:
 * it is the 5★ certificate, issued with `certifyDossier`.
 */
export async function recordCentralRefusal(admin: Actor, id: number, raw: unknown) {
  const input = validate(CentralRefusalSchema, raw, 'programme.invalid');
  const d = await getDb();
  return d.transaction(async (tx) => {
    const dossier = await officeDossier(tx, id);
    if (dossier.status !== 'forwarded') throw conflict('not_forwarded', 'Only a dossier forwarded to the central level receives its answer.');
    return dossierView(await step(tx, admin, dossier, 'central_refused', 'evaluated', input.comment ? `${input.reference}: ${input.comment}` : input.reference));
  });
}

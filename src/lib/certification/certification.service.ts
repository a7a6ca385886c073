import { db as getDb, type DbOrTx } from '../db/index.ts';
import { AppError, type FieldErrors } from '../errors/index.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { enqueue } from '../outbox/index.ts';
import { addDays, certificateState, EXPIRY_NOTICE_DAYS, todayInVietnam } from '../catalog/index.ts';
import { CertificateIssueSchema, EvaluationSchema, RevokeSchema } from './certification.schemas.ts';
import * as repo from './certification.repository.ts';
import type { RevocationCode } from './revocation.ts';
import { certifyingLevel, COUNCIL_RULES, MAX_SCORE_SPREAD, MIN_CERTIFIED_STARS, quorumFor, starsForScore, validUntil } from './rules.ts';
import type { EvaluationInput } from './certification.schemas.ts';
import type { z } from 'zod';

/**
 * The OCOP office's work: council evaluations (members' scores → average → stars), certificates
 * (issue, renew, upgrade, revoke; history kept by superseding), expiry notices. Every action is
 * audited in its own transaction; every change that affects what the public sees is announced
 * through `onCatalogChange` (wired by the caller, so this area does not depend on the back office).
 */
export type CatalogChangeHook = (tx: DbOrTx, productIds: number[]) => Promise<void>;

function invalid(code: string, message: string, fields: FieldErrors): AppError {
  return new AppError('INVALID_DATA', code, message, { fields });
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const fields: FieldErrors = {};
  for (const i of r.error.issues) {
    fields[i.path.join('.') || '_'] ??= (i.code === 'invalid_type' && i.input === undefined) || (i.code === 'custom' && i.message === 'required') ? 'required'
      : i.code === 'too_big' && i.path[0] === 'members' && i.path.length === 1 ? 'too_many_members'
      : i.code === 'too_small' && i.path[0] === 'members' && i.path.length === 1 ? 'too_few'
      : i.code === 'too_big' && typeof i.path[2] === 'string' ? 'too_big' : 'invalid';
  }
  throw invalid('certification.invalid', `Please check: ${Object.keys(fields).join(', ')}.`, fields);
}

/** The council's result: the average of the members' scores (two decimals) and its stars. */
export function councilResult(scores: number[]): { score: number; stars: 1 | 2 | 3 | 4 | 5; spread: number } {
  if (scores.length === 0) throw new RangeError('no scores');
  const spread = Math.max(...scores) - Math.min(...scores);
  const score = Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100;
  return { score, stars: starsForScore(score), spread };
}

/** A member's total: the sum of the three parts when scored per part (two decimals), else the total given. */
function memberScores(input: EvaluationInput): repo.MemberScore[] {
  return input.members.map((m) => (m.a !== undefined && m.b !== undefined && m.c !== undefined
    ? { name: m.name, isChair: m.isChair, score: Math.round((m.a + m.b + m.c) * 100) / 100, parts: { a: m.a, b: m.b, c: m.c } }
    : { name: m.name, isChair: m.isChair, score: m.score!, parts: null }));
}

/**
 * Checks a council's sitting and scores against the rules (rules.ts): members at most the
 * appointed size and at most 11; a quorum of 75 % of the appointed members with the chair present;
 * exactly one chair; members' totals within 10 points. Returns the members' totals.
 */
export function checkCouncil(input: EvaluationInput): repo.MemberScore[] {
  const members = memberScores(input);
  const size = input.councilSize ?? members.length;
  if (members.length > size) throw invalid('certification.too_many_members', `${members.length} members scored but the council has ${size}.`, { councilSize: 'too_small' });
  const chairs = members.filter((m) => m.isChair).length;
  if (chairs === 0) throw invalid('certification.no_chair', 'The council chair must take part.', { members: 'no_chair' });
  if (chairs > 1) throw invalid('certification.two_chairs', 'A council has one chair.', { members: 'two_chairs' });
  const quorum = quorumFor(size);
  if (members.length < quorum) {
    throw invalid('certification.no_quorum', `${members.length} of ${size} members present; the council needs ${quorum} (75 %, chair included).`, { members: 'no_quorum' });
  }
  // Provincial council regulations: members' scores may differ by at most 10 points; otherwise the council re-scores.
  const { spread } = councilResult(members.map((m) => m.score));
  if (spread > MAX_SCORE_SPREAD) {
    throw invalid('certification.score_spread', `Members' scores differ by ${spread} points (at most ${MAX_SCORE_SPREAD}): the council must discuss and score again.`, { members: 'spread' });
  }
  return members;
}

/** Runs inside the evaluation's transaction (e.g. a dossier records which evaluation scored it). */
export type EvaluationHook = (tx: DbOrTx, evaluation: repo.EvaluationRow & { certifiable: boolean; forwardToCentral: boolean }) => Promise<void>;

export async function recordEvaluation(actor: Actor, raw: unknown, onRecorded?: EvaluationHook) {
  const input = parse(EvaluationSchema, raw);
  const members = checkCouncil(input);
  const { score, stars } = councilResult(members.map((m) => m.score));
  const d = await getDb();
  return d.transaction(async (tx) => {
    const productId = await repo.selectProductIdBySlug(tx, input.product);
    if (!productId) throw invalid('certification.invalid', 'No such product.', { product: 'not_found' });
    const id = await repo.insertEvaluation(tx, productId, input, members, score, stars, actor.id);
    await recordAudit(tx, actor, 'evaluation.recorded', { type: 'evaluation', id }, null, { ...input, members, score, stars });
    const certifiable = stars >= MIN_CERTIFIED_STARS && input.mandatoryMet;
    // Decision 1489/QĐ-TTg: the province certifies 3★ and 4★; 90 points or more go to the central level for 5★.
    const result = { ...(await repo.selectEvaluation(tx, id))!, certifiable, forwardToCentral: certifiable && score >= COUNCIL_RULES.centralMinScore && input.level !== 'central' };
    await onRecorded?.(tx, result);
    return result;
  });
}

export async function listEvaluations() {
  return repo.selectEvaluations(await getDb());
}

export async function getEvaluation(id: number) {
  return Number.isSafeInteger(id) ? repo.selectEvaluation(await getDb(), id) : null;
}

export type IssueKind = 'issued' | 'renewed' | 'upgraded' | 'downgraded';

/**
 * Issues a certificate from an evaluation. When the product holds an active certificate, the new
 * one supersedes it (renewal with the same stars, upgrade or downgrade otherwise): history stays.
 */
/**
 * Issues the certificate of an evaluation. `opts.maxStars`: the central level did not recognise a
 * ≥ 90 product as 5★, so the province certifies it at most at 4★ (the evaluation's score stays).
 */
export async function issueCertificate(actor: Actor, raw: unknown, onCatalogChange: CatalogChangeHook, onIssued?: (tx: DbOrTx, certificate: CertificateAdminView) => Promise<void>, opts: { maxStars?: number } = {}) {
  const input = parse(CertificateIssueSchema, raw);
  const d = await getDb();
  return d.transaction(async (tx) => {
    const evaluation = await repo.selectEvaluation(tx, input.evaluationId);
    if (!evaluation) throw invalid('certification.invalid', 'No such evaluation.', { evaluationId: 'not_found' });
    if (evaluation.stars < MIN_CERTIFIED_STARS || !evaluation.mandatory_met) {
      throw invalid('certification.not_certifiable', 'Only 3★ and above, with the mandatory criteria met, are certified.', { evaluationId: 'not_certifiable' });
    }
    const stars = Math.min(evaluation.stars, opts.maxStars ?? 5);
    if (evaluation.certificate_number) throw new AppError('CONFLICT', 'certification.already_issued', `This evaluation already gave certificate ${evaluation.certificate_number}.`, { fields: { evaluationId: 'already_issued' } });
    const level = certifyingLevel(stars, input.issuedOn);
    if (input.authorityLevel !== level) {
      throw invalid('certification.wrong_authority', `A ${stars}★ certificate issued on ${input.issuedOn} is granted at the ${level} level.`, { authorityLevel: 'wrong_level' });
    }
    if (input.issuedOn < evaluation.evaluated_on) throw invalid('certification.invalid', 'A certificate cannot predate its evaluation.', { issuedOn: 'before_evaluation' });
    if (input.issuedOn > addDays(todayInVietnam(), 1)) throw invalid('certification.invalid', 'The issue date is in the future.', { issuedOn: 'future' });
    if (await repo.numberTaken(tx, input.number)) throw new AppError('CONFLICT', 'certification.number_taken', 'This certificate number exists already.', { fields: { number: 'taken' } });

    const current = await repo.selectActiveCertificate(tx, Number(evaluation.product_id));
    const kind: IssueKind = !current ? 'issued' : stars > current.stars ? 'upgraded' : stars < current.stars ? 'downgraded' : 'renewed';
    if (current) await repo.supersede(tx, Number(current.id));
    const id = await repo.insertCertificate(tx, {
      ...input, productId: Number(evaluation.product_id), stars, score: Number(evaluation.score),
      validUntil: validUntil(input.issuedOn), supersedesId: current ? Number(current.id) : null,
    });
    const created = (await repo.selectCertificate(tx, id))!;
    await recordAudit(tx, actor, `certificate.${kind}`, { type: 'certificate', id }, current ? snapshot(current) : null, snapshot(created));
    await onCatalogChange(tx, [Number(evaluation.product_id)]);
    await onIssued?.(tx, view(created));
    return { kind, certificate: view(created) };
  });
}

export async function revokeCertificate(actor: Actor, id: number, raw: unknown, onCatalogChange: CatalogChangeHook) {
  const reason = parse(RevokeSchema, raw);
  const d = await getDb();
  return d.transaction((tx) => revokeCertificateTx(tx, actor, id, reason, onCatalogChange));
}

/**
 * The revocation inside a caller's transaction, so a decision that revokes (an inspection's) is
 * recorded together with the revocation or not at all.
 */
export async function revokeCertificateTx(tx: DbOrTx, actor: Actor, id: number, reason: { code: RevocationCode; note: string | null }, onCatalogChange: CatalogChangeHook) {
  const cert = Number.isSafeInteger(id) ? await repo.selectCertificate(tx, id, true) : null;
  if (!cert) throw new AppError('NOT_FOUND', 'certification.not_found', 'No such certificate.');
  if (cert.status !== 'active') throw new AppError('CONFLICT', 'certification.not_active', `This certificate is ${cert.status} and cannot be revoked.`);
  await repo.revoke(tx, cert.id, reason);
  const after = (await repo.selectCertificate(tx, cert.id))!;
  await recordAudit(tx, actor, 'certificate.revoked', { type: 'certificate', id: cert.id }, snapshot(cert), snapshot(after));
  await onCatalogChange(tx, [Number(cert.product_id)]);
  return view(after);
}

function snapshot(c: repo.CertificateRow) {
  return { number: c.number, stars: c.stars, status: c.status, issuedOn: c.issued_on, validUntil: c.valid_until, authority: c.authority, revocationCode: c.revocation_code, revocationReason: c.revocation_reason };
}

export function view(c: repo.CertificateRow) {
  return {
    id: Number(c.id), number: c.number, decisionNumber: c.decision_number, authority: c.authority, authorityLevel: c.authority_level,
    stars: c.stars, score: c.score === null ? null : Number(c.score), issuedOn: c.issued_on, validUntil: c.valid_until,
    status: c.status, state: certificateState({ status: c.status, validUntil: c.valid_until }),
    revokedAt: c.revoked_at ? new Date(c.revoked_at).toISOString() : null, revocationReason: c.revocation_reason, revocationCode: c.revocation_code,
    supersedesId: c.supersedes_id === null ? null : Number(c.supersedes_id), evaluationId: c.evaluation_id === null ? null : Number(c.evaluation_id),
    product: { slug: c.product_slug, name: c.product_name }, producer: { slug: c.producer_slug, name: c.producer_name },
    expiryNoticeQueuedAt: c.expiry_notice_queued_at ? new Date(c.expiry_notice_queued_at).toISOString() : null,
  };
}
export type CertificateAdminView = ReturnType<typeof view>;

export async function listCertificates(f: { status?: string; q?: string; page?: number } = {}) {
  const page = Math.max(1, Math.min(10_000, f.page ?? 1));
  const status = f.status && ['active', 'superseded', 'revoked'].includes(f.status) ? f.status : undefined;
  return (await repo.selectCertificates(await getDb(), { status, q: f.q?.slice(0, 100), limit: 50, offset: (page - 1) * 50 })).map(view);
}

/** A certificate with the product's full history (every certificate it ever held). */
export async function getCertificate(id: number) {
  const d = await getDb();
  const cert = Number.isSafeInteger(id) ? await repo.selectCertificate(d, id) : null;
  if (!cert) throw new AppError('NOT_FOUND', 'certification.not_found', 'No such certificate.');
  const history = await repo.selectProductCertificates(d, Number(cert.product_id));
  return { certificate: view(cert), history: history.map(view) };
}

/** Active certificates that expire within 30 days (Decision 148/QĐ-TTg: notify at least 30 days before). */
export async function listExpiring(today = todayInVietnam(), days = EXPIRY_NOTICE_DAYS) {
  return (await repo.selectExpiring(await getDb(), today, addDays(today, days))).map(view);
}

export const EXPIRY_NOTICE_TOPIC = 'certificate.expiry_notice';

/** Notices before expiry: 90 days (time to prepare a re-evaluation) and 30 (Decision 148/QĐ-TTg). */
export const EXPIRY_NOTICE_THRESHOLDS = [90, EXPIRY_NOTICE_DAYS] as const;

/**
 * Queues each expiry notice once per certificate and threshold, ever: 90 days before (for
 * certificates expiring in 31–90 days) and 30 days before (the certificate row is marked). The
 * outbox message carries a dedupe key, in the same transaction as the mark, so running this twice
 * (or on two machines at once) queues nothing more; a certificate found already inside 30 days
 * gets only the 30-day notice. lib/messages turns the message into the producer's e-mail or SMS.
 */
export async function queueExpiryNotices(today = todayInVietnam(), onProgress?: (done: number, total: number) => void) {
  const d = await getDb();
  const urgent = await repo.selectExpiring(d, today, addDays(today, EXPIRY_NOTICE_DAYS));
  const early = await repo.selectExpiring(d, addDays(today, EXPIRY_NOTICE_DAYS + 1), addDays(today, EXPIRY_NOTICE_THRESHOLDS[0]));
  const due = [...urgent.map((cert) => ({ cert, days: EXPIRY_NOTICE_DAYS })), ...early.map((cert) => ({ cert, days: EXPIRY_NOTICE_THRESHOLDS[0] }))];
  let queued = 0;
  let done = 0;
  for (const { cert, days } of due) {
    const fresh = await d.transaction(async (tx) => {
      // The 30-day notice keeps its historical mark and key; the 90-day one is keyed by its threshold.
      if (days === EXPIRY_NOTICE_DAYS && !(await repo.markNoticeQueued(tx, cert.id))) return false;
      const holder = await repo.selectHolderContacts(tx, Number(cert.product_id));
      const ok = await enqueue(tx, EXPIRY_NOTICE_TOPIC, {
        certificateId: Number(cert.id), number: cert.number, stars: cert.stars, validUntil: cert.valid_until, daysBefore: days,
        product: { id: Number(cert.product_id), slug: cert.product_slug, name: cert.product_name }, producer: { slug: cert.producer_slug, name: holder.producer_name },
        recipients: [...new Set([holder.producer_email, ...holder.accounts].filter((e): e is string => !!e))],
      }, { dedupeKey: days === EXPIRY_NOTICE_DAYS ? `${EXPIRY_NOTICE_TOPIC}:${cert.id}` : `${EXPIRY_NOTICE_TOPIC}:${cert.id}:${days}` });
      if (ok) await recordAudit(tx, null, 'certificate.expiry_notice_queued', { type: 'certificate', id: cert.id }, null, { validUntil: cert.valid_until, daysBefore: days });
      return ok;
    });
    if (fresh) queued++;
    onProgress?.(++done, due.length);
  }
  return { due: due.length, queued, alreadyQueued: due.length - queued };
}

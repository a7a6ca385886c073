import { REVOCATION_CODES } from './revocation.ts';
import { z } from 'zod';
import { AUTHORITY_LEVELS } from './certification.table.ts';
import { COUNCIL_RULES, SCORE_PARTS } from './rules.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));
const points = (max: number) => z.coerce.number().min(0).max(max).refine((v) => Math.round(v * 100) === v * 100, 'two_decimals');
const score = points(100);
const flag = z.union([z.boolean(), z.enum(['on', 'true', 'false']).transform((v) => v !== 'false')]);

export const EvaluationSchema = z.object({
  product: z.string().trim().toLowerCase().max(80).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  level: z.enum(AUTHORITY_LEVELS),
  councilName: z.string().trim().max(200).optional(),
  evaluatedOn: isoDate,
  /** The star level's mandatory criteria were met. */
  mandatoryMet: z.union([z.boolean(), z.enum(['on', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1')]).default(false),
  notes: z.string().trim().max(2000).optional(),
  /** Members appointed to the council; defaults to those scoring. Quorum: 75 % of them, chair included. */
  councilSize: z.coerce.number().int().min(COUNCIL_RULES.minMembers).max(COUNCIL_RULES.maxMembers).optional(),
  /**
   * Each member scores either the three parts of the score sheet (A ≤ 40, B ≤ 25, C ≤ 35; the
   * total is their sum) or, for records kept from paper, only the total.
   */
  members: z.array(z.object({
    name: z.string().trim().min(1).max(120),
    a: points(SCORE_PARTS.a).optional(),
    b: points(SCORE_PARTS.b).optional(),
    c: points(SCORE_PARTS.c).optional(),
    score: score.optional(),
    isChair: flag.default(false),
  }).strict().superRefine((m, ctx) => {
    const parts = (['a', 'b', 'c'] as const).filter((p) => m[p] !== undefined);
    if (parts.length === 0 && m.score === undefined) ctx.addIssue({ code: 'custom', path: ['a'], message: 'required' });
    if (parts.length > 0 && m.score !== undefined) ctx.addIssue({ code: 'custom', path: ['score'], message: 'invalid' });
    if (parts.length > 0) for (const p of (['a', 'b', 'c'] as const).filter((x) => m[x] === undefined)) ctx.addIssue({ code: 'custom', path: [p], message: 'required' });
  })).min(COUNCIL_RULES.minMembers).max(COUNCIL_RULES.maxMembers),
}).strict();
export type EvaluationInput = z.infer<typeof EvaluationSchema>;

export const CertificateIssueSchema = z.object({
  evaluationId: z.coerce.number().int().positive(),
  number: z.string().trim().min(3).max(60),
  decisionNumber: z.string().trim().min(3).max(120),
  authority: z.string().trim().min(3).max(200),
  authorityLevel: z.enum(AUTHORITY_LEVELS),
  issuedOn: isoDate,
}).strict();
export type CertificateIssueInput = z.infer<typeof CertificateIssueSchema>;

/**
 * A revocation: a `code` from REVOCATION_CODES and an optional `note`. The older form `{ reason }`
 * (free text only) is still accepted and recorded as code "other" with the text as its note.
 */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
export const RevokeSchema = z.object({
  code: z.preprocess(blank, z.enum(REVOCATION_CODES).optional()),
  note: z.preprocess(blank, z.string().trim().max(1000).optional()),
  reason: z.preprocess(blank, z.string().trim().min(5).max(1000).optional()),
}).strict().superRefine((v, ctx) => {
  if (!v.code && !v.reason) ctx.addIssue({ code: 'custom', path: ['code'], message: 'required' });
}).transform((v) => ({ code: v.code ?? 'other', note: v.note ?? v.reason ?? null }));

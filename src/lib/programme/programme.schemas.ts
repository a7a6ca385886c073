import { z } from 'zod';
import { isProvince, isSubgroup } from '../catalog/index.ts';
import { SCORE_PARTS } from '../certification/index.ts';
import { DOCUMENT_KINDS, DOSSIER_KINDS } from './programme.table.ts';

/** Input of the dossier, council and plan forms and of their JSON endpoints (one schema for both). */
const text = (max: number) => z.string().trim().max(max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));
const points = (max: number) => z.coerce.number().min(0).max(max).refine((v) => Math.round(v * 100) === v * 100, 'two_decimals');
const slug = z.string().trim().toLowerCase().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(80);
const flag = z.union([z.boolean(), z.enum(['on', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1')]);
const optionalText = (max: number) => text(max).optional().transform((v) => (v ? v : null));
const count = z.coerce.number().int().min(0).max(1_000_000);

export const DossierCreateSchema = z.object({
  product: slug,
  kind: z.enum(DOSSIER_KINDS),
  /** The product set whose score sheet applies; defaults to the product's own. */
  subgroup: z.string().refine(isSubgroup).optional(),
  selfA: points(SCORE_PARTS.a),
  selfB: points(SCORE_PARTS.b),
  selfC: points(SCORE_PARTS.c),
  note: optionalText(2000),
}).strict();
export type DossierCreateInput = z.infer<typeof DossierCreateSchema>;

/** A returned dossier, corrected and sent again. */
export const DossierResubmitSchema = z.object({
  selfA: points(SCORE_PARTS.a).optional(),
  selfB: points(SCORE_PARTS.b).optional(),
  selfC: points(SCORE_PARTS.c).optional(),
  note: optionalText(2000),
}).strict();

export const DocumentKindSchema = z.enum(DOCUMENT_KINDS);

/** Half-year rounds: "2026-2" is the second round of 2026. */
export const RoundSchema = z.string().regex(/^(20\d\d)-([12])$/);

export const DecisionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('return'), comment: text(2000).min(5) }).strict(),
  z.object({ action: z.literal('reject'), comment: text(2000).min(5) }).strict(),
  z.object({ action: z.literal('accept'), round: RoundSchema, comment: optionalText(2000) }).strict(),
]);
export type DecisionInput = z.infer<typeof DecisionSchema>;

export const CommuneAssessmentSchema = z.object({
  commune: text(200).min(2),
  assessedOn: isoDate,
  rawMaterialsMet: flag.default(false),
  rawMaterialsNote: optionalText(1000),
  labourMet: flag.default(false),
  labourNote: optionalText(1000),
  ideaMet: flag.default(false),
  ideaNote: optionalText(1000),
  identityMet: flag.default(false),
  identityNote: optionalText(1000),
}).strict();
export type CommuneAssessmentInput = z.infer<typeof CommuneAssessmentSchema>;

/** The certificate a scored dossier receives; the level follows from stars and date (rules.ts). */
/** The central level's answer on a forwarded dossier: not recognised as 5★ (recognition is the certificate itself). */
export const CentralRefusalSchema = z.object({
  outcome: z.literal('refused'),
  reference: text(120).min(3),
  comment: text(2000).optional(),
}).strict();

export const DossierCertificateSchema = z.object({
  number: text(60).min(3),
  decisionNumber: text(120).min(3),
  authority: text(200).min(3),
  issuedOn: isoDate,
}).strict();

const target = count.optional().nullable().transform((v) => (v === undefined ? null : v));

export const PlanSchema = z.object({
  province: z.string().refine(isProvince),
  commune: optionalText(120),
  legacyArea: optionalText(120),
  areaName: text(200).min(2),
  year: z.coerce.number().int().min(2018).max(2100),
  targetProducts: target,
  targetFirst: target,
  targetUpgrades: target,
  targetRenewals: target,
  targetCooperatives: target,
  targetPointsOfSale: target,
  targetFairs: target,
  targetTrained: target,
  note: optionalText(2000),
}).strict();
export type PlanInput = z.infer<typeof PlanSchema>;

export const ProgrammeEventSchema = z.object({
  kind: z.enum(['fair', 'training']),
  title: text(200).min(3),
  heldOn: isoDate,
  province: z.string().refine(isProvince),
  commune: optionalText(120),
  legacyArea: optionalText(120),
  participants: count.default(0),
}).strict();
export type ProgrammeEventInput = z.infer<typeof ProgrammeEventSchema>;

export const ProgrammeQuerySchema = z.object({
  year: z.coerce.number().int().min(2018).max(2100),
  province: z.string().refine(isProvince).optional(),
}).strict();

import { z } from 'zod';
import { AUTHORITY_LEVELS } from './certification.table.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));
const score = z.coerce.number().min(0).max(100).refine((v) => Math.round(v * 100) === v * 100, 'two_decimals');

export const EvaluationSchema = z.object({
  product: z.string().trim().toLowerCase().max(80).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  level: z.enum(AUTHORITY_LEVELS),
  councilName: z.string().trim().max(200).optional(),
  evaluatedOn: isoDate,
  /** The star level's mandatory criteria were met. */
  mandatoryMet: z.union([z.boolean(), z.enum(['on', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1')]).default(false),
  notes: z.string().trim().max(2000).optional(),
  members: z.array(z.object({
    name: z.string().trim().min(1).max(120),
    score,
    isChair: z.union([z.boolean(), z.enum(['on', 'true', 'false']).transform((v) => v !== 'false')]).default(false),
  }).strict()).min(2).max(25),
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

export const RevokeSchema = z.object({ reason: z.string().trim().min(5).max(1000) }).strict();

import { z } from 'zod';
import { REVOCATION_CODES } from '../certification/index.ts';
import { INSPECTION_DECISIONS, INSPECTION_OUTCOMES, REPORT_CATEGORIES, REPORT_STATUSES } from './monitoring.table.ts';

/** Input of the monitoring area, parsed at the edge (forms and JSON share these). */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));
const slug = z.string().trim().toLowerCase().max(80).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);
const id = z.coerce.number().int().positive().max(2_147_483_647);
/** Text without control characters other than new lines and tabs. */
const text = (max: number) => z.string().trim().min(1).max(max).refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(v));

export const RecallSchema = z.object({ reason: text(1000).pipe(z.string().min(5)) }).strict();

export const InspectionSchema = z.object({
  producer: slug,
  product: slug.optional(),
  lotId: id.optional(),
  inspectedOn: isoDate,
  /** Names, one per line or separated by commas in forms. */
  inspectors: z.array(text(120)).min(1).max(20),
  findings: text(4000),
  outcome: z.enum(INSPECTION_OUTCOMES),
  documentTitle: z.string().trim().max(200).optional(),
}).strict();

export const DecisionSchema = z.object({
  decision: z.enum(INSPECTION_DECISIONS),
  note: text(2000).pipe(z.string().min(5)),
  /** Lots to recall (decision lot_recall). */
  lotIds: z.array(id).max(200).default([]),
  /** Why the certificate is revoked (decision revocation), from the fixed list; the note goes with it. */
  revocationCode: z.preprocess((v) => (v === '' ? undefined : v), z.enum(REVOCATION_CODES).default('other')),
}).strict();

export const ReportSchema = z.object({
  product: slug.optional(),
  /** The stamp the report was filed from (provenance page): names product and lot. */
  code: z.string().trim().max(40).optional(),
  category: z.enum(REPORT_CATEGORIES),
  body: text(4000),
  contact: z.string().trim().max(200).optional(),
  locale: z.enum(['vi', 'en']).optional(),
}).strict();

export const ReportStatusSchema = z.object({
  status: z.enum(REPORT_STATUSES),
  note: z.string().trim().max(2000).optional(),
}).strict();

export type InspectionInput = z.infer<typeof InspectionSchema>;
export type DecisionInput = z.infer<typeof DecisionSchema>;
export type ReportInput = z.infer<typeof ReportSchema>;

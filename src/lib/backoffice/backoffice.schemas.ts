import { z } from 'zod';
import { groups, isValidGtin } from '../catalog/index.ts';

/**
 * Input of the producer dashboard and API, shared by the HTML forms and the JSON endpoints.
 * Field errors carry a short code ("required", "too_long"…) that pages translate.
 */
const text = (max: number) => z.string().trim().max(max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));
const money = z.coerce.number().int().min(0).max(1_000_000_000);
const slug = z.string().trim().toLowerCase().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(80);

const subgroupGroup = new Map(groups.flatMap((g) => g.subgroups.map((s) => [s.code, g.code] as const)));

const productFields = {
  slug: slug.optional(),
  subgroup: z.string().refine((v) => subgroupGroup.has(v)),
  nameVi: text(120).min(2),
  nameEn: text(120).min(2),
  descriptionVi: text(4000).default(''),
  descriptionEn: text(4000).default(''),
  storyVi: text(8000).default(''),
  storyEn: text(8000).default(''),
  price: money,
  unitVi: text(30).min(1),
  unitEn: text(30).min(1),
  weightGrams: z.coerce.number().int().min(0).max(1_000_000).default(0),
  stock: z.coerce.number().int().min(0).max(10_000_000).default(0),
  gtin: z.string().trim().optional().transform((v) => (v ? v : null)).refine((v) => v === null || isValidGtin(v), 'gtin'),
  standards: z.array(text(80).min(1)).max(20).default([]),
  status: z.enum(['draft', 'published', 'archived']).default('draft'),
};

export const ProductCreateSchema = z.object(productFields).strict();
export const ProductPatchSchema = z.object({
  subgroup: productFields.subgroup.optional(),
  nameVi: productFields.nameVi.optional(),
  nameEn: productFields.nameEn.optional(),
  descriptionVi: text(4000).optional(),
  descriptionEn: text(4000).optional(),
  storyVi: text(8000).optional(),
  storyEn: text(8000).optional(),
  price: money.optional(),
  unitVi: productFields.unitVi.optional(),
  unitEn: productFields.unitEn.optional(),
  weightGrams: z.coerce.number().int().min(0).max(1_000_000).optional(),
  stock: z.coerce.number().int().min(0).max(10_000_000).optional(),
  gtin: productFields.gtin.optional(),
  standards: z.array(text(80).min(1)).max(20).optional(),
  status: z.enum(['draft', 'published', 'archived']).optional(),
}).strict();

export type ProductCreate = z.infer<typeof ProductCreateSchema>;
export type ProductPatch = z.infer<typeof ProductPatchSchema>;

export function groupOfSubgroup(code: string): string | undefined {
  return subgroupGroup.get(code);
}

export const LotCreateSchema = z.object({
  product: slug,
  code: z.string().trim().regex(/^[!-~]{1,20}$/),
  producedOn: isoDate,
  bestBefore: isoDate.optional().or(z.literal('').transform(() => undefined)),
  quantity: z.coerce.number().int().min(0).max(100_000_000),
  materialAreaVi: text(200).optional(),
  materialAreaEn: text(200).optional(),
  growingAreaCode: text(40).optional(),
  harvestedOn: isoDate.optional().or(z.literal('').transform(() => undefined)),
}).strict().refine((v) => !v.bestBefore || v.bestBefore >= v.producedOn, { path: ['bestBefore'], message: 'before_production' });

export type LotCreate = z.infer<typeof LotCreateSchema>;

/** CBV business steps a producer records (GS1 Core Business Vocabulary). */
export const BIZ_STEPS = ['commissioning', 'harvesting', 'transforming', 'inspecting', 'packing', 'storing', 'shipping', 'receiving', 'retail_selling'] as const;

const evidence = z.object({
  type: text(40).min(1),
  title: text(200).min(1),
  url: z.string().trim().max(500).refine((u) => u.startsWith('/media/') || /^https:\/\//.test(u), 'url'),
}).strict();

export const LotEventSchema = z.object({
  bizStep: z.enum(BIZ_STEPS),
  /** Local time at the place, "2026-05-01T08:30", with its zone offset. */
  occurredAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/),
  timeZoneOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/).default('+07:00'),
  placeName: text(200).optional(),
  latitude: z.coerce.number().min(-90).max(90).optional(),
  longitude: z.coerce.number().min(-180).max(180).optional(),
  actor: text(200).optional(),
  descriptionVi: text(2000).optional(),
  descriptionEn: text(2000).optional(),
  evidence: z.array(evidence).max(10).default([]),
  /** An error declaration: the event this one declares wrong (EPCIS corrections are new events). */
  correctsEventId: z.coerce.number().int().positive().optional(),
  errorReason: text(500).optional(),
}).strict().refine((v) => !v.correctsEventId || (v.errorReason && v.errorReason.length > 0), { path: ['errorReason'], message: 'required' });

export type LotEvent = z.infer<typeof LotEventSchema>;

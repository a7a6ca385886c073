import { z } from 'zod';
import { findProvince } from '../catalog/index.ts';
import { POINT_OF_SALE_KINDS } from './places.table.ts';

/** The office's point-of-sale form (and its JSON): one schema for both, errors as short codes per field. */
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), z.string().trim().max(max).nullable().optional());
const coordinate = (min: number, max: number) => z.preprocess(
  (v) => (v === '' || v === undefined || v === null ? null : typeof v === 'string' ? Number(v.replace(',', '.')) : v),
  z.number().min(min).max(max).nullable(),
);

export const PointOfSaleSchema = z.object({
  slug: z.string().trim().toLowerCase().max(80).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  kind: z.enum(POINT_OF_SALE_KINDS),
  nameVi: text(200),
  nameEn: text(200),
  descriptionVi: z.string().trim().max(2000).default(''),
  descriptionEn: z.string().trim().max(2000).default(''),
  province: z.string().transform((v, ctx) => {
    const p = findProvince(v);
    if (!p) {
      ctx.addIssue({ code: 'custom', message: 'province' });
      return z.NEVER;
    }
    return p.code;
  }),
  commune: text(100),
  addressLine: text(200),
  historicalAddress: optionalText(300),
  hoursVi: z.string().trim().max(200).default(''),
  hoursEn: z.string().trim().max(200).default(''),
  phone: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), z.string().trim().regex(/^[+0-9 .()-]{8,20}$/).nullable().optional()),
  latitude: coordinate(-90, 90),
  longitude: coordinate(-180, 180),
  status: z.enum(['open', 'closed']).default('open'),
}).strict().refine((v) => (v.latitude === null) === (v.longitude === null), { path: ['longitude'], message: 'both' });

export type PointOfSaleInput = z.infer<typeof PointOfSaleSchema>;

/** The stock list: product slugs separated by commas, spaces or new lines. */
export const StockedSchema = z.object({
  products: z.string().max(20_000).transform((v) => [...new Set(v.split(/[\s,;]+/).map((s) => s.trim().toLowerCase()).filter(Boolean))]),
}).strict();

export const StaffSchema = z.object({
  email: z.email().trim().toLowerCase().max(254),
  name: text(100),
  password: z.string().min(10).max(200),
}).strict();

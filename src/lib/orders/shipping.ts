import { z } from 'zod';
import { config } from '../config/index.ts';

/**
 * Shipping fees, per producer part (each producer ships its own parcel): a base fee by zone —
 * same province, same region (North / Central / South), across the country — plus a fee per
 * started kilogram above what the base covers, and free above a part subtotal. Configurable with
 * SHIPPING_RULES (JSON of the same shape); shown on the checkout before the customer pays.
 */
export type Zone = 'local' | 'region' | 'national';

const ZoneRule = z.object({ base: z.number().int().min(0), perKg: z.number().int().min(0) }).strict();
export const ShippingRulesSchema = z.object({
  zones: z.object({ local: ZoneRule, region: ZoneRule, national: ZoneRule }).strict(),
  includedGrams: z.number().int().min(0),
  freeFrom: z.number().int().min(0).nullable(),
}).strict();
export type ShippingRules = z.infer<typeof ShippingRulesSchema>;

export const DEFAULT_RULES: ShippingRules = {
  zones: { local: { base: 20_000, perKg: 3_000 }, region: { base: 30_000, perKg: 5_000 }, national: { base: 40_000, perKg: 8_000 } },
  includedGrams: 1_000,
  freeFrom: 500_000,
};

let cached: { source: string | undefined; rules: ShippingRules } | undefined;

export function shippingRules(): ShippingRules {
  const source = config().SHIPPING_RULES;
  if (cached && cached.source === source) return cached.rules;
  let rules = DEFAULT_RULES;
  if (source) {
    let json: unknown;
    try {
      json = JSON.parse(source);
    } catch {
      throw new Error('SHIPPING_RULES is not valid JSON');
    }
    const parsed = ShippingRulesSchema.safeParse(json);
    if (!parsed.success) throw new Error(`SHIPPING_RULES is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    rules = parsed.data;
  }
  cached = { source, rules };
  return rules;
}

const REGION: Record<string, 'north' | 'central' | 'south'> = {};
for (const c of ['ha-noi', 'lai-chau', 'dien-bien', 'son-la', 'lang-son', 'quang-ninh', 'cao-bang', 'tuyen-quang', 'lao-cai', 'thai-nguyen', 'phu-tho', 'bac-ninh', 'hung-yen', 'hai-phong', 'ninh-binh']) REGION[c] = 'north';
for (const c of ['thanh-hoa', 'nghe-an', 'ha-tinh', 'quang-tri', 'hue', 'da-nang', 'quang-ngai', 'gia-lai', 'khanh-hoa', 'lam-dong', 'dak-lak']) REGION[c] = 'central';
for (const c of ['ho-chi-minh', 'dong-nai', 'tay-ninh', 'can-tho', 'vinh-long', 'dong-thap', 'ca-mau', 'an-giang']) REGION[c] = 'south';

export function zoneBetween(from: string, to: string): Zone {
  if (from === to) return 'local';
  return REGION[from] && REGION[from] === REGION[to] ? 'region' : 'national';
}

export interface PartShipping {
  zone: Zone;
  fee: number;
  free: boolean;
}

/** The fee for one producer's parcel of `weightGrams` worth `subtotal` đồng, shipped from → to. */
export function shippingFee(p: { from: string; to: string; weightGrams: number; subtotal: number; goods: boolean }, rules = shippingRules()): PartShipping {
  const zone = zoneBetween(p.from, p.to);
  if (!p.goods) return { zone, fee: 0, free: true };
  if (rules.freeFrom !== null && p.subtotal >= rules.freeFrom) return { zone, fee: 0, free: true };
  const rule = rules.zones[zone];
  const extraKg = Math.ceil(Math.max(0, p.weightGrams - rules.includedGrams) / 1000);
  return { zone, fee: rule.base + rule.perKg * extraKg, free: false };
}

import { z } from 'zod';
import { findProvince } from '../catalog/index.ts';
import { addFieldError, AppError, type FieldErrors } from '../errors/index.ts';
import type { MessageKey, Translator } from '../i18n/index.ts';

/**
 * The one validation of an order, shared by POST /api/orders and the checkout form. Messages are
 * i18n keys, translated at the edge into per-field errors ("customer.phone": "…").
 */
export const MAX_QTY = 99;
export const MAX_LINES = 50;

/** Vietnamese numbers: mobiles 0[35789]xxxxxxxx, landlines 02xxxxxxxxx; +84/84 prefixes and separators accepted. */
export function normalizeVietnamesePhone(input: string): string | null {
  let digits = input.trim().replace(/[\s.\-()]/g, '');
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`;
  else if (/^84\d{9,10}$/.test(digits)) digits = `0${digits.slice(2)}`;
  if (/^0[35789]\d{8}$/.test(digits) || /^02\d{9}$/.test(digits)) return digits;
  return null;
}

const text = (max: number) => z.string({ error: 'orders.field.required' }).trim().min(1, 'orders.field.required').max(max, 'orders.field.tooLong');
const slug = z.string({ error: 'orders.field.required' }).trim().max(200, 'orders.field.unknownProduct').regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'orders.field.unknownProduct');

export const OrderItemSchema = z.object({
  slug: slug.optional(),
  combo: slug.optional(),
  /** An experience's session (group 6): qty is then the party size. */
  session: z.number({ error: 'orders.field.invalid' }).int('orders.field.invalid').positive('orders.field.invalid').max(2_147_483_647, 'orders.field.invalid').optional(),
  qty: z.number({ error: 'orders.field.qty' }).int('orders.field.qty').min(1, 'orders.field.qty').max(MAX_QTY, 'orders.field.qty'),
}, { error: 'orders.field.itemShape' }).strict().superRefine((item, ctx) => {
  if ((item.slug === undefined) === (item.combo === undefined)) ctx.addIssue({ code: 'custom', message: 'orders.field.itemShape', path: ['slug'] });
  if (item.session !== undefined && item.combo !== undefined) ctx.addIssue({ code: 'custom', message: 'orders.field.itemShape', path: ['session'] });
});

export const AddressSchema = z.object({
  line: text(200),
  commune: text(100),
  province: z.string({ error: 'orders.field.province' }).transform((v, ctx) => {
    const p = findProvince(v);
    if (!p) {
      ctx.addIssue({ code: 'custom', message: 'orders.field.province' });
      return z.NEVER;
    }
    return p.code;
  }),
}, { error: 'orders.field.required' }).strict();

const phone = z.string({ error: 'orders.field.phone' }).transform((v, ctx) => {
  const normalized = normalizeVietnamesePhone(v);
  if (!normalized) {
    ctx.addIssue({ code: 'custom', message: 'orders.field.phone' });
    return z.NEVER;
  }
  return normalized;
});

export const CustomerSchema = z.object({
  name: text(100),
  phone,
  email: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.email('orders.field.email').max(254, 'orders.field.tooLong').optional()),
  address: AddressSchema,
}, { error: 'orders.field.required' }).strict();

export const GiftSchema = z.object({
  recipient: z.object({ name: text(100), phone }, { error: 'orders.field.required' }).strict(),
  message: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string({ error: 'orders.field.invalid' }).trim().max(300, 'orders.field.tooLong').optional()),
}, { error: 'orders.field.invalid' }).strict();

export const OrderInputSchema = z.object({
  items: z.array(OrderItemSchema, { error: 'orders.field.items' }).min(1, 'orders.field.items').max(MAX_LINES, 'orders.field.tooMany'),
  customer: CustomerSchema,
  payment: z.enum(['cod', 'vietqr', 'card'], { error: 'orders.field.payment' }),
  note: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string({ error: 'orders.field.invalid' }).trim().max(500, 'orders.field.tooLong').optional()),
  /** A gift: the customer is the buyer; the parcel goes to the recipient at the address, with the message on the packing slip. */
  gift: GiftSchema.optional(),
}, { error: 'orders.field.object' }).strict();

export type OrderInput = z.infer<typeof OrderInputSchema>;
export type OrderItemInput = z.infer<typeof OrderItemSchema>;

/** Turns zod issues into { path: translated message }, the first issue per field. */
export function fieldErrors(error: z.ZodError, t: Translator): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) addFieldError(fields, [...issue.path, key].join('.'), t('orders.field.unknownField'));
      continue;
    }
    const path = issue.path.join('.') || 'body';
    const key = (issue.message.startsWith('orders.') ? issue.message : 'orders.field.invalid') as MessageKey;
    const max = 'maximum' in issue ? Number(issue.maximum) : 0;
    addFieldError(fields, path, (t as (k: MessageKey, p?: Record<string, string | number>) => string)(key, { max, maxQty: MAX_QTY, maxLines: MAX_LINES }));
  }
  return fields;
}

export function invalid(t: Translator, fields: FieldErrors): AppError {
  return new AppError('INVALID_DATA', 'orders.invalid', t('orders.error.invalid'), { fields });
}

export function parseOrderInput(body: unknown, t: Translator): OrderInput {
  const parsed = OrderInputSchema.safeParse(body);
  if (!parsed.success) throw invalid(t, fieldErrors(parsed.error, t));
  return parsed.data;
}

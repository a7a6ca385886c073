import crypto from 'node:crypto';
import { z } from 'zod';
import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { findProvince } from '../catalog/index.ts';
import { PRODUCER_TYPES } from '../catalog/catalog.table.ts';
import { hashPassword, NewPasswordSchema } from '../auth/index.ts';
import { notifyCatalogChanged } from '../search/index.ts';
import * as repo from './producers.repository.ts';
import { slugify } from './products.service.ts';
import { fail, validate } from './validate.ts';

/** The office's register of producers: create (with the producer's first account), verify, suspend. */
const opt = (max: number) => z.string().trim().max(max).optional().transform((v) => (v ? v : null));

export const ProducerCreateSchema = z.object({
  slug: z.string().trim().toLowerCase().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(80).optional(),
  name: z.string().trim().min(2).max(200),
  type: z.enum(PRODUCER_TYPES),
  taxCode: opt(14).refine((v) => v === null || /^[0-9]{10}(-[0-9]{3})?$/.test(v), 'tax_code'),
  province: z.string().trim().min(2).max(80),
  commune: opt(120),
  addressLine: opt(300),
  historicalAddress: opt(300),
  phone: opt(30),
  email: opt(254).refine((v) => v === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'email'),
  storyVi: opt(8000),
  storyEn: opt(8000),
  /** The producer's first sign-in. */
  accountEmail: z.string().trim().toLowerCase().max(254).regex(/^[^\s@]+@[^\s@]+$/),
  accountPassword: NewPasswordSchema.optional().or(z.literal('').transform(() => undefined)),
}).strict();

export const ProducerStatusSchema = z.object({
  status: z.enum(['pending', 'verified', 'suspended']),
  reason: z.string().trim().max(1000).optional(),
}).strict().refine((v) => v.status !== 'suspended' || (v.reason && v.reason.length >= 5), { path: ['reason'], message: 'required' });

export async function listProducers(status?: string) {
  return repo.selectProducers(await getDb(), status && ['pending', 'verified', 'suspended'].includes(status) ? status : undefined);
}

export async function getProducerForOffice(slug: string) {
  const row = await repo.selectProducer(await getDb(), slug);
  if (!row) throw new AppError('NOT_FOUND', 'backoffice.producer_not_found', 'No such producer.');
  return row;
}

/** Returns the producer and, when the office let us choose it, the account's one-time password. */
export async function createProducer(actor: Actor, raw: unknown) {
  const input = validate(ProducerCreateSchema, raw);
  const province = findProvince(input.province);
  if (!province) fail('backoffice.invalid', { province: 'invalid' });
  const slug = input.slug ?? slugify(input.name);
  const password = input.accountPassword ?? crypto.randomBytes(9).toString('base64url');
  const passwordHash = await hashPassword(password);
  const d = await getDb();
  const producer = await d.transaction(async (tx) => {
    const taken = await repo.producerExists(tx, { slug, taxCode: input.taxCode });
    if (taken.slug) fail('backoffice.producer_exists', { slug: 'taken' });
    if (taken.taxCode) fail('backoffice.producer_exists', { taxCode: 'taken' });
    if (await repo.emailTaken(tx, input.accountEmail)) fail('backoffice.account_exists', { accountEmail: 'taken' });
    const id = await repo.insertProducer(tx, { ...input, slug, provinceCode: province.code });
    await repo.insertProducerAccount(tx, id, input.accountEmail, input.name, passwordHash);
    const { accountPassword: _secret, ...logged } = input;
    await recordAudit(tx, actor, 'producer.created', { type: 'producer', id }, null, { ...logged, slug, province: province.code });
    return (await repo.selectProducer(tx, slug))!;
  });
  return { producer, initialPassword: input.accountPassword ? null : password };
}

export async function setProducerStatus(actor: Actor, slug: string, raw: unknown) {
  const input = validate(ProducerStatusSchema, raw);
  const d = await getDb();
  return d.transaction(async (tx) => {
    const before = await repo.selectProducer(tx, slug, true);
    if (!before) throw new AppError('NOT_FOUND', 'backoffice.producer_not_found', 'No such producer.');
    if (before.status === input.status) return before;
    await repo.updateProducerStatus(tx, before.id, input.status, input.reason ?? null);
    if (input.status === 'suspended') await repo.closeProducerSessions(tx, before.id);
    await recordAudit(tx, actor, `producer.${input.status === 'verified' ? 'verified' : input.status === 'suspended' ? 'suspended' : 'reset_to_pending'}`,
      { type: 'producer', id: before.id }, { status: before.status }, { status: input.status, reason: input.reason ?? null });
    // Suspension hides (and reinstatement shows) every product of the producer.
    await notifyCatalogChanged(tx, { producerIds: [before.id] });
    return (await repo.selectProducer(tx, slug))!;
  });
}

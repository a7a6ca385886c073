import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import { findProvince, fold } from '../catalog/index.ts';
import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { notifyCatalogChanged } from '../search/index.ts';
import * as repo from './profile.repository.ts';
import { fail, validate } from './validate.ts';

/**
 * A producer edits its own profile (issue 14 item 9): story in Vietnamese and English, address
 * (current province/commune since 1 July 2025, and the address as written before the merger),
 * contacts, and the bank account the platform pays it to. Name, type, tax code and status stay
 * with the office's register. Every save is audited with what changed and tells search (the
 * index carries the producer's province, commune and historical address).
 */
type Producer = CurrentUser & { producerId: number };
const opt = (max: number) => z.string().trim().max(max).optional().transform((v) => (v ? v : null));
const noControl = (v: string | null) => v === null || !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(v);

export const ProfileSchema = z.object({
  storyVi: opt(8000).refine(noControl),
  storyEn: opt(8000).refine(noControl),
  province: z.string().trim().min(2).max(80),
  commune: opt(120).refine(noControl),
  addressLine: opt(300).refine(noControl),
  historicalAddress: opt(300).refine(noControl),
  /** A Vietnamese number: mobile 0[35789]xxxxxxxx or landline 02xxxxxxxxx, written with spaces, dots or +84. */
  phone: opt(30).transform((v) => (v === null ? null : phoneDigits(v))).refine((v) => v !== undefined, 'phone'),
  email: opt(254).refine((v) => v === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)),
  website: opt(300).refine((v) => v === null || /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(v)),
  /** NAPAS bank BIN (6 digits), account number, holder as the bank writes it (upper case, no diacritics). */
  bankBin: opt(6).refine((v) => v === null || /^\d{6}$/.test(v)),
  bankAccount: opt(19).transform((v) => (v === null ? null : v.replace(/[\s.-]/g, ''))).refine((v) => v === null || /^\d{6,19}$/.test(v)),
  bankAccountName: opt(100).transform((v) => (v === null ? null : fold(v).toUpperCase())).refine((v) => v === null || /^[A-Z0-9 .,&'()\/-]{2,100}$/.test(v)),
}).strict();

function phoneDigits(input: string): string | undefined {
  let d = input.replace(/[\s.\-()]/g, '');
  if (d.startsWith('+84')) d = `0${d.slice(3)}`;
  return /^0[35789]\d{8}$/.test(d) || /^02\d{9}$/.test(d) ? d : undefined;
}

export type Profile = ReturnType<typeof view>;

function view(r: repo.ProfileRow) {
  return {
    slug: r.slug, name: r.name, province: r.province_code, commune: r.commune, addressLine: r.address_line, historicalAddress: r.historical_address,
    storyVi: r.story_vi, storyEn: r.story_en, phone: r.phone, email: r.email, website: r.website,
    bankBin: r.bank_bin, bankAccount: r.bank_account, bankAccountName: r.bank_account_name,
  };
}

export async function getOwnProfile(user: Producer): Promise<Profile> {
  const row = await repo.selectProfile(await getDb(), user.producerId);
  if (!row) throw new AppError('NOT_FOUND', 'backoffice.producer_not_found', 'No such producer.');
  return view(row);
}

/** PATCH: the fields sent replace the current ones; the others stay (null or "" clears a field). */
export async function patchOwnProfile(user: Producer, raw: unknown): Promise<Profile> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('backoffice.invalid', { _: 'invalid' });
  const { slug: _slug, name: _name, ...current } = await getOwnProfile(user);
  const base = Object.fromEntries(Object.entries(current).filter(([, v]) => v !== null));
  const sent = Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, v === null ? '' : v]));
  return updateOwnProfile(user, { ...base, ...sent });
}

export async function updateOwnProfile(user: Producer, raw: unknown): Promise<Profile> {
  const input = validate(ProfileSchema, raw);
  const province = findProvince(input.province);
  if (!province) fail('backoffice.invalid', { province: 'not_found' });
  const bank = [input.bankBin, input.bankAccount, input.bankAccountName];
  // A payout account is whole or absent: a transfer needs the bank, the number and the holder.
  if (bank.some((v) => v !== null) && bank.some((v) => v === null)) {
    fail('backoffice.invalid', Object.fromEntries([['bankBin', input.bankBin], ['bankAccount', input.bankAccount], ['bankAccountName', input.bankAccountName]].filter(([, v]) => v === null).map(([k]) => [k, 'required'])));
  }
  const d = await getDb();
  return d.transaction(async (tx) => {
    const before = await repo.selectProfile(tx, user.producerId, true);
    if (!before) throw new AppError('NOT_FOUND', 'backoffice.producer_not_found', 'No such producer.');
    const next: Omit<repo.ProfileRow, 'slug' | 'name'> = {
      province_code: province.code, commune: input.commune, address_line: input.addressLine, historical_address: input.historicalAddress,
      story_vi: input.storyVi, story_en: input.storyEn, phone: input.phone, email: input.email, website: input.website,
      bank_bin: input.bankBin, bank_account: input.bankAccount, bank_account_name: input.bankAccountName,
    };
    const changed = (Object.keys(next) as Array<keyof typeof next>).filter((k) => (before[k] ?? null) !== next[k]);
    if (changed.length === 0) return view(before);
    await repo.updateProfile(tx, user.producerId, next);
    await recordAudit(tx, user, 'producer.profile_updated', { type: 'producer', id: user.producerId },
      Object.fromEntries(changed.map((k) => [k, before[k]])), Object.fromEntries(changed.map((k) => [k, next[k]])));
    await notifyCatalogChanged(tx, { producerIds: [user.producerId] });
    return view({ ...before, ...next });
  });
}

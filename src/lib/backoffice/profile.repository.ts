import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';

/** The producer's own profile: what it may change about itself (not its name, type, tax code or status: the office's register). */
export interface ProfileRow {
  slug: string;
  name: string;
  province_code: string;
  commune: string | null;
  address_line: string | null;
  historical_address: string | null;
  story_vi: string | null;
  story_en: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  bank_bin: string | null;
  bank_account: string | null;
  bank_account_name: string | null;
}

const COLUMNS = sql`slug, name, province_code, commune, address_line, historical_address, story_vi, story_en, phone, email, website,
  bank_bin, bank_account, bank_account_name`;

export async function selectProfile(db: DbOrTx, producerId: number, lock = false): Promise<ProfileRow | null> {
  const rows = (await db.execute(sql`select ${COLUMNS} from producers where id = ${producerId} ${lock ? sql`for update` : sql``}`)) as unknown as ProfileRow[];
  return rows[0] ?? null;
}

export async function updateProfile(db: DbOrTx, producerId: number, v: Omit<ProfileRow, 'slug' | 'name'>): Promise<void> {
  await db.execute(sql`update producers set province_code = ${v.province_code}, commune = ${v.commune}, address_line = ${v.address_line},
    historical_address = ${v.historical_address}, story_vi = ${v.story_vi}, story_en = ${v.story_en}, phone = ${v.phone}, email = ${v.email},
    website = ${v.website}, bank_bin = ${v.bank_bin}, bank_account = ${v.bank_account}, bank_account_name = ${v.bank_account_name}, updated_at = now()
    where id = ${producerId}`);
}

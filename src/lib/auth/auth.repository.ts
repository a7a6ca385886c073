import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { Role } from './auth.types.ts';

/** All account SQL: users, sessions, API tokens. */
export interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  producer_id: number | null;
  producer_slug: string | null;
  producer_name: string | null;
  disabled: boolean;
  /** The producer's status ('suspended' stops its accounts); null for office accounts. */
  producer_status: string | null;
}

/**
 * Who may act at all, checked on every request (session and API token alike), not only at sign-in:
 * the account is not disabled and its producer, if any, is not suspended.
 */
const MAY_ACT = sql`not u.disabled and (pr.id is null or pr.status <> 'suspended')`;

const USER_COLUMNS = sql`u.id, u.email, u.name, u.password_hash, u.role, u.producer_id, u.disabled,
  pr.slug as producer_slug, pr.name as producer_name, pr.status as producer_status`;

export async function selectUserByEmail(db: DbOrTx, email: string): Promise<UserRow | null> {
  const rows = await db.execute(sql`select ${USER_COLUMNS} from users u left join producers pr on pr.id = u.producer_id where u.email = ${email}`);
  return (rows as unknown as UserRow[])[0] ?? null;
}

export async function selectUserById(db: DbOrTx, id: number): Promise<UserRow | null> {
  const rows = await db.execute(sql`select ${USER_COLUMNS} from users u left join producers pr on pr.id = u.producer_id where u.id = ${id}`);
  return (rows as unknown as UserRow[])[0] ?? null;
}

export async function selectUserBySession(db: DbOrTx, sessionId: string): Promise<(UserRow & { expires_at: string }) | null> {
  const rows = await db.execute(sql`
    select ${USER_COLUMNS}, s.expires_at
    from sessions s join users u on u.id = s.user_id left join producers pr on pr.id = u.producer_id
    where s.id = ${sessionId} and s.expires_at > now() and ${MAY_ACT}`);
  return (rows as unknown as Array<UserRow & { expires_at: string }>)[0] ?? null;
}

export async function selectUserByTokenHash(db: DbOrTx, tokenHash: string): Promise<(UserRow & { token_id: number }) | null> {
  const rows = await db.execute(sql`
    update api_tokens t set last_used_at = now()
    from users u left join producers pr on pr.id = u.producer_id
    where t.token_hash = ${tokenHash} and t.revoked_at is null and u.id = t.user_id and ${MAY_ACT}
    returning ${USER_COLUMNS}, t.id as token_id`);
  return (rows as unknown as Array<UserRow & { token_id: number }>)[0] ?? null;
}

export async function insertSession(db: DbOrTx, s: { id: string; userId: number; expiresAt: Date; client: string | null }): Promise<void> {
  await db.execute(sql`insert into sessions (id, user_id, expires_at, client) values (${s.id}, ${s.userId}, ${s.expiresAt.toISOString()}, ${s.client})`);
}

export async function deleteSession(db: DbOrTx, id: string): Promise<void> {
  await db.execute(sql`delete from sessions where id = ${id}`);
}

/** Every session of a user, or every one but `keep` (after a password change). */
export async function deleteUserSessions(db: DbOrTx, userId: number, keep?: string): Promise<void> {
  await db.execute(sql`delete from sessions where user_id = ${userId} ${keep ? sql`and id <> ${keep}` : sql``}`);
}

export async function deleteExpiredSessions(db: DbOrTx): Promise<void> {
  await db.execute(sql`delete from sessions where expires_at < now()`);
}

export async function updateLastLogin(db: DbOrTx, userId: number): Promise<void> {
  await db.execute(sql`update users set last_login_at = now() where id = ${userId}`);
}

export async function updatePasswordHash(db: DbOrTx, userId: number, hash: string): Promise<void> {
  await db.execute(sql`update users set password_hash = ${hash} where id = ${userId}`);
}

export interface TokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export async function insertApiToken(db: DbOrTx, t: { userId: number; name: string; hash: string; prefix: string }): Promise<TokenRow> {
  const rows = await db.execute(sql`
    insert into api_tokens (user_id, name, token_hash, prefix) values (${t.userId}, ${t.name}, ${t.hash}, ${t.prefix})
    returning id, name, prefix, created_at, last_used_at, revoked_at`);
  return (rows as unknown as TokenRow[])[0]!;
}

export async function selectApiTokens(db: DbOrTx, userId: number): Promise<TokenRow[]> {
  return (await db.execute(sql`
    select id, name, prefix, created_at, last_used_at, revoked_at from api_tokens
    where user_id = ${userId} order by revoked_at is not null, created_at desc`)) as unknown as TokenRow[];
}

/** Revokes one of the user's own tokens; false when there is no such live token of theirs. */
export async function revokeApiToken(db: DbOrTx, userId: number, tokenId: number): Promise<boolean> {
  const rows = await db.execute(sql`
    update api_tokens set revoked_at = now() where id = ${tokenId} and user_id = ${userId} and revoked_at is null returning id`);
  return (rows as unknown as unknown[]).length > 0;
}

/** E-mails of the office's active accounts (the daily digest, lib/messages). */
export async function selectOfficeEmails(db: DbOrTx): Promise<string[]> {
  const rows = (await db.execute(sql`select email from users where role = 'admin' and not disabled order by id`)) as unknown as Array<{ email: string }>;
  return rows.map((r) => r.email);
}

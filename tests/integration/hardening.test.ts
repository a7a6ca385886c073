import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_ATTEMPTS, ACCOUNT_WIDE_ATTEMPTS, CLIENT_ATTEMPTS, createApiToken, login, userFromApiToken, userFromSession, type CurrentUser,
} from '../../src/lib/auth/index.ts';
import { setProducerStatus } from '../../src/lib/backoffice/index.ts';
import { AppError } from '../../src/lib/errors/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

/** Issue 12, items 1 and 4: suspension stops every way in at once; guessing never locks the owner out. */
const database = useTestDatabase();
const PASSWORD = 'ocop-demo-2026';
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? `${e.status} ${e.code}` : String(e)));
const office = async () => (await login({ email: 'admin@ocop.local', password: PASSWORD }, { client: '10.9.0.1' })).user;

describe(`suspension and sign-in throttling (${target})`, () => {
  it('a suspended producer: its sessions and API tokens are refused on the next request, and its password no longer signs in', async () => {
    const email = 'co-so-nem-huan-hong@ocop.local';
    const slug = (await database.get().db.execute(sql`select p.slug from users u join producers p on p.id = u.producer_id where u.email = ${email}`) as unknown as Array<{ slug: string }>)[0]?.slug;
    const session = await login({ email, password: PASSWORD }, { client: '10.1.0.1' });
    const { token } = await createApiToken(session.user, 'script');
    expect((await userFromSession(session.token))?.email).toBe(email);
    expect((await userFromApiToken(token))?.email).toBe(email);

    await setProducerStatus(await office(), slug!, { status: 'suspended', reason: 'Vi phạm nhãn OCOP' });
    expect(await userFromSession(session.token)).toBeNull();
    expect(await userFromApiToken(token)).toBeNull();
    expect(await code(login({ email, password: PASSWORD }, { client: '10.1.0.1' }))).toBe('403 auth.producer_suspended');
    // Whoever does not know the password learns nothing about the account's state.
    expect(await code(login({ email, password: 'wrong-password' }, { client: '10.1.0.1' }))).toBe('401 auth.invalid_credentials');

    // Reinstated: the same token works again, and the password signs in.
    await setProducerStatus(await office(), slug!, { status: 'verified' });
    expect((await userFromApiToken(token))?.email).toBe(email);
    expect(await code(login({ email, password: PASSWORD }, { client: '10.1.0.1' }))).toBe('ok');
  });

  it('a disabled account is refused at once on every session and token', async () => {
    const email = 'cong-ty-khai-hoan@ocop.local';
    const session = await login({ email, password: PASSWORD }, { client: '10.2.0.1' });
    const { token } = await createApiToken(session.user as CurrentUser, 'script');
    await database.get().db.execute(sql`update users set disabled = true where email = ${email}`);
    try {
      expect(await userFromSession(session.token)).toBeNull();
      expect(await userFromApiToken(token)).toBeNull();
      expect(await code(login({ email, password: PASSWORD }, { client: '10.2.0.1' }))).toBe('403 auth.account_disabled');
    } finally {
      await database.get().db.execute(sql`update users set disabled = false where email = ${email}`);
    }
  });

  it('many people signing in from one address are never throttled; many failures from one address are', async () => {
    const shared = '203.0.113.40';
    for (let i = 0; i < CLIENT_ATTEMPTS + 5; i++) expect(await code(login({ email: 'admin@ocop.local', password: PASSWORD }, { client: shared }))).toBe('ok');
    const guesser = '192.0.2.77';
    for (let i = 0; i < CLIENT_ATTEMPTS; i++) {
      expect(await code(login({ email: `nobody-${i}@example.com`, password: 'guess' }, { client: guesser }))).toBe('401 auth.invalid_credentials');
    }
    expect(await code(login({ email: 'nobody-else@example.com', password: 'guess' }, { client: guesser }))).toBe('429 auth.rate_limited');
  });

  it('wrong passwords from one network slow that network down, never the owner on another network', async () => {
    const email = 'admin@ocop.local';
    const attacker = '198.51.100.7';
    for (let i = 1; i <= ACCOUNT_ATTEMPTS; i++) expect(await code(login({ email, password: `wrong-${i}` }, { client: attacker }))).toBe('401 auth.invalid_credentials');
    const blocked = await login({ email, password: 'wrong-last' }, { client: attacker }).catch((e: AppError) => e);
    expect(blocked).toMatchObject({ status: 429, code: 'auth.rate_limited' });
    expect(Number((blocked as AppError).details?.retryAfter)).toBeGreaterThan(0);
    // Another address of the same /16 network is the same network.
    expect(await code(login({ email, password: PASSWORD }, { client: '198.51.200.9' }))).toBe('429 auth.rate_limited');
    // The owner, elsewhere, signs in.
    expect(await code(login({ email, password: PASSWORD }, { client: '203.0.113.5' }))).toBe('ok');
  });

  it('a guesser spread over many networks is slowed account-wide, yet a network the owner used before stays open', async () => {
    const email = 'cong-ty-le-gia@ocop.local';
    expect(await code(login({ email, password: PASSWORD }, { client: '203.0.114.5' }))).toBe('ok'); // the owner's usual network
    for (let i = 0; i < ACCOUNT_WIDE_ATTEMPTS; i++) {
      expect(await code(login({ email, password: `guess-${i}` }, { client: `${20 + i}.77.0.1` }))).toBe('401 auth.invalid_credentials');
    }
    // A new network now waits, even with the right password…
    expect(await code(login({ email, password: PASSWORD }, { client: '99.88.0.1' }))).toBe('429 auth.rate_limited');
    // …but the owner's familiar network does not.
    expect(await code(login({ email, password: PASSWORD }, { client: '203.0.114.77' }))).toBe('ok');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileJson, mutate } from '../../../tests/support/arbitraries.ts';
import { ChangePasswordSchema, LoginSchema, TokenNameSchema } from './auth.schemas.ts';

const valid = { email: 'Admin@OCOP.local ', password: 'ocop-demo-2026', next: '/admin' };

describe('login and account payloads, for any JSON', () => {
  it('login: safeParse never throws; accepted e-mails are trimmed, lower-case and bounded', () => {
    fc.assert(fc.property(fc.oneof(hostileJson, mutate(valid, ['email', 'password', 'next', 'extra'])), (body) => {
      const r = LoginSchema.safeParse(body);
      if (!r.success) return;
      expect(r.data.email).toBe(r.data.email.trim().toLowerCase());
      expect(r.data.email.length).toBeLessThanOrEqual(254);
      expect(r.data.email).toContain('@');
      expect(r.data.password.length).toBeGreaterThanOrEqual(1);
      expect(r.data.password.length).toBeLessThanOrEqual(200);
    }), { numRuns: 3000 });
  });

  it('password change and token names: safeParse never throws', () => {
    fc.assert(fc.property(hostileJson, (body) => {
      const a = ChangePasswordSchema.safeParse(body);
      if (a.success) expect(a.data.next).toBe(a.data.confirm);
      const b = TokenNameSchema.safeParse(body);
      if (b.success) expect(b.data.name.length).toBeGreaterThan(0);
    }), { numRuns: 2000 });
  });
});

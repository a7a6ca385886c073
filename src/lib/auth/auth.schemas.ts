import { z } from 'zod';

/** Shared by the JSON endpoint and the /login form. */
export const LoginSchema = z.object({
  email: z.string().trim().toLowerCase().min(3).max(254).pipe(z.email()),
  password: z.string().min(1).max(200),
  next: z.string().max(500).optional(),
}).strict();

/** At least 10 characters (NIST SP 800-63B asks for 8; long passphrases are welcome). */
export const NewPasswordSchema = z.string().min(10).max(200);

export const ChangePasswordSchema = z.object({
  current: z.string().min(1).max(200),
  next: NewPasswordSchema,
  confirm: z.string().max(200),
}).strict().refine((v) => v.next === v.confirm, { path: ['confirm'], message: 'mismatch' });

export const TokenNameSchema = z.object({ name: z.string().trim().min(1).max(80) }).strict();

// Accounts: sign-in, DB sessions, producer API tokens, rate limits, role and origin checks.
export * from './auth.types.ts';
export {
  login, logout, userFromSession, userFromApiToken, changePassword, createApiToken, listApiTokens, revokeApiToken,
  SESSION_TTL_MS, ACCOUNT_ATTEMPTS, ACCOUNT_WIDE_ATTEMPTS, CLIENT_ATTEMPTS, LOGIN_WINDOW_MS, type LoginResult,
} from './auth.service.ts';
export {
  requirementFor, decide, isCrossSite, bearerToken, safeNext, requireProducer, requireAdmin,
  SESSION_COOKIE, sessionCookieOptions, type Requirement, type Decision,
} from './guard.ts';
export { LoginSchema, ChangePasswordSchema, NewPasswordSchema, TokenNameSchema } from './auth.schemas.ts';
export { hashPassword, verifyPassword } from './password.ts';
export { signIn, signOut, updatePassword, homeOf, webContext, type CookieJar, type WebContext } from './web.ts';
export { selectOfficeEmails } from './auth.repository.ts';

import type { USER_ROLES } from './auth.table.ts';

export type Role = (typeof USER_ROLES)[number];

/** The signed-in account, on `Astro.locals.user` (null when anonymous). */
export interface CurrentUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** The one producer a producer account belongs to; null for the office. */
  producerId: number | null;
  producerSlug: string | null;
  producerName: string | null;
  /** How the request proved who it is: the session cookie, or a producer API token. */
  via: 'session' | 'token';
  /** SHA-256 id of the session (session requests only). */
  sessionId: string | null;
}

export interface ApiTokenView {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

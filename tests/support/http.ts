import { inject } from 'vitest';

export const servers = inject('servers');

export async function get(base: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL(path, base), { redirect: 'manual', ...init });
}

export async function getJson<T = Record<string, unknown>>(base: string, path: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await get(base, path);
  const text = await res.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    throw new Error(`${path} did not answer JSON (status ${res.status}): ${text.slice(0, 300)}`);
  }
  return { status: res.status, body, headers: res.headers };
}

/** Signs in through the API with the demo password and returns the session cookie ("name=value"). */
export async function signIn(base: string, email: string, password = 'ocop-demo-2026'): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** A same-site request with a session cookie and an optional JSON body. */
export function send(base: string, path: string, method: string, cookie: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method, redirect: 'manual',
    headers: { cookie, origin: base, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

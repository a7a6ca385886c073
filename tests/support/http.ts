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

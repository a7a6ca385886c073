import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { issueCertificate, readJson } from '../../../../lib/backoffice/index.ts';
import { listCertificates } from '../../../../lib/certification/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** GET ?status=&q=&page=: certificates. POST: issue (or renew/upgrade) from an evaluation. */
export const GET: APIRoute = async ({ locals, url }) => {
  requireAdmin(locals.user);
  const p = url.searchParams;
  return json({ certificates: await listCertificates({ status: p.get('status') ?? undefined, q: p.get('q') ?? undefined, page: Number(p.get('page')) || 1 }) });
};

export const POST: APIRoute = async ({ locals, request }) => {
  const result = await issueCertificate(requireAdmin(locals.user), await readJson(request));
  return json(result, { status: 201 });
};

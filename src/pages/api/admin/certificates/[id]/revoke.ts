import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readJson, revokeCertificate } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';

/**
 * POST { code, note? } (code from REVOCATION_CODES, lib/certification/revocation.ts; the older
 * { reason } is recorded as code "other" with the text as its note): revokes an active certificate;
 * the OCOP mark disappears from the product at once.
 */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await revokeCertificate(requireAdmin(locals.user), Number(params.id), await readJson(request)));

import type { APIRoute } from 'astro';
import { fileField, formObject, readJson } from '../../lib/backoffice/index.ts';
import { AppError } from '../../lib/errors/index.ts';
import { isPublicAddress, json, networkPrefix } from '../../lib/http/index.ts';
import { submitReport } from '../../lib/monitoring/index.ts';

/**
 * POST /api/reports: a report from the public, as JSON or as a form (multipart with an optional
 * `photo`) → 202 { id, status: "new" }. Rate-limited per client network (429 with Retry-After).
 */
export const POST: APIRoute = async ({ locals, request }) => {
  const address = locals.clientAddress ?? null;
  const client = { network: networkPrefix(address), limited: isPublicAddress(address) };
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new AppError('INVALID_DATA', 'http.invalid_form', 'The form could not be read.');
    }
    return json(await submitReport(formObject(form), client, await fileField(form, 'photo')), { status: 202 });
  }
  return json(await submitReport(await readJson(request), client), { status: 202 });
};

import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { readJson, formObject } from '../../../../lib/backoffice/index.ts';
import { AppError } from '../../../../lib/errors/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { dossierFilesFromForm, fileDossier, listOwnDossiers } from '../../../../lib/programme/index.ts';

/** GET: the producer's dossiers. POST: a new dossier, as JSON or multipart with `doc.<kind>` files → 201 { id, status }. */
export const GET: APIRoute = async ({ locals }) => json({ dossiers: await listOwnDossiers(requireProducer(locals.user)) });

export const POST: APIRoute = async ({ locals, request }) => {
  const user = requireProducer(locals.user);
  const type = request.headers.get('content-type') ?? '';
  let created;
  if (type.includes('multipart/form-data')) {
    const form = await request.formData().catch(() => { throw new AppError('INVALID_DATA', 'http.invalid_form', 'The form could not be read.'); });
    created = await fileDossier(user, formObject(form), await dossierFilesFromForm(form));
  } else {
    created = await fileDossier(user, await readJson(request));
  }
  return json(created, { status: 201, headers: { Location: `/api/producer/dossiers/${created.id}` } });
};

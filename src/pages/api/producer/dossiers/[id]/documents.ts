import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../../lib/auth/index.ts';
import { AppError } from '../../../../../lib/errors/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { addDocuments, dossierFilesFromForm } from '../../../../../lib/programme/index.ts';

/** POST multipart `doc.<kind>` files (PDF or pictures, checked like evidence uploads) while the dossier is in the queue or returned. */
export const POST: APIRoute = async ({ locals, params, request }) => {
  const user = requireProducer(locals.user);
  const form = await request.formData().catch(() => { throw new AppError('INVALID_DATA', 'http.invalid_form', 'Send the documents as multipart fields "doc.<kind>".'); });
  return json(await addDocuments(user, Number(params.id), await dossierFilesFromForm(form)), { status: 201 });
};

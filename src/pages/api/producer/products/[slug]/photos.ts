import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../../lib/auth/index.ts';
import { addProductPhoto } from '../../../../../lib/backoffice/index.ts';
import { AppError, rethrowIfTooLarge } from '../../../../../lib/errors/index.ts';
import { json } from '../../../../../lib/http/index.ts';

/** POST multipart `photo` (JPEG, PNG, WebP, AVIF…; ≤ 8 MB): checked, resized, stored as WebP. */
export const POST: APIRoute = async ({ locals, params, request }) => {
  const user = requireProducer(locals.user);
  const form = await request.formData().catch((error: unknown) => {
    rethrowIfTooLarge(error);
    return null;
  });
  const file = form?.get('photo');
  if (!(file instanceof File)) throw new AppError('INVALID_DATA', 'upload.missing', 'Send the picture as multipart field "photo".', { fields: { photo: 'required' } });
  const alt = { vi: String(form?.get('altVi') ?? ''), en: String(form?.get('altEn') ?? '') };
  const product = await addProductPhoto(user, params.slug ?? '', { name: file.name, data: Buffer.from(await file.arrayBuffer()) }, alt);
  return json(product, { status: 201 });
};

import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { readJson } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { updatePartFromInput } from '../../../../lib/orders/index.ts';

/** POST { status: preparing|shipped|delivered, carrier?, trackingNumber? }: moves the producer's own parcel forward. */
export const POST: APIRoute = async ({ locals, params, request }) => {
  const user = requireProducer(locals.user);
  return json(await updatePartFromInput(params.publicId ?? '', user.producerId, `producer:${user.email}`, await readJson(request)));
};

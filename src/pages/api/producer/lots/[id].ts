import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { getOwnLot } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** A lot of the producer with its timeline. */
export const GET: APIRoute = async ({ locals, params }) => json(await getOwnLot(requireProducer(locals.user), Number(params.id)));

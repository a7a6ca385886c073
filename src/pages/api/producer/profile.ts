import type { APIRoute } from 'astro';
import { requireProducer } from '../../../lib/auth/index.ts';
import { getOwnProfile, patchOwnProfile, readJson } from '../../../lib/backoffice/index.ts';
import { json } from '../../../lib/http/index.ts';

/** GET: the producer's own profile. PATCH: the fields sent (others unchanged; "" or null clears) (per-field errors on 400; audited). */
export const GET: APIRoute = async ({ locals }) => json(await getOwnProfile(requireProducer(locals.user)));

export const PATCH: APIRoute = async ({ locals, request }) => json(await patchOwnProfile(requireProducer(locals.user), await readJson(request)));

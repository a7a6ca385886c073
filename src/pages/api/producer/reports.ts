import type { APIRoute } from 'astro';
import { requireProducer } from '../../../lib/auth/index.ts';
import { json } from '../../../lib/http/index.ts';
import { listReportsForProducer } from '../../../lib/monitoring/index.ts';

/** GET: reports from the public about the producer's own products (never the reporter's contact). */
export const GET: APIRoute = async ({ locals }) => json({ reports: await listReportsForProducer(requireProducer(locals.user)) });

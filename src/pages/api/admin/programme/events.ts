import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { readJson } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { recordProgrammeEvent } from '../../../../lib/programme/index.ts';

/** POST { kind: "fair" | "training", title, heldOn, province, commune?, legacyArea?, participants }: a record the plans count. */
export const POST: APIRoute = async ({ locals, request }) => json(await recordProgrammeEvent(requireAdmin(locals.user), await readJson(request)), { status: 201 });

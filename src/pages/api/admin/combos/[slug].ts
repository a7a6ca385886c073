import { comboItemRoutes } from '../../../../lib/backoffice/index.ts';
import { requireAdmin } from '../../../../lib/auth/index.ts';

/** GET, PATCH and DELETE (archive) of one of this account's gift boxes; another's is a 404 (lib/backoffice/combos.api.ts). */
export const { GET, PATCH, DELETE } = comboItemRoutes(async (locals: App.Locals) => ({ kind: 'office' as const, actor: requireAdmin(locals.user) }));

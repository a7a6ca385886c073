import { comboItemRoutes } from '../../../../lib/backoffice/index.ts';
import { requireProducer } from '../../../../lib/auth/index.ts';

/** GET, PATCH and DELETE (archive) of one of this account's gift boxes; another's is a 404 (lib/backoffice/combos.api.ts). */
export const { GET, PATCH, DELETE } = comboItemRoutes(async (locals: App.Locals) => { const user = requireProducer(locals.user); return { kind: 'producer' as const, producerId: user.producerId, actor: user }; });

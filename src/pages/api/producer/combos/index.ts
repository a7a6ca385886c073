import { comboCollectionRoutes } from '../../../../lib/backoffice/index.ts';
import { requireProducer } from '../../../../lib/auth/index.ts';

/** GET: this account's gift boxes; POST: a new one (201). Same rules as the HTML editor (lib/backoffice/combos.api.ts). */
export const { GET, POST } = comboCollectionRoutes(async (locals: App.Locals) => { const user = requireProducer(locals.user); return { kind: 'producer' as const, producerId: user.producerId, actor: user }; });

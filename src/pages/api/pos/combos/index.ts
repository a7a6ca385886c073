import { comboCollectionRoutes } from '../../../../lib/backoffice/index.ts';
import { staffComboEditor } from '../../../../lib/places/index.ts';

/** GET: this account's gift boxes; POST: a new one (201). Same rules as the HTML editor (lib/backoffice/combos.api.ts). */
export const { GET, POST } = comboCollectionRoutes((locals: App.Locals) => staffComboEditor(locals.user!));

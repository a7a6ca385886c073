import { comboItemRoutes } from '../../../../lib/backoffice/index.ts';
import { staffComboEditor } from '../../../../lib/places/index.ts';

/** GET, PATCH and DELETE (archive) of one of this account's gift boxes; another's is a 404 (lib/backoffice/combos.api.ts). */
export const { GET, PATCH, DELETE } = comboItemRoutes((locals: App.Locals) => staffComboEditor(locals.user!));

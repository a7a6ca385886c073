import { createT, stripLocale } from '../lib/i18n/index.ts';

/**
 * Error pages can be rendered by Astro itself (e.g. a failure before or inside the middleware),
 * without Astro.locals filled in: derive the locale from the URL so they still render.
 */
export function ensureErrorLocals(locals: App.Locals, url: URL): void {
  if ((locals as Partial<App.Locals>).t) return;
  const { locale, path } = stripLocale(url.pathname);
  Object.assign(locals, { locale, t: createT(locale), path, search: url.search, requestId: locals.requestId ?? '' });
}

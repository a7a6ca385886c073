import { escapeXml } from '../http/escape.ts';
import { LOCALES, localePath, messages } from '../i18n/index.ts';
import type { SitemapEntry } from '../catalog/index.ts';

/**
 * What search engines and phones read about the site as a whole: robots.txt, the sitemap (each
 * page in both languages, with xhtml:link hreflang alternates as Google documents them) and the
 * web app manifest. Pure functions of their inputs.
 */

/** Paths no crawler needs: personal pages, the back office, the API, stamp redirects. */
const PRIVATE = ['/cart', '/checkout', '/orders/', '/login', '/dashboard', '/admin', '/api/', '/t/'];

export function robotsTxt(origin: string): string {
  const disallow = PRIVATE.flatMap((p) => [p, localePath(p, 'en')]);
  return ['User-agent: *', ...[...new Set(disallow)].map((p) => `Disallow: ${p}`), '', `Sitemap: ${origin}/sitemap.xml`, ''].join('\n');
}

export function sitemapXml(origin: string, entries: SitemapEntry[]): string {
  const url = (path: string) => escapeXml(origin + path);
  const body = entries.flatMap((e) => {
    const alternates = [
      ...LOCALES.map((l) => `<xhtml:link rel="alternate" hreflang="${l}" href="${url(localePath(e.path, l))}"/>`),
      `<xhtml:link rel="alternate" hreflang="x-default" href="${url(localePath(e.path, 'vi'))}"/>`,
    ].join('');
    const lastmod = e.lastModified ? `<lastmod>${e.lastModified.slice(0, 10)}</lastmod>` : '';
    return LOCALES.map((l) => `<url><loc>${url(localePath(e.path, l))}</loc>${lastmod}${alternates}</url>`);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${body.join('\n')}\n</urlset>\n`;
}

/** The installable app's description (Vietnamese, the site's default language). */
export function webManifest() {
  return {
    name: messages.vi['site.name'],
    short_name: messages.vi['site.name'],
    description: messages.vi['site.description'],
    lang: 'vi',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#faf8f3',
    theme_color: '#0f5132',
    icons: [
      { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' },
      { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}

/**
 * Coarse facts about who scanned, never the full address (DESIGN.md §3): browser family and OS,
 * language; the network prefix comes from lib/http (`networkPrefix`).
 */
export function coarseClient(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent;
  const browser = /Zalo/i.test(ua) ? 'Zalo' : /FBAN|FBAV/i.test(ua) ? 'Facebook' : /Edg\//.test(ua) ? 'Edge' : /OPR\//.test(ua) ? 'Opera'
    : /SamsungBrowser/.test(ua) ? 'Samsung Internet' : /CocCoc/i.test(ua) ? 'Cốc Cốc' : /Firefox\//.test(ua) ? 'Firefox'
    : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : /curl|wget|node|python|go-http/i.test(ua) ? 'script' : 'other';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows'
    : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'other';
  return `${browser}/${os}`;
}

/**
 * Link-preview fetchers and crawlers: a link pasted into Zalo or Facebook is not someone
 * holding the product, so their GETs are not scans.
 */
const BOTS = /bot\b|bot\/|crawler|spider|preview|facebookexternalhit|facebookcatalog|Zalo(?:Preview|Bot)|WhatsApp|TelegramBot|Slackbot|Discordbot|Twitterbot|LinkedInBot|SkypeUriPreview|Googlebot|bingbot|Applebot|YandexBot|Baiduspider|coccocbot|Embedly|vkShare|Pinterest|redditbot|HeadlessChrome|Lighthouse/i;

export function isPreviewBot(userAgent: string | null | undefined): boolean {
  return !!userAgent && BOTS.test(userAgent);
}

/** vi or en from Accept-Language (highest q wins; Vietnamese when neither is listed). */
export function localeFromAcceptLanguage(header: string | null | undefined): 'vi' | 'en' {
  if (!header) return 'vi';
  let best: { locale: 'vi' | 'en'; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag, ...params] = part.trim().split(';');
    const lang = (tag ?? '').trim().toLowerCase().split('-')[0];
    if (lang !== 'vi' && lang !== 'en') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { locale: lang, q };
  }
  return best?.locale ?? 'vi';
}

// The storefront's site-wide pieces: robots.txt, sitemap, web app manifest.
export { robotsTxt, sitemapXml, webManifest } from './seo.ts';

// The storefront's site-wide pieces: robots.txt, sitemap, web app manifest.
export { robotsTxt, sitemapXml, webManifest } from './seo.ts';
// The product page's data, kept between renderings under the page generation (issue 18).
export { productPage, productPageStats, type ProductPageData } from './product-page.ts';

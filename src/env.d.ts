/// <reference types="astro/client" />

declare namespace App {
  /** Set by src/middleware.ts for every request. */
  interface Locals {
    requestId: string;
    locale: import('./lib/i18n/index.ts').Locale;
    t: import('./lib/i18n/index.ts').Translator;
    /** The request path without the locale prefix ('/en/products' → '/products'). */
    path: string;
    /** The request's query string as received ('' or '?…'). */
    search: string;
    /** The signed-in account (session cookie, or an API token on /api/producer), else null. */
    user: import('./lib/auth/index.ts').CurrentUser | null;
    /** Set by the error mapper before it renders the error page: the status being answered. */
    errorStatus?: number;
    /** The client's address, set by the middleware (lib/http/client-address: X-Forwarded-For only through TRUSTED_PROXY_HOPS proxies), or null. */
    clientAddress: string | null;
    /** Handed in by the node:http front (scripts/start.ts) for a request the page cache may keep (lib/http/page-cache). */
    pageCache?: import('./lib/http/page-cache.ts').RenderToken;
  }
}

// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

// Server-rendered, self-contained: no integration fetches anything at build or run time.
export default defineConfig({
  output: 'server',
  // Whole pages are rendered before the first byte: an error in any component then becomes the
  // styled 500 page (middleware) instead of a truncated 200. Pages await their data up front, so
  // streaming would gain little.
  // 'middleware': the server is ours (scripts/start.ts), which serves the built client files itself
  // and hands Astro only what needs rendering.
  adapter: node({ mode: 'middleware', experimentalDisableStreaming: true, bodySizeLimit: 16 * 1024 * 1024 /* = MAX_BODY_BYTES, src/lib/http/edge.ts */ }),
  site: process.env.PUBLIC_BASE_URL || undefined,
  // The origin check is src/middleware.ts's (lib/auth isCrossSite): Astro's own compares the Origin
  // with a URL it builds before our proxy handling and refuses every producer-API script that
  // authenticates with a Bearer token instead of ambient cookies (src/decisions/0016).
  security: { checkOrigin: false },
  compressHTML: true,
  build: { inlineStylesheets: 'auto' },
  devToolbar: { enabled: false },
  vite: {
    // Client scripts always ship as files, never inlined into the page (a strict CSP comes later).
    build: { assetsInlineLimit: 0 },
    // PGlite loads its .wasm/.data files relative to its own module: keep the database drivers
    // as plain node_modules imports instead of bundling them into dist/.
    ssr: { external: ['@electric-sql/pglite', '@electric-sql/pglite-socket', 'postgres'] },
  },
});

import type { APIRoute } from 'astro';
import { LINKSET_CONTEXT, RESOLVER_CORS } from '../../lib/trace/index.ts';

// GS1's JSON-LD context for linksets (a copy: src/lib/trace/README.md), named in the resolver's Link headers.
export const GET: APIRoute = () => new Response(JSON.stringify(LINKSET_CONTEXT), {
  headers: { ...RESOLVER_CORS, 'Content-Type': 'application/ld+json', 'Cache-Control': 'public, max-age=86400' },
});

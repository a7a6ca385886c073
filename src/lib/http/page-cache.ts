import type { IncomingMessage, ServerResponse } from 'node:http';
import { SESSION_COOKIE } from '../auth/index.ts';
import { pageGeneration } from '../db/generation.ts';
import { freshStock, stockAsSeen, type StockRead, type StockReads } from '../db/stock-reads.ts';
import { cartCountFromCookie, type CookieJar } from '../orders/index.ts';

/**
 * Rendered public pages for anonymous visitors, kept in memory, never served stale.
 *
 * Rendering a catalogue page costs ten times the query behind it (Astro's component tree, string
 * building, web streams). Shoppers mostly read the same pages, so the node:http front
 * (scripts/start.ts) answers a repeated request from memory — after one check that nothing the
 * page shows has changed:
 *
 * - Before answering, the front reads the change generation (lib/db/generation: a sequence that
 *   every committed change to what these pages show advances, whoever commits it). Requests
 *   waiting at the same moment share one read, and a request only joins a read that started
 *   after it arrived, so a change committed before a request arrived is always seen. That read
 *   is the only database work of a hit.
 * - When the generation moves, everything is dropped; pages rendered in the instant around a
 *   commit are sent but not kept (`mayKeep`).
 * - Stock is the exception (issue 18): orders move the stock of a few products many times a
 *   second during a sale, and a product's page does not depend on another product's stock. A
 *   stock-only change does not move the generation (migration 0022); instead each page keeps the
 *   stock figures its rendering read (lib/db/stock-reads), and the same shared read that fetches
 *   the generation fetches the current figures of the products the waiting pages depend on. A
 *   page whose figures differ is rendered afresh. So a stock move committed before a request
 *   arrived is always seen, exactly as any other change, and pages that do not show the product
 *   stay cached.
 * - Entries also expire after TTL_MS (certificate states such as "expiring" follow the calendar),
 *   the whole cache is bounded in bytes (least recently used first out), and only a GET answered
 *   200 without cookies to set, to a visitor without a session, of a page listed in CACHEABLE is
 *   kept. The key holds scheme, host, full URL (query included) and the header's cart count,
 *   the one per-visitor thing those pages show.
 * - If the database cannot be asked, the request goes to Astro as if there were no cache (which
 *   then answers 503): a cache that outlived its database would hide an outage, not survive it.
 *
 * State lives on globalThis: the start script and the built Astro server load their own copies
 * of this module and must share one cache.
 */
export const TTL_MS = 60_000;

/** Paths whose pages depend only on the URL and the catalogue (see the note above). */
const CACHEABLE = /^\/en$|^(?:\/en)?(?:\/|\/products\/[a-z0-9-]{1,120}|\/producers\/[a-z0-9-]{1,120}|\/combos|\/combos\/[a-z0-9-]{1,120}|\/verify|\/points-of-sale|\/points-of-sale\/[a-z0-9-]{1,120})$/;
/**
 * The search pages, kept only while search runs on PostgreSQL: Meilisearch receives changes
 * after they commit (outbox), possibly later than the settling half second, so a search answered
 * in between could be kept under the new generation.
 */
const SEARCH_PAGES = /^(?:(?:\/en)?\/products|\/api\/search)$/;

/** A page answered 200 (nothing else is kept). */
interface Entry {
  headers: Array<[string, string]>;
  body: Buffer;
  expires: number;
  /** slug → the stock figure the rendering read and up to which it matters (lib/db/stock-reads). */
  stock: Map<string, StockRead>;
}

export interface RenderToken {
  key: string;
  generation: string | undefined;
  startedAt: number;
}

interface State {
  maxBytes: number;
  searchPages: boolean;
  bytes: number;
  entries: Map<string, Entry>;
  hits: number;
  misses: number;
}

const KEY = Symbol.for('cho-ocop.page-cache');
const state = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
  maxBytes: 0,
  searchPages: false,
  bytes: 0,
  entries: new Map(),
  hits: 0,
  misses: 0,
} satisfies State) as State;

/**
 * Turns the cache on with a byte budget (0 keeps it off); `searchPages` when search is answered
 * from PostgreSQL (see SEARCH_PAGES). Only the node:http front calls this.
 */
export function enablePageCache(megabytes: number, options: { searchPages: boolean }): void {
  state.maxBytes = Math.max(0, Math.floor(megabytes * 1024 * 1024));
  state.searchPages = options.searchPages;
  if (!state.maxBytes) clear();
}

export function pageCacheStats(): { entries: number; bytes: number; hits: number; misses: number } {
  return { entries: state.entries.size, bytes: state.bytes, hits: state.hits, misses: state.misses };
}

/** The request's cookies, read-only, in the shape the auth and cart helpers take. */
function cookieJar(header: string | undefined): Pick<CookieJar, 'get'> {
  return {
    get(name: string) {
      for (const part of header?.split(';') ?? []) {
        const eq = part.indexOf('=');
        if (eq !== -1 && part.slice(0, eq).trim() === name) return { value: part.slice(eq + 1).trim() };
      }
      return undefined;
    },
  };
}

/** The cache key of a request, or null when its answer must not come from (or go to) the cache. */
export function pageCacheKey(req: { method?: string; url?: string; headers: IncomingMessage['headers'] }): string | null {
  if (!state.maxBytes || (req.method !== 'GET' && req.method !== 'HEAD')) return null;
  const url = req.url ?? '/';
  if (url.length > 2048) return null;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!CACHEABLE.test(path) && !(state.searchPages && SEARCH_PAGES.test(path))) return null;
  const cookies = cookieJar(req.headers.cookie);
  if (cookies.get(SESSION_COOKIE)?.value || req.headers.authorization) return null;
  const proto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim() === 'https' ? 'https' : 'http';
  return `${proto} ${req.headers.host ?? ''} ${url} ${cartCountFromCookie(cookies)}`;
}

function clear(): void {
  state.entries.clear();
  state.bytes = 0;
}
// Registered once per module copy; clearing twice is harmless.
pageGeneration.onChange(clear);

function lookup(key: string): Entry | undefined {
  const entry = state.entries.get(key);
  if (!entry) return undefined;
  if (entry.expires <= Date.now()) {
    state.entries.delete(key);
    state.bytes -= entry.body.length;
    return undefined;
  }
  // most recently used last
  state.entries.delete(key);
  state.entries.set(key, entry);
  return entry;
}

/** Does the database still hold, for every product the page read, a figure the page cannot tell from the one it read? */
function stockUnchanged(entry: Entry, stock: Map<string, number>): boolean {
  for (const [slug, read] of entry.stock) {
    const now = stock.get(slug);
    if (now === undefined || stockAsSeen(now, read.upTo) !== stockAsSeen(read.stock, read.upTo)) return false;
  }
  return true;
}

/**
 * The node:http side: for a cacheable request, answers from the cache after the freshness check,
 * or calls `render` with the token the page's middleware hands back to `rememberPage`. Returns
 * false (and does nothing) for requests the cache does not take.
 */
export function servePageCache(req: IncomingMessage, res: ServerResponse, render: (token: RenderToken | undefined) => void, requestId: () => string): boolean {
  const key = pageCacheKey(req);
  if (key === null) return false;
  // The products whose stock the kept page (if any) shows, to be read with the generation.
  const candidate = state.entries.get(key);
  freshStock(candidate ? candidate.stock.keys() : []).then(({ ok, stock }) => {
    const entry = ok ? lookup(key) : undefined;
    if (!entry || !stockUnchanged(entry, stock)) {
      state.misses++;
      render(ok && req.method === 'GET' ? { key, generation: pageGeneration.current(), startedAt: Date.now() } : undefined);
      return;
    }
    state.hits++;
    for (const [name, value] of entry.headers) res.setHeader(name, value);
    res.setHeader('x-request-id', requestId());
    res.setHeader('x-cache', 'HIT');
    res.setHeader('content-length', String(entry.body.length));
    res.writeHead(200);
    res.end(req.method === 'HEAD' ? undefined : entry.body);
  }, () => render(undefined));
  return true;
}

/**
 * The Astro side (src/middleware.ts): keeps a finished response of a request the front handed a
 * token, if nothing changed while it rendered. Returns the response to send (the same content;
 * its body read into memory when kept).
 */
export async function rememberPage(token: RenderToken | undefined, response: Response, signedIn: boolean, setsCookies: boolean, reads?: StockReads): Promise<Response> {
  const keepable = (t: RenderToken | undefined): t is RenderToken => t !== undefined && state.maxBytes > 0 && pageGeneration.mayKeep(t.generation, t.startedAt) && !reads?.conflict;
  if (!keepable(token) || signedIn || setsCookies || response.status !== 200 || !response.body || response.headers.has('set-cookie')) return response;
  const body = Buffer.from(await response.arrayBuffer());
  const sent = new Response(new Uint8Array(body), { status: 200, headers: response.headers });
  sent.headers.set('x-cache', 'MISS');
  // The generation may have moved while the body was read.
  if (!keepable(token) || body.length > state.maxBytes / 8) return sent;
  const headers = [...response.headers].filter(([name]) => name !== 'x-request-id' && name !== 'content-length');
  const previous = state.entries.get(token.key);
  if (previous) {
    state.entries.delete(token.key);
    state.bytes -= previous.body.length;
  }
  state.entries.set(token.key, { headers, body, expires: Date.now() + TTL_MS, stock: new Map(reads?.values) });
  state.bytes += body.length;
  for (const [oldest, entry] of state.entries) {
    if (state.bytes <= state.maxBytes) break;
    state.entries.delete(oldest);
    state.bytes -= entry.body.length;
  }
  return sent;
}

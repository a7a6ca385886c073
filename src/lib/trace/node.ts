import type { IncomingMessage, ServerResponse } from 'node:http';
import { config } from '../config/index.ts';
import { clientAddressFrom } from '../http/client-address.ts';
import { handleTracePage, isTraceRequest } from './handler.ts';

/**
 * The node:http side of the /t/<code> fast path (scripts/start.ts): no framework between the
 * socket and the one query. Returns false for requests that are not ours.
 */
export function serveTrace(req: IncomingMessage, res: ServerResponse): boolean {
  if (!isTraceRequest(req.method, req.url)) return false;
  const url = req.url!;
  const q = url.indexOf('?');
  const ua = req.headers['user-agent'];
  handleTracePage({
    method: req.method!,
    pathname: q === -1 ? url : url.slice(0, q),
    search: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
    acceptLanguage: (req.headers['accept-language'] as string | undefined) ?? null,
    userAgent: ua ?? null,
    ip: clientAddressFrom(req.socket.remoteAddress, req.headers['x-forwarded-for'], config().TRUSTED_PROXY_HOPS),
  }).then((reply) => {
    // With its length the head and the page leave in one write (without, node:http sends it chunked).
    res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  }, (error: unknown) => {
    // handleTracePage maps its own failures; this is a last resort.
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(String(error instanceof Error ? 'Internal error' : error));
  });
  return true;
}

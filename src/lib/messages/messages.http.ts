import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../log/index.ts';
import { unsubscribe } from './messages.service.ts';

/**
 * One-click unsubscribe (RFC 8058) answered by the front server (scripts/start.ts) before Astro:
 * mail providers POST `List-Unsubscribe=One-Click` from their own servers, with no Origin of ours,
 * which Astro's cross-site form check (security.checkOrigin) would refuse. The signed token is the
 * only credential — no cookie gives the request authority — so no cross-site check is needed.
 * Success is a 303 to the page, which then says it is done; a bad token is a 400.
 */
export function serveOneClickUnsubscribe(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST' || !req.url) return false;
  const url = new URL(req.url, 'http://local');
  if (url.pathname !== '/unsubscribe' && url.pathname !== '/en/unsubscribe') return false;
  const en = url.pathname.startsWith('/en');
  req.resume(); // the body (List-Unsubscribe=One-Click) says nothing more than the method
  const token = url.searchParams.get('t');
  unsubscribe(token).then((address) => {
    if (!address) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(en ? 'This unsubscribe link is not valid.' : 'Đường dẫn huỷ đăng ký không hợp lệ.');
      return;
    }
    res.writeHead(303, { location: `${url.pathname}?t=${encodeURIComponent(token!)}&done=1`, 'cache-control': 'no-store' });
    res.end();
  }, (err) => {
    log.warn('one-click unsubscribe failed', { error: err instanceof Error ? err.message : String(err) });
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
    res.end(en ? 'Please try again shortly.' : 'Vui lòng thử lại sau giây lát.');
  });
  return true;
}

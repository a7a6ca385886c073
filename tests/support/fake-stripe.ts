import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

declare module 'vitest' {
  export interface ProvidedContext {
    stripe: { url: string; webhookSecret: string };
  }
}

/** What the HTTP test servers run with: test-mode keys, the API pointed at the stand-in. */
export const STRIPE_TEST_ENV = { STRIPE_SECRET_KEY: 'sk_test_http_servers', STRIPE_WEBHOOK_SECRET: 'whsec_test_http_servers' };

/**
 * A local stand-in for api.stripe.com (Stripe's API is unreachable here): the app's Stripe client
 * is pointed at it with STRIPE_API_BASE. It implements the three calls the app makes — create and
 * retrieve a Checkout Session, create a refund — and records every request (form body, headers)
 * so tests can check exactly what was sent. GET /__requests returns the log; POST /__sessions/<id>
 * with a JSON body patches a session (e.g. { "payment_status": "paid" }); POST /__fail makes the
 * next create fail with a 500.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  form: Record<string, string>;
}

export interface FakeStripe {
  url: string;
  requests: RecordedRequest[];
  sessions: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}_test_${Date.now().toString(36)}${(++counter).toString(36)}`;

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, Record<string, unknown>>();
  const byIdempotency = new Map<string, string>();
  let failNext = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': nextId('req') });
        res.end(JSON.stringify(data));
      };
      if (url.pathname === '/__requests') return send(200, requests);
      if (url.pathname === '/__fail') {
        failNext++;
        return send(200, { ok: true });
      }
      const patch = /^\/__sessions\/(.+)$/.exec(url.pathname);
      if (patch) {
        const s = sessions.get(patch[1]!);
        if (!s) return send(404, {});
        Object.assign(s, JSON.parse(body || '{}'));
        return send(200, s);
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      requests.push({ method: req.method ?? '', path: url.pathname, headers, form });
      if (!String(req.headers.authorization ?? '').startsWith('Bearer sk_test_')) return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
      if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        if (failNext > 0) {
          failNext--;
          return send(500, { error: { type: 'api_error', message: 'stand-in failure' } });
        }
        const key = String(req.headers['idempotency-key'] ?? '');
        const existing = key && byIdempotency.get(key);
        if (existing) return send(200, sessions.get(existing));
        const id = nextId('cs');
        const session = {
          id, object: 'checkout.session', url: `https://checkout.stripe.test/c/pay/${id}`, mode: 'payment', status: 'open',
          payment_status: 'unpaid', currency: form['currency'] ?? form['line_items[0][price_data][currency]'],
          amount_total: Number(form['line_items[0][price_data][unit_amount]']) * Number(form['line_items[0][quantity]'] ?? 1),
          client_reference_id: form['client_reference_id'] ?? null, metadata: { order: form['metadata[order]'] },
          expires_at: Number(form['expires_at']), payment_intent: null, success_url: form['success_url'], cancel_url: form['cancel_url'],
        };
        sessions.set(id, session);
        if (key) byIdempotency.set(key, id);
        return send(200, session);
      }
      const get = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && get) {
        const s = sessions.get(get[1]!);
        return s ? send(200, s) : send(404, { error: { type: 'invalid_request_error', message: 'No such checkout.session' } });
      }
      const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(url.pathname);
      if (req.method === 'POST' && expire) {
        const s = sessions.get(expire[1]!);
        if (!s) return send(404, { error: { type: 'invalid_request_error', message: 'No such checkout.session' } });
        if (s.status !== 'open') return send(400, { error: { type: 'invalid_request_error', message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(s.status)}".` } });
        s.status = 'expired';
        return send(200, s);
      }
      if (req.method === 'POST' && url.pathname === '/v1/refunds') {
        return send(200, { id: nextId('re'), object: 'refund', amount: Number(form['amount']), payment_intent: form['payment_intent'], status: 'succeeded' });
      }
      return send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method} ${url.pathname})` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sessions,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let eventCounter = 0;
/** A Stripe event genuinely signed with `secret`, as Stripe would deliver it to the webhook. */
export function signedStripeEvent(type: string, object: Record<string, unknown>, secret: string, id?: string): { payload: string; header: string } {
  const payload = JSON.stringify({ id: id ?? `evt_test_${++eventCounter}_${Date.now()}`, object: 'event', type, api_version: '2026-01-28', created: Math.floor(Date.now() / 1000), data: { object } });
  return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}

import fc from 'fast-check';
import Stripe from 'stripe';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { hostileJson, hostileString } from '../support/arbitraries.ts';
import { handleStripeWebhook } from '../../src/lib/orders/index.ts';
import { isAppError } from '../../src/lib/errors/index.ts';

/**
 * The Stripe webhook takes bodies from anyone on the internet. Arbitrary bodies and signatures
 * never cause anything but a 4xx, and never change an order, a payment, stock or the ledger. Even
 * a correctly signed event of an odd shape (Stripe's API changes; a test secret leaks into a
 * script) is answered without a 5xx and changes nothing it cannot match.
 */
const SECRET = 'whsec_property_tests';
beforeAll(() => {
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
});
const database = useTestDatabase();
afterAll(() => {
  delete process.env.STRIPE_WEBHOOK_SECRET;
});

async function state() {
  const [row] = (await database.get().db.execute(sql`select
      (select coalesce(string_agg(status || ':' || n, ',' order by status), '') from (select status, count(*) n from orders group by status) o) as orders,
      (select coalesce(string_agg(status || ':' || n, ',' order by status), '') from (select status, count(*) n from payments group by status) p) as payments,
      (select coalesce(sum(stock), 0) || '/' || coalesce(sum(reserved), 0) from products) as stock,
      (select count(*) from payout_entries) as ledger`)) as unknown as Array<Record<string, unknown>>;
  return row;
}

const TYPES = ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.expired', 'checkout.session.async_payment_failed', 'charge.refunded', 'payment_intent.created'];
const object = fc.oneof(
  hostileJson,
  fc.record({
    id: fc.oneof(hostileString(['cs_test_', 'pi_'], 10), hostileJson),
    client_reference_id: fc.oneof(hostileString(['ord_'], 10), hostileJson),
    payment_status: fc.oneof(fc.constantFrom('paid', 'unpaid'), hostileJson),
    payment_intent: fc.oneof(hostileString(['pi_'], 8), hostileJson),
    amount_total: fc.oneof(fc.integer(), hostileJson),
    amount_refunded: fc.oneof(fc.integer(), hostileJson),
    refunded: fc.oneof(fc.boolean(), hostileJson),
    currency: fc.oneof(fc.constantFrom('vnd', 'usd'), hostileJson),
    metadata: fc.oneof(fc.record({ order: hostileString(['ord_'], 8) }), hostileJson),
  }, { requiredKeys: [] }),
);
const event = fc.record({
  id: fc.oneof(hostileString(['evt_'], 12), hostileJson),
  object: fc.constant('event'),
  type: fc.oneof(fc.constantFrom(...TYPES), hostileJson),
  data: fc.oneof(fc.record({ object }), hostileJson),
}, { requiredKeys: [] });

function expectClientError(err: unknown) {
  if (!isAppError(err) || err.status >= 500) throw err;
}

describe('Stripe webhook, for any body', () => {
  it('regressions: signed bodies that are not Stripe events are a 400, not a 500', async () => {
    for (const payload of ['{}', 'null', '[]', '{"id":"evt_1","type":"x"}', '{"id":"evt_\\u0000","type":"charge.refunded","data":{"object":{}}}', '{"id":"evt_2","type":"\\u0000","data":{"object":{}}}']) {
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
      await expect(handleStripeWebhook(payload, header), payload).rejects.toMatchObject({ status: 400, code: 'payments.bad_event' });
    }
  });

  it('unsigned, mis-signed or garbage requests are refused with a 400 and change nothing', async () => {
    const before = await state();
    const t = Math.floor(Date.now() / 1000);
    const signature = fc.oneof(
      fc.constant(null), hostileString(['t=', `t=${t}`, ',v1=', 'v1=', 'v0=', '=', ','], 20),
      fc.string({ unit: 'binary' }),
      fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => `t=${t},v1=${h}`),
    );
    const body = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), event.map((e) => JSON.stringify(e)), hostileJson.map((j) => JSON.stringify(j) ?? ''));
    await fc.assert(fc.asyncProperty(body, signature, async (b, s) => {
      await handleStripeWebhook(b, s).then(() => expect.unreachable('accepted'), (err) => {
        expectClientError(err);
        expect(err.status).toBe(400);
      });
    }), { numRuns: 500 });
    expect(await state()).toEqual(before);
  });

  it('correctly signed events of any shape never cause a 5xx and never change orders, payments, stock or the ledger', async () => {
    const before = await state();
    // Found by this property: a NUL byte in a session id reached a query, and PostgreSQL refused it (500).
    for (const object of [
      { id: 'cs_\u0000x', payment_status: 'paid', client_reference_id: 'ord_x', amount_total: 1, currency: 'vnd' },
      { id: 'cs_ok', payment_status: 'paid', client_reference_id: 'ord_\u0000', payment_intent: 'pi_\u0000', amount_total: 1, currency: '\u0000' },
    ]) {
      const payload = JSON.stringify({ id: 'evt_nul', type: 'checkout.session.completed', data: { object } });
      const r = await handleStripeWebhook(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }));
      expect(['ignored', 'unknown_order', 'noop', null].includes(r.outcome as string) || r.duplicate, payload).toBe(true);
    }
    await fc.assert(fc.asyncProperty(fc.oneof(event, hostileJson), async (e) => {
      const payload = JSON.stringify(e) ?? 'null';
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
      try {
        const r = await handleStripeWebhook(payload, header);
        expect(['ignored', 'unknown_order', 'noop', null].includes(r.outcome as string) || r.duplicate).toBe(true);
      } catch (err) {
        expectClientError(err);
      }
    }), { numRuns: 400 });
    expect(await state()).toEqual(before);
  });
});

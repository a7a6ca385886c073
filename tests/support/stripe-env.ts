import { afterAll, beforeAll } from 'vitest';
import { startFakeStripe, type FakeStripe } from './fake-stripe.ts';

/**
 * For one test file: a local stand-in for Stripe's API, with STRIPE_SECRET_KEY,
 * STRIPE_WEBHOOK_SECRET and STRIPE_API_BASE pointing at it while the file runs.
 * Call it before useTestDatabase(), so the environment is set when the app starts.
 */
export function useFakeStripe(webhookSecret: string, secretKey: string): { readonly stripe: FakeStripe } {
  const holder = {} as { stripe: FakeStripe };
  beforeAll(async () => {
    holder.stripe = await startFakeStripe();
    process.env.STRIPE_SECRET_KEY = secretKey;
    process.env.STRIPE_WEBHOOK_SECRET = webhookSecret;
    process.env.STRIPE_API_BASE = holder.stripe.url;
  });
  afterAll(async () => {
    delete process.env.STRIPE_SECRET_KEY;
    delete process.env.STRIPE_WEBHOOK_SECRET;
    delete process.env.STRIPE_API_BASE;
    await holder.stripe?.close();
  });
  return holder;
}

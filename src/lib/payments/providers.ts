import { codProvider } from './cod.provider.ts';
import { stripeProvider } from './stripe.provider.ts';
import { vietQrProvider } from './vietqr.provider.ts';
import type { PaymentMethod, PaymentProvider, ProviderName } from './payments.types.ts';

/** The registry: one line per payment module. */
const PROVIDERS: PaymentProvider[] = [codProvider, vietQrProvider, stripeProvider];

export function providerForMethod(method: PaymentMethod): PaymentProvider | null {
  return PROVIDERS.find((p) => p.method === method) ?? null;
}

export function providerByName(name: ProviderName): PaymentProvider | null {
  return PROVIDERS.find((p) => p.provider === name) ?? null;
}

/** Payment methods the checkout offers now (card only when Stripe is configured). */
export function enabledMethods(): PaymentMethod[] {
  return PROVIDERS.filter((p) => p.enabled()).map((p) => p.method);
}

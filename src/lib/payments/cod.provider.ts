import type { PaymentProvider } from './payments.types.ts';

/** Cash on delivery: the order is confirmed at once and the units are taken; cash is collected by the carrier. */
export const codProvider: PaymentProvider = {
  method: 'cod',
  provider: 'cod',
  enabled: () => true,
  policy: () => ({ orderStatus: 'processing', stock: 'commit', holdMinutes: null }),
  refuseAmount: () => null,
  start: async () => ({}),
  present: () => ({}),
};

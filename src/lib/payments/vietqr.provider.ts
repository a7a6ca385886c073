import { config } from '../config/index.ts';
import type { PaymentProvider, VietQrView } from './payments.types.ts';
import { buildVietQr } from './vietqr.ts';
import { bankName } from './banks.ts';

/**
 * VietQR bank transfer (NAPAS 247) into the platform's collection account. The order waits for
 * the money with its units held; the office (or a bank-statement import matching amount and
 * reference) marks it paid.
 */
export function vietQrView(order: { total: number; reference: string }): VietQrView {
  const cfg = config();
  return {
    payload: buildVietQr({ bin: cfg.VIETQR_BANK_BIN, account: cfg.VIETQR_ACCOUNT, amount: order.total, purpose: order.reference }),
    bank: bankName(cfg.VIETQR_BANK_BIN),
    bankBin: cfg.VIETQR_BANK_BIN,
    account: cfg.VIETQR_ACCOUNT,
    accountName: cfg.VIETQR_ACCOUNT_NAME,
    amount: order.total,
    reference: order.reference,
  };
}

export const vietQrProvider: PaymentProvider = {
  method: 'vietqr',
  provider: 'vietqr',
  enabled: () => true,
  policy: () => ({ orderStatus: 'pending_payment', stock: 'reserve', holdMinutes: config().VIETQR_HOLD_HOURS * 60 }),
  // NAPAS 247 takes any amount from 1 đồng up to the bank's limit; the QR amount field holds 13 digits.
  refuseAmount: (total) => (total > 9_999_999_999_999 ? 'orders.error.amountTooLarge' : null),
  start: async () => ({}),
  present: (order, payment) => (payment.status === 'pending' ? { vietqr: vietQrView(order) } : {}),
};

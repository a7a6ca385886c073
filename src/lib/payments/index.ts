// Payments: one provider interface (cash on delivery, VietQR, Stripe), the payout ledger and bank statements.
export type { PaymentMethod, ProviderName, PaymentProvider, PaymentPolicy, PaymentView, PaymentNotice, OrderForPayment, VietQrView } from './payments.types.ts';
export { providerForMethod, providerByName, enabledMethods } from './providers.ts';
export { verifyStripeEvent, interpretStripeEvent, retrieveCheckoutNotice, STRIPE_MIN_VND, STRIPE_MAX_VND } from './stripe.provider.ts';
export { buildVietQr, decodeVietQr, crc16 } from './vietqr.ts';
export { vietQrView } from './vietqr.provider.ts';
export {
  insertPayment, updatePayment, latestPaymentOf, paymentsOf, findPaymentByRef, findPaymentByProviderPaymentId, findPaymentById,
  recordWebhookEvent, type PaymentRow,
} from './payments.repository.ts';
export { creditParts, reverseParts, recordSettlement, settleProducer, settlePointOfSale, payoutBalances, currentPayoutBalances, payoutCsv, payoutReportCsv, commission, type PartToCredit, type PayoutBalance } from './payouts.ts';
export { parseBankStatement, referencesIn, parseAmount, type StatementLine } from './bank-statement.ts';
export { qrSvg, qrPng } from './qr-svg.ts';
export { settlePayoutByOffice } from './settlement.service.ts';
export { BANKS, bankName } from './banks.ts';

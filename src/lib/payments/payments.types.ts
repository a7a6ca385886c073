/**
 * One interface for every way of paying. A provider says how the order starts (stock held or
 * taken, for how long), talks to its gateway after the order is committed, shows the customer
 * what to do, and reads the gateway's notifications. Adding VNPay, OnePay or MoMo means one more
 * module implementing this and one line in providers.ts.
 */
export type PaymentMethod = 'cod' | 'vietqr' | 'card';
export type ProviderName = 'cod' | 'vietqr' | 'stripe';

export interface OrderForPayment {
  publicId: string;
  total: number;
  reference: string;
  email: string | null;
  locale: 'vi' | 'en';
  /** When the stock held for this order is released if still unpaid. */
  reservedUntil: Date | null;
}

export interface PaymentPolicy {
  /** The order's first status: waiting for money, or confirmed at once (cash on delivery). */
  orderStatus: 'pending_payment' | 'processing';
  /** 'reserve' holds units until paid; 'commit' takes them now. */
  stock: 'reserve' | 'commit';
  /** How long an unpaid order keeps its stock (minutes); null = until cancelled. */
  holdMinutes: number | null;
}

export interface PaymentStarted {
  providerRef?: string;
  providerPaymentId?: string;
  checkoutUrl?: string;
  expiresAt?: Date;
  raw?: unknown;
}

export interface VietQrView {
  payload: string;
  bank: string;
  bankBin: string;
  account: string;
  accountName: string;
  amount: number;
  reference: string;
}

export interface PaymentView {
  method: PaymentMethod;
  status: string;
  vietqr?: VietQrView;
  url?: string;
}

/** A gateway notification in domain terms. */
export type PaymentNotice =
  | { kind: 'paid'; orderPublicId: string | null; providerRef: string; providerPaymentId: string | null; amount: number; currency: string }
  | { kind: 'expired' | 'failed'; orderPublicId: string | null; providerRef: string }
  | { kind: 'refunded'; providerPaymentId: string; amountRefunded: number; fully: boolean }
  | { kind: 'ignored' };

export interface PaymentProvider {
  readonly method: PaymentMethod;
  readonly provider: ProviderName;
  enabled(): boolean;
  policy(): PaymentPolicy;
  /** An i18n key when the gateway cannot take this amount, else null (checked before reserving). */
  refuseAmount(total: number): string | null;
  /** Called after the order is committed; may talk to the gateway (network). */
  start(order: OrderForPayment, urls: { success: string; cancel: string }): Promise<PaymentStarted>;
  /** What the customer needs to pay (QR, redirect URL). */
  present(order: OrderForPayment, payment: { status: string; checkoutUrl: string | null }): Omit<PaymentView, 'method' | 'status'>;
  /** Closes the gateway's payment page of a cancelled order, so nobody pays for released units. */
  close?(payment: { providerRef: string }): Promise<void>;
  /** Gives money back (late payment after the reservation lapsed). */
  refund?(payment: { providerPaymentId: string; amount: number; idempotencyKey: string; cause?: string }): Promise<{ refundId: string }>;
}

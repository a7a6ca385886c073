import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { payments, webhookEvents } from './payments.table.ts';
import type { ProviderName } from './payments.types.ts';

/** All SQL on payments and webhook events. */
export type PaymentRow = typeof payments.$inferSelect;

export async function insertPayment(tx: DbOrTx, row: { orderId: number; provider: ProviderName; amount: number; idempotencyKey: string }): Promise<PaymentRow> {
  const [created] = await tx.insert(payments).values(row).returning();
  return created!;
}

export async function updatePayment(tx: DbOrTx, id: number, patch: Partial<Omit<PaymentRow, 'id' | 'orderId' | 'createdAt'>>): Promise<void> {
  await tx.update(payments).set({ ...patch, updatedAt: new Date() }).where(eq(payments.id, id));
}

export async function latestPaymentOf(tx: DbOrTx, orderId: number): Promise<PaymentRow | null> {
  const rows = await tx.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(sql`${payments.id} desc`).limit(1);
  return rows[0] ?? null;
}

export async function paymentsOf(tx: DbOrTx, orderIds: number[]): Promise<PaymentRow[]> {
  if (orderIds.length === 0) return [];
  return tx.select().from(payments).where(sql`${payments.orderId} in (${sql.join(orderIds.map((i) => sql`${i}`), sql`, `)})`);
}

export async function findPaymentByRef(tx: DbOrTx, provider: ProviderName, providerRef: string): Promise<PaymentRow | null> {
  const rows = await tx.select().from(payments).where(and(eq(payments.provider, provider), eq(payments.providerRef, providerRef))).limit(1);
  return rows[0] ?? null;
}

export async function findPaymentByProviderPaymentId(tx: DbOrTx, provider: ProviderName, providerPaymentId: string): Promise<PaymentRow | null> {
  const rows = await tx.select().from(payments).where(and(eq(payments.provider, provider), eq(payments.providerPaymentId, providerPaymentId))).limit(1);
  return rows[0] ?? null;
}

export async function findPaymentById(tx: DbOrTx, id: number): Promise<PaymentRow | null> {
  const rows = await tx.select().from(payments).where(eq(payments.id, id)).limit(1);
  return rows[0] ?? null;
}

/**
 * Records a provider event id; false when it was already recorded (a replay or a duplicate
 * delivery). Called in the transaction that applies the event, so both commit or neither.
 */
export async function recordWebhookEvent(tx: DbOrTx, e: { id: string; provider: ProviderName; type: string }): Promise<boolean> {
  const rows = await tx.insert(webhookEvents).values({ ...e, processedAt: new Date() }).onConflictDoNothing().returning({ id: webhookEvents.id });
  return rows.length > 0;
}

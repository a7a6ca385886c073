import { z } from 'zod';
import { config } from '../config/index.ts';
import { db } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { creditParts, latestPaymentOf, updatePayment } from '../payments/index.ts';
import { notify, transition } from './order-status.ts';
import { insertEvent, lockOrderByPublicId, lockPart, partsOf, partsToCredit, selectHandovers, selectProducerName, selectProducerParts, updatePart, type HandoverRow, type ProducerPartRow } from './orders.repository.ts';
import type { PartStatus, ShipperRef } from './orders.types.ts';

/** A producer id (the dashboard's callers) or any shipper (a point of sale packing gift boxes). */
export type ShipperArg = number | ShipperRef;
export const asShipper = (s: ShipperArg): ShipperRef => (typeof s === 'number' ? { kind: 'producer', id: s } : s);

/**
 * Each shipper (a producer, or a point of sale packing gift boxes) fulfils its own part: preparing → shipped → delivered. The order follows its
 * parts: the first part being prepared makes a paid order "processing", all parts shipped make it
 * "shipped", all delivered "delivered". A cash-on-delivery part credits its producer when it is
 * delivered (the carrier collected the cash).
 */
export type PartStep = 'preparing' | 'shipped' | 'delivered';
export const PART_NEXT: Record<PartStatus, readonly PartStep[]> = {
  pending: ['preparing', 'shipped'],
  preparing: ['shipped'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export async function listProducerParts(shipper: ShipperArg, limit = 100): Promise<ProducerPartRow[]> {
  return selectProducerParts(await db(), asShipper(shipper), limit);
}

/** The producer's products packed in others' gift boxes: what to hand over to whom, and its share. */
export async function listHandovers(producerId: number, limit = 50): Promise<HandoverRow[]> {
  return selectHandovers(await db(), producerId, limit);
}

export async function advancePart(
  publicId: string, shipperArg: ShipperArg, to: PartStep, actor: string,
  shipping: { carrier?: string; trackingNumber?: string } = {},
): Promise<boolean> {
  const d = await db();
  const shipper = asShipper(shipperArg);
  return d.transaction(async (tx) => {
    const order = await lockOrderByPublicId(tx, publicId);
    const part = order && (await lockPart(tx, order.id, shipper));
    if (!order || !part) throw new AppError('NOT_FOUND', 'orders.part_not_found', 'No such order part');
    if (!['paid', 'processing', 'shipped'].includes(order.status)) throw new AppError('CONFLICT', 'orders.not_confirmed', 'The order is not confirmed (unpaid, cancelled or refunded)');
    if (!PART_NEXT[part.status].includes(to)) return false;
    const now = new Date();
    await updatePart(tx, part.id, {
      status: to,
      ...(to === 'shipped' ? { shippedAt: now, carrier: shipping.carrier ?? null, trackingNumber: shipping.trackingNumber ?? null } : {}),
      ...(to === 'delivered' ? { deliveredAt: now } : {}),
    });
    await insertEvent(tx, { orderId: order.id, orderPartId: part.id, type: 'part_status', fromStatus: part.status, toStatus: to, cause: 'producer_update', actor, data: shipping.trackingNumber ? { carrier: shipping.carrier ?? null, trackingNumber: shipping.trackingNumber } : null });
    if (to === 'delivered' && order.paymentMethod === 'cod') {
      await creditParts(tx, await partsToCredit(tx, [part]), config().PAYOUT_FEE_BPS, order.paymentReference);
    }
    const live = (await partsOf(tx, order.id)).filter((p) => p.status !== 'cancelled');
    if (order.status === 'paid') await transition(tx, order, 'processing', 'producer_update', actor);
    if (live.every((p) => p.status === 'shipped' || p.status === 'delivered')) await transition(tx, order, 'shipped', 'all_parts_shipped', 'system');
    if (live.every((p) => p.status === 'delivered')) {
      await transition(tx, order, 'delivered', 'all_parts_delivered', 'system');
      const payment = await latestPaymentOf(tx, order.id);
      if (order.paymentMethod === 'cod' && payment?.status === 'pending') await updatePayment(tx, payment.id, { status: 'succeeded', paidAt: now });
    }
    // The customer hears of each parcel (carrier and tracking number when shipped), with the change.
    if (to === 'shipped' || to === 'delivered') {
      const parcel = { producerId: shipper.id, kind: shipper.kind, producer: await selectProducerName(tx, shipper), status: to, carrier: to === 'shipped' ? shipping.carrier ?? null : part.carrier, trackingNumber: to === 'shipped' ? shipping.trackingNumber ?? null : part.trackingNumber };
      await notify(tx, order, 'parcel', `part:${part.id}:${to}`, { parcel });
    }
    return true;
  });
}

const PartUpdateSchema = z.object({
  status: z.enum(['preparing', 'shipped', 'delivered'], { error: 'preparing, shipped or delivered' }),
  carrier: z.string().trim().max(100, 'at most 100 characters').optional(),
  trackingNumber: z.string().trim().max(60, 'at most 60 characters').optional(),
}).strict();

/** The producer API's and dashboard form's update of a part, validated at the edge. */
export async function updatePartFromInput(publicId: string, shipper: ShipperArg, actor: string, body: unknown): Promise<{ changed: boolean }> {
  const parsed = PartUpdateSchema.safeParse(body);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message]));
    throw new AppError('INVALID_DATA', 'orders.invalid_part_update', 'Invalid part update', { fields });
  }
  const { status, carrier, trackingNumber } = parsed.data;
  return { changed: await advancePart(publicId, shipper, status, actor, { carrier: carrier || undefined, trackingNumber: trackingNumber || undefined }) };
}

import { describe, expect, it } from 'vitest';
import { canMove, NEXT } from './order-status.ts';
import { ORDER_EVENT_TYPES, ORDER_STATUSES } from './orders.table.ts';
import { messages } from '../i18n/index.ts';

describe('order state machine', () => {
  it('never moves a paid or later order back to pending or paid', () => {
    for (const s of ORDER_STATUSES) expect(canMove(s, 'pending_payment')).toBe(false);
    for (const s of ['processing', 'shipped', 'delivered', 'cancelled', 'refunded'] as const) expect(canMove(s, 'paid')).toBe(false);
    expect(canMove('paid', 'cancelled')).toBe(true);
    expect(canMove('shipped', 'cancelled')).toBe(false);
    expect(NEXT.refunded).toEqual([]);
  });
});

describe('order timeline lines', () => {
  it('has a line in Vietnamese and English for every event type an order records', () => {
    for (const type of ORDER_EVENT_TYPES.filter((t) => t !== 'status' && t !== 'part_status')) {
      for (const locale of ['vi', 'en'] as const) expect((messages[locale] as Record<string, string>)[`orders.order.event.${type}`], `${locale} ${type}`).toBeTruthy();
    }
  });
});

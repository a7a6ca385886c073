import { describe, expect, it } from 'vitest';
import { canMove, NEXT } from './order-status.ts';
import { ORDER_STATUSES } from './orders.table.ts';

describe('order state machine', () => {
  it('never moves a paid or later order back to pending or paid', () => {
    for (const s of ORDER_STATUSES) expect(canMove(s, 'pending_payment')).toBe(false);
    for (const s of ['processing', 'shipped', 'delivered', 'cancelled', 'refunded'] as const) expect(canMove(s, 'paid')).toBe(false);
    expect(canMove('paid', 'cancelled')).toBe(true);
    expect(canMove('shipped', 'cancelled')).toBe(false);
    expect(NEXT.refunded).toEqual([]);
  });
});

import { config } from '../config/index.ts';
import type { DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import type { Translator } from '../i18n/index.ts';
import { hit } from '../ratelimit/index.ts';
import { lockNetworkHolds, selectHeldByNetwork } from './orders.repository.ts';

/**
 * Inventory hoarding: VietQR orders hold units for VIETQR_HOLD_HOURS and card orders for half an
 * hour, unpaid, so without limits one client could hold the whole stock. Both limits key on the
 * client network (lib/http networkPrefix: IPv4 /16, IPv6 /32), never on the address:
 *
 * - ORDERS_PER_NETWORK_HOUR: orders placed (any payment) per network per hour — the
 *   PostgreSQL rate limiter, counted before the order's transaction;
 * - HELD_ORDERS_PER_NETWORK and HELD_UNITS_PER_NETWORK: unpaid orders holding stock, and their
 *   units, that one network may have at once — counted from the orders themselves inside the
 *   order's transaction, so a hold that is paid, cancelled or lapses frees its place at once.
 *
 * A network of many people (a carrier's NAT) shares the limits: the defaults are generous for a
 * shop of this size; 0 turns a limit off.
 */
const HOUR_MS = 3_600_000;

/** The key of a client without a known address: all of them share one budget. */
export const networkKey = (network: string | null): string => network ?? 'unknown';

function limited(code: string, message: string, retryAfter: number): AppError {
  return new AppError('RATE_LIMITED', code, message, { details: { retryAfter } });
}

/** Counts one placement against the network's hourly budget (429 with Retry-After past it). */
export async function checkPlacementRate(db: DbOrTx, network: string | null, t: Translator): Promise<void> {
  const limit = config().ORDERS_PER_NETWORK_HOUR;
  if (limit === 0) return;
  const r = await hit(db, `orders:placed:${networkKey(network)}`, { limit, windowMs: HOUR_MS });
  if (!r.allowed) throw limited('orders.rate_limited', t('orders.error.tooManyOrders', { minutes: Math.ceil(r.retryAfter / 60) }), r.retryAfter);
}

/**
 * In the order's transaction, before any unit moves: the network's unpaid holds plus this order
 * stay within the caps. Retry-After is when the network's first hold lapses (an hour if none).
 */
export async function checkHeldByNetwork(tx: DbOrTx, network: string | null, units: number, t: Translator): Promise<void> {
  const { HELD_ORDERS_PER_NETWORK: maxOrders, HELD_UNITS_PER_NETWORK: maxUnits } = config();
  if (maxOrders === 0 && maxUnits === 0) return;
  const key = networkKey(network);
  await lockNetworkHolds(tx, key);
  const held = await selectHeldByNetwork(tx, key);
  const retryAfter = held.firstLapse ? Math.max(1, Math.ceil((held.firstLapse.getTime() - Date.now()) / 1000)) : HOUR_MS / 1000;
  if (maxOrders > 0 && held.orders + 1 > maxOrders) {
    throw limited('orders.too_many_held', t('orders.error.tooManyHeld', { held: held.orders, max: maxOrders }), retryAfter);
  }
  if (maxUnits > 0 && held.units + units > maxUnits) {
    throw limited('orders.too_many_held_units', t('orders.error.tooManyHeldUnits', { held: held.units, units, max: maxUnits }), retryAfter);
  }
}

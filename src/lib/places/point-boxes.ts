import type { CurrentUser } from '../auth/index.ts';
import type { ComboEditor } from '../backoffice/index.ts';
import { db } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import type { ShipperRef } from '../orders/index.ts';
import * as repo from './places.repository.ts';

/**
 * A point of sale packing gift boxes (issue 13 items 1–2): its counter staff build boxes across
 * producers with their point as the packer (the gift-box editor, lib/backoffice/combos.service.ts)
 * and see and fulfil the parcels of those boxes (lib/orders fulfilment, as a `point_of_sale`
 * shipper). An account that works for no point of sale gets 403.
 */
async function placeOf(user: CurrentUser) {
  const place = user.role === 'pos' ? await repo.selectStaffPlace(await db(), user.id) : null;
  if (!place) throw new AppError('FORBIDDEN', 'pos.no_place', 'This account does not work for a point of sale', { details: { reason: 'no_place' } });
  return place;
}

/** The gift-box editor of the staff's point of sale. */
export async function staffComboEditor(user: CurrentUser): Promise<ComboEditor & { kind: 'point_of_sale' }> {
  const place = await placeOf(user);
  return { kind: 'point_of_sale', pointId: Number(place.id), pointSlug: place.slug, actor: user };
}

/** The staff's point of sale as the shipper of its gift-box parcels. */
export async function staffShipper(user: CurrentUser): Promise<ShipperRef> {
  return { kind: 'point_of_sale', id: Number((await placeOf(user)).id) };
}

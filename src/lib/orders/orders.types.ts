import type { ProductImage, SaleBlock } from '../catalog/index.ts';
import type { OrderBookingView } from '../experiences/index.ts';
import type { PaymentMethod, PaymentView } from '../payments/index.ts';

export type OrderStatus = 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
export type PartStatus = 'pending' | 'preparing' | 'shipped' | 'delivered' | 'cancelled';

/**
 * Who packs and ships a parcel: a producer (its own items, and the gift combos it assembles) or a
 * point of sale (the gift combos it assembles). Parcels are keyed by `${kind}:${id}`.
 */
export type ShipperKind = 'producer' | 'point_of_sale';
export interface ShipperRef {
  kind: ShipperKind;
  id: number;
}
export const shipperKey = (s: ShipperRef): string => `${s.kind}:${s.id}`;
export interface Shipper extends ShipperRef {
  slug: string;
  name: string;
  province: string;
}

/** A published, approved product as checkout needs it, with why it cannot be sold now (`block`, null when it can). */
export interface ProductForSale {
  id: number;
  slug: string;
  nameVi: string;
  nameEn: string;
  price: number;
  weightGrams: number;
  kind: 'goods' | 'experience';
  stock: number;
  image: ProductImage | null;
  producerId: number;
  producerSlug: string;
  producerName: string;
  producerProvince: string;
  block: SaleBlock | null;
}

/** A line as the shopper chose it: one product, or one gift combo with its components. */
export interface ResolvedLine {
  kind: 'product' | 'combo' | 'experience';
  /** An experience's session: qty is the party size, unitPrice the price per person. */
  session?: BookedSession;
  slug: string;
  comboId: number | null;
  /** Who ships this line: the product's producer, or the combo's assembler (the whole box, one parcel). */
  shipper: Shipper;
  name: { vi: string; en: string };
  unitPrice: number;
  qty: number;
  components: Array<{ product: ProductForSale; qty: number }>;
}

export interface BookedSession {
  id: number;
  startsOn: string;
  startsAt: string | null;
}

export interface PricedItem {
  product: ProductForSale;
  session?: BookedSession;
  qty: number;
  unitPrice: number;
  lineTotal: number;
  combo: { id: number; slug: string; name: { vi: string; en: string }; qty: number } | null;
}

/** One parcel: what one shipper packs, with one shipping fee. */
export interface PricedPart {
  producer: Shipper;
  items: PricedItem[];
  subtotal: number;
  weightGrams: number;
  shippingFee: number;
  freeShipping: boolean;
  zone: 'local' | 'region' | 'national';
}

export interface PricedOrder {
  parts: PricedPart[];
  subtotal: number;
  shippingTotal: number;
  total: number;
  /** Units per product, summed across single items and combos. */
  demand: Map<number, number>;
  /** Seats per experience session. */
  seats: Map<number, number>;
}

/** GET /api/orders/<publicId> (DESIGN.md §6). */
export interface OrderView {
  publicId: string;
  status: OrderStatus;
  createdAt: string;
  currency: 'VND';
  subtotal: number;
  shippingTotal: number;
  total: number;
  reference: string;
  locale: 'vi' | 'en';
  customer: { name: string; phone: string; province: string; commune: string };
  /** A gift to someone else: the recipient and the message printed on the packing slip. */
  gift: { recipient: { name: string }; message: string | null } | null;
  parts: Array<{
    /** Who ships the parcel (`kind` point_of_sale: a shop packing gift boxes). */
    producer: { slug: string; name: string; kind: ShipperKind };
    status: PartStatus;
    subtotal: number;
    shippingFee: number;
    weightGrams: number;
    items: Array<{ slug: string; name: { vi: string; en: string }; qty: number; unitPrice: number; lineTotal: number; combo: { slug: string | null; name: { vi: string; en: string }; qty: number } | null }>;
  }>;
  events: Array<{ type: string; from: string | null; to: string | null; cause: string | null; at: string; producer: string | null }>;
  payment: PaymentView & { method: PaymentMethod };
  reservedUntil: string | null;
  /** The customer may still cancel (unpaid, or cash on delivery not yet shipped; bookings: before their cut-off). */
  cancellable: boolean;
  /** Experience sessions booked by this order (party size, until when it can be cancelled). */
  bookings: OrderBookingView[];
}

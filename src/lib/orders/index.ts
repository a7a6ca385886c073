// Orders: the cart, checkout, reservations, the order's life and its payment.
export type { OrderView, OrderStatus, PartStatus, PricedOrder, PricedPart } from './orders.types.ts';
export { parseOrderInput, normalizeVietnamesePhone, MAX_QTY, type OrderInput } from './orders.schemas.ts';
export { createOrder, placeOrder, getOrderView, newPublicId, newPaymentReference, type PlacedOrder } from './orders.service.ts';
export { cancelOrder, cancelByCustomer, customerMayCancel, expireLapsedOrders, handleStripeWebhook, syncCheckoutReturn, markPaidByOffice, applyNotice, processRefund } from './payment-lifecycle.ts';
export { importBankStatement, type ImportRow } from './bank-import.ts';
export { registerOrderHandlers, setNotificationSender, noticeText, type NotificationSender } from './notifications.ts';
export type { OrderNotification } from './order-status.ts';
export { getCart, addToCart, updateCartLine, type CartView, type CartLine } from './cart.service.ts';
export { handleCartForm, cartForPage, cartCountFromCookie, type CookieJar, type CartAction } from './cart.http.ts';
export { handleCheckout, type CheckoutState, type CheckoutResult, type CheckoutValues } from './checkout.form.ts';
export { shippingRules, shippingFee, zoneBetween } from './shipping.ts';
export { priceOrder, allocate } from './checkout.steps.ts';
export { readOrderRequest, apiLocale, publicOrigin, orderClient } from './orders.http.ts';
export { packingSlip, type PackingSlip } from './packing-slip.ts';
export { advancePart, listProducerParts, PART_NEXT, updatePartFromInput } from './fulfilment.ts';
export type { ProducerPartRow } from './orders.repository.ts';

import type { APIRoute } from 'astro';
import { getOrderView } from '../../../lib/orders/index.ts';
import { qrPng } from '../../../lib/payments/index.ts';

/** The order's VietQR code as a PNG to save to the phone (then open it from the banking app). 404 once nothing is owed by transfer. */
export const GET: APIRoute = async ({ params }) => {
  const order = await getOrderView(params.publicId ?? '');
  const qr = order?.status === 'pending_payment' ? order.payment.vietqr : undefined;
  if (!order || !qr) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const png = await qrPng(qr.payload);
  return new Response(new Uint8Array(png), {
    headers: {
      'Content-Type': 'image/png',
      'Content-Disposition': `attachment; filename="vietqr-${order.reference}.png"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
};

import type { APIRoute } from 'astro';
import { confirmStampPin } from '../../../lib/stamps/index.ts';
import { networkPrefix } from '../../../lib/http/index.ts';
import { rethrowIfTooLarge } from '../../../lib/errors/index.ts';

// The scratch-off PIN form of the provenance page (works without JS): POST, then back to the page.
export const POST: APIRoute = async ({ params, request, url, locals }) => {
  const form = await request.formData().catch((error: unknown) => {
    rethrowIfTooLarge(error);
    return null;
  });
  const pin = String(form?.get('pin') ?? '').slice(0, 20);
  const { outcome } = await confirmStampPin({ code: params.code ?? '', pin, network: networkPrefix(locals.clientAddress) });
  const en = url.searchParams.get('lang') === 'en';
  return new Response(null, { status: 303, headers: { location: `${en ? '/en' : ''}/t/${encodeURIComponent(params.code ?? '')}?pin=${outcome}` } });
};

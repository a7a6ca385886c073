import type { APIRoute } from 'astro';
import { captureJob, epcisCaller, epcisJson, epcisMethodNotAllowed, epcisOptions, problemResponse, requireEpcisProducer } from '../../../lib/epcis/index.ts';

// GET /epcis/capture/<id>: the capture job (its producer only).
export const ALL: APIRoute = async ({ request, params, locals }) => {
  if (request.method === 'OPTIONS') return epcisOptions('GET, OPTIONS');
  if (request.method !== 'GET' && request.method !== 'HEAD') return epcisMethodNotAllowed('GET, OPTIONS');
  try {
    const producer = requireEpcisProducer(await epcisCaller(request, locals.user));
    return epcisJson(await captureJob(params.id ?? '', producer.producerId));
  } catch (error) {
    return problemResponse(error, locals.requestId);
  }
};

import type { APIRoute } from 'astro';
import {
  CAPTURE_HEADERS, captureBehaviour, captureDocument, captureJobs, epcisCaller, epcisJson, epcisMethodNotAllowed, epcisOptions, problemResponse,
  readDocument, requireEpcisProducer,
} from '../../lib/epcis/index.ts';

// EPCIS 2.0 capture (src/lib/epcis/capture.ts): POST an EPCISDocument → 202 + Location of the capture job.
const METHODS = 'GET, POST, OPTIONS';
export const ALL: APIRoute = async ({ request, locals }) => {
  if (request.method === 'OPTIONS') return epcisOptions(METHODS, CAPTURE_HEADERS);
  if (request.method !== 'POST' && request.method !== 'GET') return epcisMethodNotAllowed(METHODS);
  try {
    const producer = requireEpcisProducer(await epcisCaller(request, locals.user));
    if (request.method === 'GET') return epcisJson(await captureJobs(producer.producerId), { headers: CAPTURE_HEADERS });
    const behaviour = captureBehaviour(request);
    const { captureID } = await captureDocument({ document: await readDocument(request), producerId: producer.producerId, userId: producer.id, behaviour });
    return new Response(null, { status: 202, headers: { ...CAPTURE_HEADERS, Location: `/epcis/capture/${captureID}`, 'GS1-EPCIS-Version': '2.0.0', 'GS1-CBV-Version': '2.0.0', 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Location' } });
  } catch (error) {
    return problemResponse(error, locals.requestId);
  }
};

import { bearerToken, userFromApiToken, type CurrentUser } from '../auth/index.ts';
import { isUnavailable } from '../errors/index.ts';
import { log } from '../log/index.ts';
import { CAPTURE_FILE_SIZE_LIMIT, CAPTURE_LIMIT } from './capture.ts';
import { EpcisProblem, isEpcisProblem } from './problem.ts';

/**
 * HTTP side of the EPCIS 2.0 REST binding, over the Fetch API: the standard's headers, RFC 7807
 * problems with EPCIS exception types, and who is asking (a producer's Bearer token, or a
 * producer's session in the browser).
 */
export const EPCIS_HEADERS = {
  'GS1-EPCIS-Version': '2.0.0',
  'GS1-CBV-Version': '2.0.0',
  'GS1-EPCIS-Min': '2.0.0',
  'GS1-EPCIS-Max': '2.0.0',
  'GS1-CBV-Min': '2.0.0',
  'GS1-CBV-Max': '2.0.0',
  'GS1-EPC-Format': 'Always_GS1_Digital_Link',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Location, Link, GS1-EPCIS-Version, GS1-CBV-Version',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, GS1-Capture-Error-Behaviour, GS1-EPCIS-Version, GS1-CBV-Version',
} as const;

export const CAPTURE_HEADERS = {
  'GS1-EPCIS-Capture-Limit': String(CAPTURE_LIMIT),
  'GS1-EPCIS-Capture-File-Size-Limit': String(CAPTURE_FILE_SIZE_LIMIT),
} as const;

export function epcisJson(body: unknown, init: { status?: number; headers?: Record<string, string>; type?: string } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { ...EPCIS_HEADERS, 'Content-Type': init.type ?? 'application/json', 'Cache-Control': 'no-store', ...init.headers },
  });
}

export function options(methods: string, extra: Record<string, string> = {}): Response {
  return new Response(null, { status: 204, headers: { ...EPCIS_HEADERS, ...extra, Allow: methods, 'Access-Control-Allow-Methods': methods, 'Access-Control-Max-Age': '86400' } });
}

export function methodNotAllowed(methods: string): Response {
  return new Response(null, { status: 405, headers: { ...EPCIS_HEADERS, Allow: methods } });
}

export function problemResponse(error: unknown, requestId?: string): Response {
  let problem: EpcisProblem;
  if (isEpcisProblem(error)) problem = error;
  else if (isUnavailable(error)) problem = new EpcisProblem('ImplementationException', 503, 'The service is busy; try again in a few seconds.');
  else {
    log.error('epcis request failed', { requestId, error: error instanceof Error ? error.stack : String(error) });
    problem = new EpcisProblem('ImplementationException', 500, `Internal error${requestId ? ` (request ${requestId})` : ''}.`);
  }
  const headers: Record<string, string> = problem.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="epcis"' } : problem.status === 503 ? { 'Retry-After': '5' } : {};
  return epcisJson({ ...problem.toJSON(), ...(requestId ? { instance: `urn:uuid:${requestId}` } : {}) }, { status: problem.status, type: 'application/problem+json', headers });
}

/** The producer behind the request: Bearer token first, else the session's producer account. */
export async function epcisCaller(request: Request, sessionUser: CurrentUser | null | undefined): Promise<CurrentUser | null> {
  const token = bearerToken(request.headers.get('authorization'));
  if (request.headers.has('authorization')) {
    const user = token ? await userFromApiToken(token) : null;
    if (!user) throw new EpcisProblem('SecurityException', 401, 'The Bearer token is not valid (create one in the dashboard, under API tokens).');
    return user;
  }
  return sessionUser ?? null;
}

export function requireProducer(user: CurrentUser | null): CurrentUser & { producerId: number } {
  if (!user) throw new EpcisProblem('SecurityException', 401, 'Send a producer API token: Authorization: Bearer <token>.');
  if (user.role !== 'producer' || user.producerId === null) throw new EpcisProblem('SecurityException', 403, 'Only producer accounts capture EPCIS events.');
  return user as CurrentUser & { producerId: number };
}

/** The request body as an EPCIS document: JSON (or JSON-LD), within the size limit. */
export async function readDocument(request: Request): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/ld+json') {
    throw new EpcisProblem('UnsupportedMediaTypeException', 415, `Content-Type ${type || '(none)'} is not supported; send application/json or application/ld+json.`);
  }
  if (Number(request.headers.get('content-length') ?? 0) > CAPTURE_FILE_SIZE_LIMIT) throw new EpcisProblem('CaptureLimitExceededException', 413, `At most ${CAPTURE_FILE_SIZE_LIMIT} bytes per capture.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > CAPTURE_FILE_SIZE_LIMIT) throw new EpcisProblem('CaptureLimitExceededException', 413, `At most ${CAPTURE_FILE_SIZE_LIMIT} bytes per capture.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EpcisProblem('ValidationException', 400, 'The body is not valid JSON.');
  }
}

export function captureBehaviour(request: Request): 'rollback' | 'proceed' {
  const v = (request.headers.get('gs1-capture-error-behaviour') ?? 'rollback').trim().toLowerCase();
  if (v !== 'rollback' && v !== 'proceed') throw new EpcisProblem('ValidationException', 400, 'GS1-Capture-Error-Behaviour is rollback or proceed.');
  return v;
}

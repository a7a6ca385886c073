/**
 * One error type for the whole app. Areas create them with namespaced codes
 * ("catalog.not_found"); one mapper (src/middleware.ts, jsonError) turns them into responses.
 * `expose` says whether the message may reach the client; anything else becomes a generic 500.
 */
export type ErrorKind = 'INVALID_DATA' | 'NOT_FOUND' | 'CONFLICT' | 'UNPROCESSABLE' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'TOO_LARGE' | 'UNEXPECTED';

const STATUS: Record<ErrorKind, number> = {
  INVALID_DATA: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409,
  /** Well-formed but refused as a whole (e.g. an Idempotency-Key reused with another body). */
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429, UNAVAILABLE: 503, UNEXPECTED: 500,
  /** A request body over the size limit (lib/http edge.ts). */
  TOO_LARGE: 413,
};

export interface FieldErrors {
  [field: string]: string;
}

/**
 * Adds a field's message unless the field already has one. Field names can come from the client
 * (unknown keys of a JSON body), so "__proto__" or "constructor" must become plain own properties,
 * not the object's prototype or an inherited method.
 */
export function addFieldError(fields: FieldErrors, field: string, message: string): void {
  if (!Object.hasOwn(fields, field)) Object.defineProperty(fields, field, { value: message, enumerable: true, writable: true, configurable: true });
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly status: number;
  readonly expose: boolean;
  readonly fields?: FieldErrors;
  readonly details?: Record<string, unknown>;

  constructor(kind: ErrorKind, code: string, message: string, opts: { fields?: FieldErrors; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.status = STATUS[kind];
    this.expose = kind !== 'UNEXPECTED';
    this.fields = opts.fields;
    this.details = opts.details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** The PostgreSQL error code of an error or of its cause (drizzle wraps driver errors). */
/**
 * The first error code down the cause chain: drizzle wraps the driver's error (DrizzleQueryError),
 * and a page's render may wrap that again, so a killed connection can sit two or three levels down.
 */
function pgCodes(err: unknown): string[] {
  const codes: string[] = [];
  let e = err as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
    e = e.cause as typeof e;
  }
  return codes;
}

/**
 * Input the database refused as malformed (a NUL byte, an out-of-range number, text too long…)
 * that slipped past validation: a client error, never a 500.
 */
export function isBadInput(err: unknown): boolean {
  return pgCodes(err).some((code) => ['22021', '22P02', '22003', '22001', '22007', '22008', '22023', '2201B'].includes(code));
}

/** PostgreSQL connection failures (server down, socket gone) mean "try again later", not a bug. */
export function isUnavailable(err: unknown): boolean {
  return pgCodes(err).some((code) => ['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', 'ETIMEDOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P03', '53300'].includes(code));
}

/**
 * A request body cut off at the size limit while being read (Astro's adapter stops a chunked body
 * at `bodySizeLimit`; undici wraps that in "terminated"/"Body is unusable" errors): a 413 with a
 * clear message, never a 500 nor an empty form. Bodies that announce their size are refused
 * earlier, by lib/http edge.ts.
 */
export function isTooLarge(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    if (e instanceof AppError) return e.kind === 'TOO_LARGE';
    if (e instanceof Error && /body size limit exceeded/i.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function bodyTooLarge(cause?: unknown): AppError {
  return new AppError('TOO_LARGE', 'http.body_too_large', 'The request body is larger than 16 MB. Send less (for example a smaller photo).', { cause });
}

/** For code that reads a body and turns any failure into its own 400: a cut-off body stays a 413. */
export function rethrowIfTooLarge(err: unknown): void {
  if (isTooLarge(err)) throw err instanceof AppError ? err : bodyTooLarge(err);
}

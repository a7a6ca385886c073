/**
 * EPCIS 2.0 REST binding errors: RFC 7807 problem details whose `type` is one of the standard's
 * exception URIs (openapi.json, components/responses).
 */
export type EpcisExceptionType =
  | 'ValidationException' | 'SecurityException' | 'NoSuchResourceException' | 'QueryParameterException'
  | 'CaptureLimitExceededException' | 'UnsupportedMediaTypeException' | 'ImplementationException' | 'NotAcceptableException';

export interface Problem { type: string; title: string; status: number; detail?: string; instance?: string; errors?: unknown[] }

export class EpcisProblem extends Error {
  readonly exception: EpcisExceptionType;
  readonly status: number;
  readonly detail: string;
  readonly errors?: unknown[];

  constructor(exception: EpcisExceptionType, status: number, detail: string, errors?: unknown[]) {
    super(detail);
    this.exception = exception;
    this.status = status;
    this.detail = detail;
    this.errors = errors;
  }

  toJSON(): Problem {
    return { type: `epcisException:${this.exception}`, title: TITLES[this.exception], status: this.status, detail: this.detail, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

const TITLES: Record<EpcisExceptionType, string> = {
  ValidationException: 'The EPCIS document or query is not valid',
  SecurityException: 'Not allowed',
  NoSuchResourceException: 'No such resource',
  QueryParameterException: 'A query parameter is not valid',
  CaptureLimitExceededException: 'Too many events or too large a document for one capture',
  UnsupportedMediaTypeException: 'Send the EPCIS document as application/json or application/ld+json',
  ImplementationException: 'The EPCIS service could not complete the request',
  NotAcceptableException: 'Not acceptable',
};

export const isEpcisProblem = (e: unknown): e is EpcisProblem => e instanceof EpcisProblem;

import type { z } from 'zod';
import { addFieldError, AppError, rethrowIfTooLarge, type FieldErrors } from '../errors/index.ts';

/** Parses input at the edge; failures become one 400 with a short code per field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, code = 'backoffice.invalid'): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    if (Object.hasOwn(fields, key)) continue;
    addFieldError(fields, key, issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined ? 'required'
      : issue.code === 'too_big' ? (issue.origin === 'number' || issue.origin === 'bigint' ? 'too_big' : 'too_long')
      : issue.code === 'too_small' ? (issue.origin === 'string' ? 'required' : 'too_small')
      : issue.code === 'unrecognized_keys' ? 'unknown'
      : 'invalid');
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) addFieldError(fields, k, 'unknown');
  }
  return fail(code, fields);
}

/** Zod 4 leaves `issue.input` out unless asked: look the value up, so a wrong type is "invalid", not "required". */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

export function fail(code: string, fields: FieldErrors): never {
  throw new AppError('INVALID_DATA', code, `Please check: ${Object.keys(fields).join(', ')}.`, { fields });
}

/** Form posts: FormData → plain object (repeated names become arrays, empty strings dropped). */
export function formObject(form: FormData, arrays: readonly string[] = [], keepEmpty: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string') continue;
    if (arrays.includes(key)) {
      const list = (out[key] as string[] | undefined) ?? [];
      for (const part of value.split(/\r?\n|,/).map((s) => s.trim()).filter(Boolean)) list.push(part);
      out[key] = list;
    } else if ((value.trim() !== '' || keepEmpty.includes(key)) && !key.startsWith('_')) {
      out[key] = value;
    }
  }
  return out;
}

/** A JSON request body, or a 400 that says what is wrong with it. */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new AppError('INVALID_DATA', 'http.unsupported_type', 'Send the body as application/json.');
  }
  try {
    return await request.json();
  } catch (error) {
    rethrowIfTooLarge(error);
    throw new AppError('INVALID_DATA', 'http.invalid_json', 'The body is not valid JSON.');
  }
}

/** JSON or a form post (the no-JS pages), as a plain object. */
export async function readBody(request: Request, arrays: readonly string[] = []): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) return readJson(request);
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    try {
      return formObject(await request.formData(), arrays);
    } catch (error) {
      rethrowIfTooLarge(error);
      throw new AppError('INVALID_DATA', 'http.invalid_form', 'The form could not be read.');
    }
  }
  throw new AppError('INVALID_DATA', 'http.unsupported_type', 'Send JSON or a form.');
}

import { isAppError, rethrowIfTooLarge, type AppError, type FieldErrors } from '../errors/index.ts';

/**
 * Form posts of the no-JS back-office pages: runs the action on POST and turns an exposed error
 * (bad input, conflict, not found, rate limit) into something the page shows next to the fields,
 * with the right status. The values typed are returned so the form can be shown again filled in.
 */
export type FormResult<T> =
  | { ok: true; value: T; action: string }
  | { ok: false; status: number; error: AppError; fields: FieldErrors; values: Record<string, string>; action: string };

export async function formAction<T>(request: Request, run: (form: FormData, action: string) => Promise<T>): Promise<FormResult<T> | null> {
  if (request.method !== 'POST') return null;
  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    rethrowIfTooLarge(error);
    form = new FormData();
  }
  const action = String(form.get('_action') ?? '');
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string' && !/password/i.test(k)) values[k] = v;
  try {
    return { ok: true, value: await run(form, action), action };
  } catch (error) {
    if (!isAppError(error) || !error.expose) throw error;
    return { ok: false, status: error.status, error, fields: error.fields ?? {}, values, action };
  }
}

/** An uploaded file field, or undefined when none was chosen. */
export async function fileField(form: FormData, name: string): Promise<{ name: string; data: Buffer } | undefined> {
  const file = form.get(name);
  if (!(file instanceof File) || file.size === 0) return undefined;
  return { name: file.name, data: Buffer.from(await file.arrayBuffer()) };
}

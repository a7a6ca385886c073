import { COUNCIL_RULES } from '../certification/index.ts';
import { DOCUMENT_KINDS } from './programme.table.ts';

/**
 * The no-JS forms' posts turned into the services' input: the council form's member rows
 * (an empty part stays empty, so it is reported as required rather than read as 0) and the
 * dossier form's file fields, one per document kind.
 */
export const COUNCIL_ROWS = COUNCIL_RULES.maxMembers;

export function councilFromForm(form: FormData): Record<string, unknown> {
  const members: Array<Record<string, unknown>> = [];
  for (let i = 0; i < COUNCIL_ROWS; i++) {
    const name = String(form.get(`m${i}.name`) ?? '').trim();
    const parts = (['a', 'b', 'c'] as const).map((p) => String(form.get(`m${i}.${p}`) ?? '').trim());
    if (!name && parts.every((p) => p === '')) continue;
    members.push({ name, a: parts[0] || undefined, b: parts[1] || undefined, c: parts[2] || undefined, isChair: form.get('chair') === String(i) });
  }
  const text = (k: string) => {
    const v = String(form.get(k) ?? '').trim();
    return v === '' ? undefined : v;
  };
  return {
    councilName: text('councilName'), evaluatedOn: text('evaluatedOn'), councilSize: text('councilSize'),
    mandatoryMet: form.get('mandatoryMet') === 'on', notes: text('notes'), members,
  };
}

/** Field errors of the council form keyed by the service ("members.3.a") → the row's input names ("m3.a"). */
export function councilFieldName(key: string): string {
  const m = /^members\.(\d+)\.(\w+)$/.exec(key);
  return m ? `m${m[1]}.${m[2]}` : key;
}

export async function dossierFilesFromForm(form: FormData): Promise<Array<{ kind: string; file: { name: string; data: Buffer } }>> {
  const out: Array<{ kind: string; file: { name: string; data: Buffer } }> = [];
  for (const kind of DOCUMENT_KINDS) {
    for (const file of form.getAll(`doc.${kind}`)) {
      if (file instanceof File && file.size > 0) out.push({ kind, file: { name: file.name, data: Buffer.from(await file.arrayBuffer()) } });
    }
  }
  return out;
}

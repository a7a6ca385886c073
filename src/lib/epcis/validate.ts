import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './schema/EPCIS-JSON-Schema.json' with { type: 'json' };

/**
 * GS1's EPCIS 2.0 JSON Schema (src/lib/epcis/schema, GS1 licence beside it), which also holds the
 * CBV vocabulary (business steps, dispositions, …: bare words or URIs). Compiled once, on first use.
 */
let validator: ValidateFunction | null = null;

function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

export interface SchemaIssue { path: string; message: string }

/** Schema problems of an EPCIS document (EPCISDocument or EPCISQueryDocument); empty when valid. */
export function schemaIssues(document: unknown): SchemaIssue[] {
  const validate = compiled();
  if (validate(document)) return [];
  // anyOf/if-then produce one message per branch: keep the first few distinct ones per place.
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const e of validate.errors as ErrorObject[]) {
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const message = e.keyword === 'enum' ? `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.slice(0, 8).join(', ')}…` : e.message ?? 'is not valid';
    const key = `${e.instancePath}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path: e.instancePath || '/', message });
    if (issues.length >= 20) break;
  }
  return issues.length ? issues : [{ path: '/', message: 'does not match the EPCIS 2.0 schema' }];
}

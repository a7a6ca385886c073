// Stamps: serials, runs, voiding. The provenance page lives in trace.
export { generateStampCode, normalizeStampCode, verifyStampCode, formatStampCode, CODE_LENGTH } from './stamp-code.ts';
export { stampSecret } from './stamp-secret.ts';

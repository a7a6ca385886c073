// OCOP evaluations, star bands and certificates.
export * from './rules.ts';

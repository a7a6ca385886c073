// OCOP evaluations, star bands and certificates.
export * from './rules.ts';
export {
  councilResult, checkCouncil, recordEvaluation, getEvaluation, type EvaluationHook, listEvaluations, issueCertificate, revokeCertificate, revokeCertificateTx, listCertificates, getCertificate,
  listExpiring, queueExpiryNotices, EXPIRY_NOTICE_TOPIC, EXPIRY_NOTICE_THRESHOLDS, type CatalogChangeHook, type CertificateAdminView, type IssueKind,
} from './certification.service.ts';
export { EvaluationSchema, CertificateIssueSchema, RevokeSchema, type EvaluationInput } from './certification.schemas.ts';
export type { EvaluationRow } from './certification.repository.ts';
export { AUTHORITY_LEVELS } from './certification.table.ts';
export { REVOCATION_CODES, isRevocationCode, revocationLabel, revocationText, revocationJson, type RevocationCode } from './revocation.ts';

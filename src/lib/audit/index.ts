// The audit log of office (and sensitive producer) actions: who, what, when, before and after.
export { recordAudit, listAudit, type Actor, type AuditEntry } from './audit.repository.ts';
export { recentAudit } from './audit.service.ts';

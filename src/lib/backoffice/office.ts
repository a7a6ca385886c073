import * as certification from '../certification/index.ts';
import type { Actor } from '../audit/index.ts';
import type { DbOrTx } from '../db/index.ts';
import { notifyCatalogChanged } from '../search/index.ts';

const announce = (tx: DbOrTx, productIds: Iterable<number>) => notifyCatalogChanged(tx, { productIds: [...productIds] });

/** Office actions that change what the public sees, wired to the one catalogue-change announcement. */
export function issueCertificate(actor: Actor, raw: unknown, onIssued?: (tx: DbOrTx, certificate: certification.CertificateAdminView) => Promise<void>, opts: { maxStars?: number } = {}) {
  return certification.issueCertificate(actor, raw, announce, onIssued, opts);
}

export function revokeCertificate(actor: Actor, id: number, raw: unknown) {
  return certification.revokeCertificate(actor, id, raw, announce);
}

/** The same revocation inside the caller's transaction (an inspection's decision). */
export function revokeCertificateTx(tx: DbOrTx, actor: Actor, id: number, reason: { code: certification.RevocationCode; note: string | null }) {
  return certification.revokeCertificateTx(tx, actor, id, reason, announce);
}

import * as certification from '../certification/index.ts';
import type { Actor } from '../audit/index.ts';
import { announceCatalogChange } from './catalog-changed.ts';

/** Office actions that change what the public sees, wired to the one catalogue-change announcement. */
export function issueCertificate(actor: Actor, raw: unknown) {
  return certification.issueCertificate(actor, raw, announceCatalogChange);
}

export function revokeCertificate(actor: Actor, id: number, raw: unknown) {
  return certification.revokeCertificate(actor, id, raw, announceCatalogChange);
}

// Traceability: provenance of stamps and lots, scans, lot events (EPCIS 2.0), GS1 Digital Link.
export { traceStamp, traceLot, provenanceJson, type Provenance, type TraceResult, type TraceEvent, type ScanContext } from './provenance.ts';
export {
  verdictFor, alertFor, isCloneEvidence, MAX_PLAUSIBLE_NETWORKS, MAX_NETWORKS_PER_DAY, MAX_PLAUSIBLE_DAYS, MIN_NETWORKS_FOR_DAYS, type Verdict, type Alert,
} from './verdict.ts';
export { handleTracePage, handleLotPage, matchTracePath, isTraceRequest, type TraceRequest, type TraceReply } from './handler.ts';
export { serveTrace } from './node.ts';
export { renderProvenancePage } from './provenance.template.ts';
export { renderShell, SHELL_CSP, esc } from './page-shell.ts';
export { scanBuffer, flushScans } from './scan-buffer.ts';
export { coarseClient, isPreviewBot, localeFromAcceptLanguage } from './client-info.ts';
export { appendLotEvent, appendCapturedEvent, declareEventError, recordRetailSale, EventInput, CBV_BIZ_STEPS, CBV_DISPOSITIONS } from './events.ts';
export { exportLotEpcis, epcisEvent, epcisContext, lotClassOf, type EpcisLot, type EpcisEventRow } from './epcis.ts';
export { parseDigitalLink, buildDigitalLink, encodeValue, gtinForms, CSET82, type DigitalLink } from './digital-link.ts';
export {
  resolveDigitalLink, resolverDescription, linkset, linksFor, serveDigitalLink, isCompressedDigitalLinkPath, CORS as RESOLVER_CORS, ALLOW as RESOLVER_ALLOW,
  GS1_VOC, LINKSET_CONTEXT_PATH, LINKSET_CONTEXT,
} from './resolver.ts';
export { checkTypedCode } from './typed-code.ts';

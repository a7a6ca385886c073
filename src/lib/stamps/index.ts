// Stamps: serials, runs, the life cycle, print sheets. The provenance page lives in trace.
export { generateStampCode, normalizeStampCode, verifyStampCode, formatStampCode, CODE_LENGTH } from './stamp-code.ts';
export { stampSecret } from './stamp-secret.ts';
export type { SoldPlace } from './stamps.table.ts';
export {
  issueStampRun, voidStampRun, voidStamps, markStampsSold, activateLotStamps, confirmStampPin, hashPin,
  stampUrl, publicOrigin, sampleStampCode, stampOriginUnreachable, PIN_LIMITS, MAX_RUN, type IssueInput, type IssuedRun, type PinOutcome,
} from './stamps.service.ts';
export { renderPdf, renderSvg, LABELS_PER_PAGE, type SheetInput, type SheetLabel } from './stamp-sheet.ts';
export { qrMatrix, qrSvg, qrPath, darkRuns, QUIET_ZONE, type QrMatrix } from './qr.ts';
export {
  listRuns, getRun, runSheet, inspectCodes, liveLotStamps, suspectStamps, scanReport,
  type RunSummary, type RunStamp, type SheetFormat, type InspectedCode, type Thresholds,
} from './runs.service.ts';
export type { SuspectStampRow, ScanPlaceRow, LotScanRow } from './scans.repository.ts';

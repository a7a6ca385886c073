// EPCIS 2.0 interface for other traceability systems: capture (POST /epcis/capture) and query (GET /epcis/events).
export { captureDocument, captureJob, captureJobs, contentEventId, cbvWord, CAPTURE_LIMIT, CAPTURE_FILE_SIZE_LIMIT, type CaptureErrorBehaviour } from './capture.ts';
export { queryEvents, DEFAULT_PER_PAGE, MAX_PER_PAGE } from './query.ts';
export { tradeItem, itemKeys, type TradeItem } from './epc.ts';
export { schemaIssues, type SchemaIssue } from './validate.ts';
export { EpcisProblem, isEpcisProblem, type Problem } from './problem.ts';
export {
  epcisJson, options as epcisOptions, methodNotAllowed as epcisMethodNotAllowed, problemResponse, epcisCaller, requireProducer as requireEpcisProducer,
  readDocument, captureBehaviour, EPCIS_HEADERS, CAPTURE_HEADERS,
} from './web.ts';

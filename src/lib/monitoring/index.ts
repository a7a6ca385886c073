// Monitoring after certification: inspections and their decisions, lot recalls, reports from the public.
export { recallLotByOffice, recallOwnLot, recallLotsTx, recalledLots, lotsForRecall, LOT_RECALLED_TOPIC, type LotRecalledMessage, type RecallResult } from './recall.service.ts';
export { recordInspection, decideInspection, listInspections, getInspection, type InspectionView } from './inspections.service.ts';
export {
  submitReport, reportTarget, listReportsForOffice, listReportsForProducer, setReportStatus, reportPhoto, isPrivateMediaKey, REPORT_RECEIVED_TOPIC,
  type ReportReceivedMessage, type ReportClient, type ReportView,
} from './reports.service.ts';
export { INSPECTION_OUTCOMES, INSPECTION_DECISIONS, REPORT_CATEGORIES, REPORT_STATUSES } from './monitoring.table.ts';

// The OCOP office's programme: dossiers, commune assessments, council scoring, plans and progress, periodic reports.
export {
  fileDossier, addDocuments, resubmitDossier, listOwnDossiers, getOwnDossier, listDossiers, getDossier, decideDossier,
  recordCommuneAssessment, scoreDossier, certifyDossier, recordCentralRefusal, missingDocuments, isDossierStatus, roundName, REQUIRED_DOCUMENTS, RENEWAL_WINDOW_DAYS,
  type DossierView, type DossierFiles,
} from './dossiers.service.ts';
export {
  figures, planProgress, programme, recordPlan, recordProgrammeEvent, pointsOfSaleActual, TARGETS,
  type Figures, type PlanProgress, type Programme, type TargetKey, type Area,
} from './programme.service.ts';
export { parsePeriod, currentPeriods, report, reportWorkbook, summaryRows, type Period, type Report } from './reports.service.ts';
export { councilFromForm, councilFieldName, dossierFilesFromForm, COUNCIL_ROWS } from './forms.ts';
export { DOSSIER_KINDS, DOSSIER_STATUSES, DOCUMENT_KINDS, type DossierStatus, type DocumentKind } from './programme.table.ts';

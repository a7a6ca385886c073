// The back office: a producer's own products, lots and events; the office's producer register.
export {
  listOwnProducts, getOwnProduct, createProduct, updateOwnProduct, addProductPhoto, changeProductPhoto, slugify, MAX_IMAGES,
  type OwnProduct,
} from './products.service.ts';
export {
  listEditableCombos, comboCandidates, comboPackingPoints, POINT_ASSEMBLER_PREFIX, getEditableCombo, saveCombo, comboFormAction, comboInputFromForm, ComboInputSchema, MAX_COMPONENTS, type ComboEditor, type EditableCombo,
} from './combos.service.ts';
export { listProductsForApproval, decideProduct, type ProductForApproval } from './approvals.service.ts';
export { listOwnLots, getOwnLot, createLot, addLotEvent } from './lots.service.ts';
export { listProducers, getProducerForOffice, createProducer, setProducerStatus, ProducerCreateSchema } from './producers.service.ts';
export { storeProductImage, storeEvidence, shareImage, shareImageUrl, SHARE_IMAGE, MAX_IMAGE_BYTES, MAX_DOCUMENT_BYTES, IMAGE_MAX_SIDE, type UploadedFile } from './media.service.ts';
export { BIZ_STEPS, groupOfSubgroup } from './backoffice.schemas.ts';
export { validate, fail, formObject, readJson, readBody } from './validate.ts';
export { dashboardOverview } from './overview.service.ts';
export { issueCertificate, revokeCertificate, revokeCertificateTx } from './office.ts';
export { formAction, fileField, type FormResult } from './form-action.ts';
export {
  issueStampsForLot, lotStampRuns, ownStampRuns, ownStampRun, ownRunSheet, voidOwnRun, voidOwnStamps, previewVoidStamps,
  stampWarnings, stampScanReport, countFromForm, sheetLinks, MAX_STAMPS_PER_RUN, lotStampBudget, ISSUE_LIMIT, type StampWarningReason,
} from './stamps.service.ts';
export { lotStampsAction, doneQuery, type LotStampsOutcome } from './stamps.actions.ts';
export { getOwnProfile, updateOwnProfile, patchOwnProfile, ProfileSchema, type Profile } from './profile.service.ts';
export { comboCollectionRoutes, comboItemRoutes, type ComboJson } from './combos.api.ts';

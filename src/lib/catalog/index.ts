// The catalogue: producers, products, combos, lots and the reference data they use.
export * from './catalog.types.ts';
export { getProduct, getProducer, getCombo, listCombos, homeSections, toCard, isSlug } from './catalog.service.ts';
export { selectCards, CARD_COLUMNS, CURRENT_CERT_JOIN, VISIBLE, COMBO_ASSEMBLER_ID, COMBO_ASSEMBLER_JSON, type ProductRow } from './catalog.repository.ts';
export { SELLABLE, SALE_BLOCK, PAGE_VISIBLE, SALE_BLOCKS, isSaleBlock, saleBlockOf } from './sellability.ts';
export { gs1CheckDigit, isValidGtin, toGtin14, makeGtin13 } from './gtin.ts';
export { certificateState, showsBadge, todayInVietnam, vietnamLocalTime, addDays, EXPIRY_NOTICE_DAYS } from './certificate-state.ts';
export {
  groups, provinces, groupLabel, subgroupLabel, provinceLabel, findProvince, provinceForFormerName, fold,
  isGroup, isSubgroup, isProvince, type GroupRef, type ProvinceRef,
} from './reference.ts';
export { LOW_STOCK, MAX_PER_ADD, STOCK_SHOWN_UP_TO, shownStock } from './availability.ts';
export { composeComboImage, tileLayout, COMPOSITE_SIZE } from './combo-image.ts';
export { cardImage, cardImageRendition, renditionUrl, CARD_SIZES, RENDITION_WIDTHS } from './card-image.ts';
export { selectProducerContacts, selectNoticeSubject, selectLowStock, type ProducerContacts, type NoticeSubject, type LowStockProduct } from './contacts.repository.ts';
export {
  storefrontHome, producerIndex, provincePage, productNeighbours, sitemapEntries, giftSeason, regionOf, isProducerType, REGIONS,
  type Region, type Season, type StorefrontHome, type ProducerIndex, type ProducerListItem, type SitemapEntry,
} from './storefront.service.ts';
export { producerImageSvg } from './producer-image.ts';

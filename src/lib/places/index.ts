// Points of sale (điểm bán OCOP): the public directory, the office's register, counter staff and counter sales.
export {
  listPointsOfSale, getPointOfSale, placesForProduct, pointOfSaleJson, listForOffice, getForOffice, createPointOfSale,
  updatePointOfSale, setStockedProducts, createStaffAccount, staffPlace, mapsUrl, isPointOfSaleKind, localizedName,
  type PointOfSaleView, type ListQuery,
} from './places.service.ts';
export { recordCounterSale, recentCounterSales, refused, refusalMessage, REFUSALS, type Refusal, type CounterSale } from './counter-sales.service.ts';
export { POINT_OF_SALE_KINDS, type PointOfSaleKind } from './places.table.ts';
export type { StockedProductRow, CounterSaleRow } from './places.repository.ts';
export { countOpenedPointsOfSale } from './places.repository.ts';
export { staffComboEditor, staffShipper } from './point-boxes.ts';

import { gs1CheckDigit } from '../catalog/index.ts';
import { parseDigitalLink } from '../trace/index.ts';

/**
 * Trade-item identifiers in the two forms EPCIS 2.0 allows (GS1 Tag Data Standard URNs and GS1
 * Digital Link URIs), reduced to one key: "<gtin14>/10/<lot>" for a lot (an EPC class),
 * "<gtin14>/21/<serial>" for one item (an SGTIN), "<gtin14>" for every item of a GTIN. Anything
 * else (SSCC, SGLN, a partner's own URIs) is not a trade item and is left as it is.
 */
export interface TradeItem { gtin: string; lot?: string; serial?: string }

function gtinFromEpc(companyPrefix: string, indicatorAndItem: string): string | null {
  if (!/^\d{6,12}$/.test(companyPrefix) || !/^\d+$/.test(indicatorAndItem) || companyPrefix.length + indicatorAndItem.length !== 13) return null;
  const body = indicatorAndItem[0]! + companyPrefix + indicatorAndItem.slice(1);
  return body + gs1CheckDigit(body);
}

function decode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** The trade item a URI names, or null when it names something else (or is malformed). */
export function tradeItem(uri: string): TradeItem | null {
  const urn = /^urn:epc:(id:sgtin|class:lgtin|idpat:sgtin):(\d+)\.(\d+)\.(.+)$/.exec(uri);
  if (urn) {
    const gtin = gtinFromEpc(urn[2]!, urn[3]!);
    const value = decode(urn[4]!);
    if (!gtin || value === null) return null;
    if (urn[1] === 'id:sgtin') return { gtin, serial: value };
    if (urn[1] === 'class:lgtin') return { gtin, lot: value };
    return value === '*' ? { gtin } : null;
  }
  const at = uri.indexOf('/01/');
  if (/^https?:\/\//.test(uri) && at > 0) {
    const q = uri.search(/[?#]/);
    const parsed = parseDigitalLink(uri.slice(at, q === -1 ? undefined : q));
    if (!parsed.ok) return null;
    return { gtin: parsed.link.gtin, ...(parsed.link.lot !== undefined ? { lot: parsed.link.lot } : {}), ...(parsed.link.serial !== undefined ? { serial: parsed.link.serial } : {}) };
  }
  return null;
}

/** Is this URI a trade-item identifier at all (whether or not it parses)? Used to refuse malformed ones. */
export function looksLikeTradeItem(uri: string): boolean {
  return /^urn:epc:(id:sgtin|class:lgtin|idpat:sgtin):/.test(uri) || (/^https?:\/\//.test(uri) && uri.includes('/01/'));
}

/** The match keys of an item: an item with lot and serial is known by both. */
export function itemKeys(item: TradeItem): string[] {
  const keys: string[] = [];
  if (item.serial !== undefined) keys.push(`${item.gtin}/21/${item.serial}`);
  if (item.lot !== undefined) keys.push(`${item.gtin}/10/${item.lot}`);
  if (!keys.length) keys.push(item.gtin);
  return keys;
}

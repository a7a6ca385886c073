import { db as database } from '../db/index.ts';
import { normalizeStampCode } from '../stamps/index.ts';
import { epcisContext, epcisEvent, gtinForms, type EpcisEventRow, type EpcisLot } from '../trace/index.ts';
import { toGtin14 } from '../catalog/index.ts';
import { cbvWord } from './capture.ts';
import { itemKeys, looksLikeTradeItem, tradeItem } from './epc.ts';
import { selectEvents, selectLotIds, selectStamps, type EventFilter } from './epcis.repository.ts';
import { EpcisProblem } from './problem.ts';

/**
 * EPCIS 2.0 query (REST binding, GET /events): EQ_bizStep, eventType, GE_/LT_eventTime and
 * MATCH_epc / MATCH_anyEPC / MATCH_epcClass with lot, serial and GTIN identifiers in GS1 Digital
 * Link or urn:epc form, paginated by perPage and an opaque nextPageToken. Anonymous callers see
 * public events (released or recalled lots of non-draft products); a producer also sees their own.
 *
 * Identifier matching: an event matches when it names the identifier (captured events keep every
 * identifier they name), or when it is an event of the lot the identifier belongs to — a lot's
 * events (typed in the dashboard or captured for the whole lot) describe every item of it, so a
 * stamp's serial finds the lot-wide events of its lot, but not events naming other serials.
 */
const SUPPORTED = new Set(['EQ_bizStep', 'eventType', 'GE_eventTime', 'LT_eventTime', 'MATCH_epc', 'MATCH_anyEPC', 'MATCH_epcClass', 'perPage', 'nextPageToken']);
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 500;

const bad = (detail: string) => new EpcisProblem('QueryParameterException', 400, detail);

/** Every value of a parameter: repeated and/or separated by `|` or commas (the REST binding's list forms). */
function values(params: URLSearchParams, name: string): string[] | null {
  const all = params.getAll(name).flatMap((v) => v.split(/[|,]/)).map((v) => v.trim()).filter(Boolean);
  return all.length ? all : null;
}

function time(params: URLSearchParams, name: string): Date | null {
  const v = params.get(name);
  if (v === null) return null;
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(d.getTime())) throw bad(`${name} must be an ISO 8601 date-time, e.g. 2026-11-01T00:00:00+07:00`);
  return d;
}

async function identifierCondition(uris: string[]): Promise<NonNullable<EventFilter['epc']>[number]> {
  const db = await database();
  const keys: string[] = [];
  const lotItems: Array<{ gtins: string[]; lot: string | null }> = [];
  const lotWideItems: typeof lotItems = [];
  const serials: Array<{ gtin: string; code: string }> = [];
  for (const uri of uris) {
    if (!looksLikeTradeItem(uri)) {
      keys.push(uri);
      continue;
    }
    const item = tradeItem(uri);
    if (!item) throw bad(`Not a valid trade item identifier: ${uri}`);
    keys.push(...itemKeys(item));
    if (item.serial !== undefined) {
      serials.push({ gtin: item.gtin, code: normalizeStampCode(item.serial) ?? item.serial });
      if (item.lot !== undefined) lotWideItems.push({ gtins: gtinForms(item.gtin), lot: item.lot });
    } else lotItems.push({ gtins: gtinForms(item.gtin), lot: item.lot ?? null });
  }
  const stampLots = (await selectStamps(db, serials.map((s) => s.code)))
    .filter((s) => s.gtin && serials.some((x) => x.code === s.code && x.gtin === toGtin14(s.gtin!)))
    .map((s) => Number(s.lot_id));
  return { keys, lotIds: await selectLotIds(db, lotItems), lotWideIds: [...stampLots, ...await selectLotIds(db, lotWideItems)] };
}

interface Token { t: string; i: number }

function readToken(raw: string | null): EventFilter['after'] {
  if (raw === null) return null;
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Token;
    if (typeof t.t === 'string' && Number.isSafeInteger(t.i) && !Number.isNaN(new Date(t.t).getTime())) return { time: t.t, id: t.i };
  } catch {
    // fall through
  }
  throw bad('nextPageToken is not one this server gave out.');
}

export interface QueryResult { document: Record<string, unknown>; nextPageToken: string | null }

export async function queryEvents(params: URLSearchParams, viewer: number | null, origin: string): Promise<QueryResult> {
  for (const name of params.keys()) if (!SUPPORTED.has(name)) throw bad(`Unsupported query parameter ${name}; supported: ${[...SUPPORTED].join(', ')}`);
  const perPageRaw = params.get('perPage');
  const perPage = perPageRaw === null ? DEFAULT_PER_PAGE : Number(perPageRaw);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) throw bad(`perPage must be a whole number from 1 to ${MAX_PER_PAGE}`);
  const epc: NonNullable<EventFilter['epc']> = [];
  for (const name of ['MATCH_epc', 'MATCH_anyEPC', 'MATCH_epcClass']) {
    const uris = values(params, name);
    if (uris) epc.push(await identifierCondition(uris));
  }
  const rows = await selectEvents(await database(), {
    viewer,
    bizSteps: values(params, 'EQ_bizStep')?.map((s) => cbvWord(s, 'bizstep')!) ?? null,
    eventTypes: values(params, 'eventType'),
    geEventTime: time(params, 'GE_eventTime'),
    ltEventTime: time(params, 'LT_eventTime'),
    epc: epc.length ? epc : null,
    after: readToken(params.get('nextPageToken')),
    limit: perPage + 1,
  });
  const page = rows.slice(0, perPage);
  const last = page.at(-1);
  const nextPageToken = rows.length > perPage && last ? Buffer.from(JSON.stringify({ t: last.occurred_key, i: Number(last.id) })).toString('base64url') : null;
  const eventList = page.map((r) => epcisEvent(r as unknown as EpcisEventRow, { ...(r as unknown as EpcisLot), id: Number(r.lot_id), code: r.lot_code as string, quantity: Number(r.lot_quantity) }, origin));
  return {
    document: {
      '@context': epcisContext(origin),
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList } } },
    },
    nextPageToken,
  };
}

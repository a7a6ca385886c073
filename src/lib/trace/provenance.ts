import { certificateState, provinceLabel, saleBlockOf, showsBadge, todayInVietnam, type CertificateState } from '../catalog/index.ts';
import type { EvidenceDocument } from '../catalog/lots.table.ts';
import { database, type Sql } from '../db/index.ts';
import { revocationJson } from '../certification/index.ts';
import { HeldUnder, pageGeneration } from '../db/generation.ts';
import { sharedRead } from '../db/shared-read.ts';
import type { Locale } from '../i18n/index.ts';
import { normalizeStampCode, stampSecret, verifyStampCode, type SoldPlace } from '../stamps/index.ts';
import { selectProvenanceByLot, selectStampsByCodes, type EventRow, type LotPartRow, type StampRow } from './trace.repository.ts';
import { renderLotSections, standingLines, type LotSections } from './provenance.template.ts';
import { scanBuffer } from './scan-buffer.ts';
import { alertFor, verdictFor, type Alert, type Verdict, type WarningReason } from './verdict.ts';

/** One event of a lot's timeline (EPCIS 2.0 model, as the page and GET /api/trace/<code> show it). */
export interface TraceEvent {
  id: number;
  type: string;
  action: string;
  bizStep: string;
  disposition: string | null;
  occurredAt: string;
  timeZoneOffset: string;
  place: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  coordinates: { lat: number; lng: number } | null;
  actor: string | null;
  description: { vi: string | null; en: string | null };
  inputs: Array<{ quantity: number; uom?: string; lotId?: number }>;
  outputs: Array<{ quantity: number; uom?: string; lotId?: number }>;
  evidence: EvidenceDocument[];
  /** Set on an error declaration: the event it declares wrong, and why. */
  corrects: { eventId: number; reason: string | null } | null;
  /** Set on an event that a later error declaration declared wrong. */
  declaredWrong: { reason: string | null; at: string } | null;
}

export interface Provenance {
  kind: 'stamp' | 'lot';
  code: string | null;
  verdict: Verdict | null;
  reason: WarningReason;
  alert: Alert;
  scans: { count: number; days: number; firstAt: string | null; lastAt: string | null };
  stamp: { status: string; soldAt: string | null; soldPlace: SoldPlace | null; voidedAt: string | null; pin: 'none' | 'available' | 'used'; pinUsedAt: string | null } | null;
  product: {
    slug: string; name: { vi: string; en: string }; gtin: string | null; standards: string[]; story: { vi: string; en: string };
    image: { url: string; width: number; height: number; alt: { vi: string; en: string } } | null; onSale: boolean;
  };
  producer: {
    slug: string; name: string; type: string; province: { code: string; vi: string; en: string }; commune: string | null;
    addressLine: string | null; historicalAddress: string | null; phone: string | null;
    /** Suspended by the OCOP office: its stamps stay genuine, its products cannot be sold. */
    status: string; suspendedAt: string | null; suspensionReason: string | null;
  };
  certificate: {
    number: string; stars: number; status: CertificateState; issuedOn: string; validUntil: string; revokedAt: string | null;
    revocationReason: string | null; revocationCode: string | null; authority: string; decisionNumber: string; showsBadge: boolean;
  } | null;
  lot: {
    id: number; code: string; producedOn: string; bestBefore: string | null; quantity: number;
    materialArea: { vi: string | null; en: string | null }; growingAreaCode: string | null; harvestedOn: string | null;
    status: string; recallReason: string | null; recalledAt: string | null; documents: EvidenceDocument[];
  };
  events: TraceEvent[];
}

/** What depends only on the lot: kept between scans of its stamps (see `lotView`). */
export type LotView = Pick<Provenance, 'alert' | 'product' | 'producer' | 'certificate' | 'lot' | 'events'>;

export type TraceResult =
  | { found: true; provenance: Provenance; /** The lot's rendered sections in `locale` (kept with the lot). */ sections(locale: Locale): LotSections }
  | { found: false; code: string | null; verdict: 'unknown' };

export interface ScanContext {
  network: string | null;
  client: string | null;
  language: string | null;
  source: 'qr' | 'typed' | 'digital_link';
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * The provenance of a stamp. A code that fails its keyed check is answered "unknown" without a
 * query. With `record`, this look-up counts as a scan (buffered; see scan-buffer.ts) and the
 * verdict already includes it.
 *
 * One small statement reads the stamp (its state and counters change with every scan) and the
 * change generation, shared by the scans waiting at that moment (lib/db sharedRead); the lot's part comes from memory when held under that generation,
 * else from a second statement.
 */
/** Scans arriving together read their stamps in one statement, started after the last of them arrived. */
const readStamps = sharedRead<string, Map<string, StampRow>>('trace.stamps', async (codes) => selectStampsByCodes((await database()).sql, [...new Set(codes)]));

export async function traceStamp(input: string, record?: ScanContext): Promise<TraceResult> {
  const code = normalizeStampCode(input);
  if (!code || !verifyStampCode(code, stampSecret())) return { found: false, code, verdict: 'unknown' };
  const { sql } = await database();
  const startedAt = Date.now();
  const row = (await readStamps(code)).get(code) ?? null;
  if (!row) return { found: false, code, verdict: 'unknown' };
  pageGeneration.observe(row.generation);
  const lot = await heldLot(sql, row.lot_id, row.generation, startedAt);
  if (!lot) return { found: false, code, verdict: 'unknown' };

  const buffer = scanBuffer();
  const now = new Date();
  const pending = buffer.pendingFor(row.stamp_id);
  const lastDay = row.last_scanned_at ? todayInVietnam(new Date(row.last_scanned_at)) : null;
  const days = new Set(pending?.days ?? []);
  if (record) days.add(todayInVietnam(now));
  const newDays = [...days].filter((d) => lastDay === null || d > lastDay).length;
  const scans = {
    count: row.scan_count + (pending?.n ?? 0) + (record ? 1 : 0),
    days: row.scan_days + newDays,
    firstAt: iso(row.first_scanned_at ?? pending?.first ?? (record ? now : null)),
    lastAt: record ? now.toISOString() : iso(pending?.last ?? row.last_scanned_at),
  };
  const { verdict, reason } = verdictFor({ status: row.stamp_status, runVoided: row.run_voided_at !== null, scanDays: scans.days, networks: row.scan_networks, peakDayNetworks: row.scan_peak_networks });
  if (record) buffer.record({ stampId: row.stamp_id, at: now, verdict, network: record.network, client: record.client, language: record.language, source: record.source });
  return {
    found: true,
    provenance: { kind: 'stamp', code: row.code, verdict, reason, scans, stamp: stampView(row), ...lot.view },
    sections: (locale) => (lot.sections[locale] ??= renderLotSections(lot.view, locale)),
  };
}

/** A lot's provenance without a stamp (GS1 Digital Link /01/<gtin>/10/<lot>). */
export async function traceLot(lotId: number): Promise<Provenance | null> {
  const { sql } = await database();
  const row = await selectProvenanceByLot(sql, lotId);
  return row ? { kind: 'lot', code: null, verdict: null, reason: null, scans: { count: 0, days: 0, firstAt: null, lastAt: null }, stamp: null, ...lotView(row) } : null;
}

// ---- the lots held between scans --------------------------------------------------------------

interface HeldLot {
  view: LotView;
  sections: Partial<Record<Locale, LotSections>>;
}

/** Lots between scans; certificate states follow the calendar ("expiring", "expired"): re-read at least every minute. */
const held = new HeldUnder<number, HeldLot>(pageGeneration, 5_000, 60_000);

async function heldLot(sql: Sql, lotId: number, generation: string, startedAt: number): Promise<HeldLot | null> {
  const kept = held.get(lotId, generation);
  if (kept) return kept;
  const row = await selectProvenanceByLot(sql, lotId);
  if (!row) return null;
  const entry: HeldLot = { view: lotView(row), sections: {} };
  held.keep(lotId, entry, generation, startedAt);
  return entry;
}

function stampView(row: StampRow): Provenance['stamp'] {
  return {
    status: row.stamp_status, soldAt: iso(row.sold_at), soldPlace: row.sold_place ?? null, voidedAt: iso(row.voided_at ?? row.run_voided_at),
    pin: !row.has_pin ? 'none' : row.pin_used_at ? 'used' : 'available', pinUsedAt: iso(row.pin_used_at),
  };
}

function lotView(row: LotPartRow): LotView {
  const certState = row.cert_status && row.cert_valid_until ? certificateState({ status: row.cert_status, validUntil: row.cert_valid_until }) : null;
  const image = row.images[0];
  return {
    alert: alertFor(row.lot_status, certState, row.producer_status, row.recalled_at),
    product: {
      slug: row.slug, name: { vi: row.name_vi, en: row.name_en }, gtin: row.gtin, standards: row.standards,
      story: { vi: row.story_vi, en: row.story_en },
      image: image ? { url: image.url, width: image.width, height: image.height, alt: { vi: image.altVi, en: image.altEn } } : null,
      onSale: saleBlockOf({ productStatus: row.product_status, approval: row.product_approval, producerStatus: row.producer_status, certificateStatus: row.cert_status, hasSellableLot: row.has_sellable_lot }) === null,
    },
    producer: {
      slug: row.producer_slug, name: row.producer_name, type: row.producer_type,
      province: provinceLabel(row.province_code),
      commune: row.commune, addressLine: row.address_line, historicalAddress: row.historical_address, phone: row.producer_phone,
      status: row.producer_status, suspendedAt: iso(row.producer_suspended_at), suspensionReason: row.producer_suspension_reason,
    },
    certificate: certState && row.cert_number
      ? {
          number: row.cert_number, stars: row.cert_stars!, status: certState, issuedOn: row.cert_issued_on!, validUntil: row.cert_valid_until!,
          revokedAt: iso(row.cert_revoked_at), revocationReason: row.cert_revocation_reason, revocationCode: row.cert_revocation_code, authority: row.cert_authority!,
          decisionNumber: row.cert_decision!, showsBadge: showsBadge(certState, row.cert_stars!),
        }
      : null,
    lot: {
      id: row.lot_id, code: row.lot_code, producedOn: row.produced_on, bestBefore: row.best_before, quantity: row.quantity,
      materialArea: { vi: row.material_area_vi, en: row.material_area_en }, growingAreaCode: row.growing_area_code,
      harvestedOn: row.harvested_on, status: row.recalled_at !== null ? 'recalled' : row.lot_status, recallReason: row.recall_reason,
      recalledAt: iso(row.recalled_at), documents: row.documents,
    },
    events: toEvents(row.events ?? []),
  };
}

export function toEvents(rows: EventRow[]): TraceEvent[] {
  const declarations = new Map(rows.filter((e) => e.corrects_event_id !== null).map((e) => [Number(e.corrects_event_id), e]));
  return rows.map((e) => {
    const wrong = declarations.get(Number(e.id));
    return {
      id: Number(e.id), type: e.event_type, action: e.action, bizStep: e.biz_step, disposition: e.disposition,
      occurredAt: new Date(e.occurred_at).toISOString(), timeZoneOffset: e.time_zone_offset, place: e.place_name,
      readPoint: e.read_point, bizLocation: e.biz_location,
      coordinates: e.latitude !== null && e.longitude !== null ? { lat: e.latitude, lng: e.longitude } : null,
      actor: e.actor, description: { vi: e.description_vi, en: e.description_en },
      inputs: e.inputs ?? [], outputs: e.outputs ?? [], evidence: e.evidence ?? [],
      corrects: e.corrects_event_id !== null ? { eventId: Number(e.corrects_event_id), reason: e.error_reason } : null,
      declaredWrong: wrong ? { reason: wrong.error_reason, at: new Date(wrong.recorded_at).toISOString() } : null,
    };
  });
}

/** The JSON of GET /api/trace/<code> (DESIGN.md §6). */
export function provenanceJson(p: Provenance, origin: string) {
  return {
    verdict: p.verdict,
    reason: p.reason,
    alert: p.alert,
    /**
     * The product's standing beside the stamp's verdict, said once: the stamp may be genuine while
     * the certificate is revoked or the producer suspended (when and why, in both languages).
     */
    standing: {
      ocopCertified: p.certificate?.showsBadge ?? false,
      producerSuspended: p.producer.status === 'suspended',
      onSale: p.product.onSale,
      since: p.alert === 'certificate_revoked' ? p.certificate?.revokedAt ?? null : p.alert === 'producer_suspended' ? p.producer.suspendedAt : null,
      reason: p.alert === 'certificate_revoked' ? p.certificate?.revocationReason ?? null : p.alert === 'producer_suspended' ? p.producer.suspensionReason : null,
      /** Why a certificate was revoked: its code, the label in both languages and the office's note (Vietnamese). */
      revocation: p.alert === 'certificate_revoked' && p.certificate ? revocationJson(p.certificate.revocationCode, p.certificate.revocationReason) : null,
      message: { vi: standingLines(p, 'vi'), en: standingLines(p, 'en') },
    },
    /** A recalled lot (by the office or the producer): shown first on the page (issue 14 item 6). */
    recall: p.alert === 'recall' ? { at: p.lot.recalledAt, reason: p.lot.recallReason } : null,
    code: p.code,
    url: p.code ? `${origin}/t/${p.code}` : null,
    stamp: p.stamp,
    product: { ...p.product, url: `${origin}/products/${p.product.slug}` },
    producer: { ...p.producer, url: `${origin}/producers/${p.producer.slug}` },
    lot: p.lot,
    certificate: p.certificate,
    events: p.events,
    scans: { count: p.scans.count, firstAt: p.scans.firstAt, days: p.scans.days, lastAt: p.scans.lastAt },
  };
}

import { groupLabel, isProvince, provinceLabel, todayInVietnam } from '../catalog/index.ts';
import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { createT, type Locale } from '../i18n/index.ts';
import { figures, planProgress, TARGETS, type Figures, type PlanProgress } from './programme.service.ts';

/**
 * Periodic reports of the OCOP office, with the seed plans' deadlines: monthly (before the 20th),
 * quarterly (before the 20th of the quarter's last month), yearly (before 10 December). A report
 * covers its calendar period up to its end (or today, while it runs), with the plans' progress
 * from 1 January; its figures come from `figures`, the dashboard's own function.
 */
export interface Period {
  key: string;
  kind: 'month' | 'quarter' | 'year';
  year: number;
  from: string;
  to: string;
  /** The filing deadline. */
  due: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function parsePeriod(key: string): Period | null {
  let m = /^(20\d\d)$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    return { key, kind: 'year', year: y, from: `${y}-01-01`, to: `${y}-12-31`, due: `${y}-12-10` };
  }
  m = /^(20\d\d)-Q([1-4])$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    const last = Number(m[2]) * 3;
    return { key, kind: 'quarter', year: y, from: `${y}-${pad(last - 2)}-01`, to: `${y}-${pad(last)}-${lastDay(y, last)}`, due: `${y}-${pad(last)}-20` };
  }
  m = /^(20\d\d)-(0[1-9]|1[0-2])$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return { key, kind: 'month', year: y, from: `${y}-${pad(mo)}-01`, to: `${y}-${pad(mo)}-${lastDay(y, mo)}`, due: `${y}-${pad(mo)}-20` };
  }
  return null;
}

/** The current month's, quarter's and year's periods (the reports the office files next). */
export function currentPeriods(today = todayInVietnam()): Period[] {
  const y = today.slice(0, 4);
  const month = Number(today.slice(5, 7));
  return [`${y}-${today.slice(5, 7)}`, `${y}-Q${Math.ceil(month / 3)}`, y].map((k) => parsePeriod(k)!);
}

export interface Report {
  period: Period;
  province: { code: string; vi: string; en: string } | null;
  figures: Figures;
  plans: PlanProgress[];
}

export async function report(key: string, province?: string | null): Promise<Report> {
  const period = parsePeriod(key);
  if (!period) throw new AppError('NOT_FOUND', 'programme.no_such_period', 'Periods look like 2026-11, 2026-Q4 or 2026.');
  if (province && !isProvince(province)) throw new AppError('INVALID_DATA', 'programme.invalid', 'Unknown province.', { fields: { province: 'invalid' } });
  const db = await getDb();
  const [f, plans] = await Promise.all([figures(db, period.from, period.to, { province: province ?? null }), planProgress(db, period.year, period.to, province ?? undefined)]);
  return { period, province: province ? provinceLabel(province) : null, figures: f, plans };
}

/** The report's rows as label → value, in the order of the printable page and of the XLSX summary sheet. */
export function summaryRows(r: Report, locale: Locale): Array<[string, number | string | null]> {
  const t = createT(locale);
  const c = r.figures.certificates;
  const d = r.figures.dossiers;
  return [
    ...TARGETS.map((k) => [t(`office.target.${k}`), r.figures.actuals[k]] as [string, number | null]),
    [t('office.fig.issued'), c.issued],
    ...(['3', '4', '5'] as const).map((s) => [t('office.fig.stars', { stars: s }), c.byStars[s] ?? 0] as [string, number]),
    [t('office.fig.downgrades'), c.downgrades],
    [t('office.fig.revoked'), c.revoked],
    [t('office.fig.valid'), c.valid],
    [t('office.fig.expiring'), c.expiring],
    [t('office.fig.lapsed'), c.lapsed],
    [t('office.fig.dossiersSubmitted'), d.submitted],
    [t('office.fig.dossiersReturned'), d.returned],
    [t('office.fig.dossiersAccepted'), d.accepted],
    [t('office.fig.dossiersRejected'), d.rejected],
    [t('office.fig.dossiersCertified'), d.certified],
    [t('office.fig.trainings'), r.figures.trainings],
  ];
}

/** The report as an XLSX workbook (exceljs): summary, plans against targets, certificates by group, province and commune. */
export async function reportWorkbook(r: Report, locale: Locale): Promise<Buffer> {
  const t = createT(locale);
  // Loaded on first use: exceljs takes ~0.2 s to load, a tenth of the site's start (issue 18).
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Chợ OCOP';
  wb.created = new Date();
  const title = t(`office.report.title.${r.period.kind}`, { period: r.period.key });
  const summary = wb.addWorksheet(t('office.xlsx.summary'));
  summary.columns = [{ width: 52 }, { width: 16 }];
  summary.addRow([title]).font = { bold: true, size: 14 };
  summary.addRow([t('office.report.area'), r.province ? r.province[locale] : t('office.report.allProvinces')]);
  summary.addRow([t('office.report.range'), `${r.period.from} – ${r.period.to}`]);
  summary.addRow([t('office.report.due'), r.period.due]);
  summary.addRow([t('office.report.asOf'), r.figures.asOf]);
  summary.addRow([]);
  summary.addRow([t('office.xlsx.indicator'), t('office.xlsx.value')]).font = { bold: true };
  for (const [label, value] of summaryRows(r, locale)) summary.addRow([label, value ?? t('office.notTracked')]);

  const plans = wb.addWorksheet(t('office.xlsx.plans'));
  plans.columns = [{ width: 40 }, { width: 22 }, ...TARGETS.flatMap(() => [{ width: 12 }, { width: 12 }])];
  plans.addRow([t('office.plan.area'), t('office.plan.province'), ...TARGETS.flatMap((k) => [`${t(`office.target.${k}`)} – ${t('office.plan.target')}`, `${t(`office.target.${k}`)} – ${t('office.plan.actual')}`])]).font = { bold: true };
  for (const p of r.plans) plans.addRow([p.areaName, p.province[locale], ...TARGETS.flatMap((k) => [p.targets[k], p.actuals[k] ?? t('office.notTracked')])]);

  const breakdown = wb.addWorksheet(t('office.xlsx.breakdown'));
  breakdown.columns = [{ width: 22 }, { width: 44 }, { width: 12 }];
  breakdown.addRow([t('office.xlsx.dimension'), t('office.xlsx.item'), t('office.xlsx.value')]).font = { bold: true };
  const c = r.figures.certificates;
  for (const [code, n] of Object.entries(c.byGroup)) breakdown.addRow([t('office.fig.byGroup'), groupLabel(code)[locale], n]);
  for (const [code, n] of Object.entries(c.byProvince)) breakdown.addRow([t('office.fig.byProvince'), provinceLabel(code)[locale], n]);
  for (const [name, n] of Object.entries(c.byCommune)) breakdown.addRow([t('office.fig.byCommune'), name || '—', n]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

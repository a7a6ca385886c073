import { vi } from './messages.vi.ts';
import { en } from './messages.en.ts';

/**
 * Languages: Vietnamese at the site root, English under /en. Every user-facing string goes
 * through `t` (flat dotted keys), every amount of money through `formatVnd`, every date through
 * `formatDate`; nothing else formats for display.
 */
export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];
export const DEFAULT_LOCALE: Locale = 'vi';

export type MessageKey = keyof typeof vi;
export const messages: Record<Locale, Record<MessageKey, string>> = { vi, en };

/** The `{name}` placeholders of a message, read from the Vietnamese string's literal type. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
export type Params = Record<string, string | number>;
/** `t(key)` for a message without placeholders, `t(key, { name })` when it has them. */
export type ParamArgs<K extends MessageKey> = [Placeholders<(typeof vi)[K]>] extends [never]
  ? [params?: Params]
  : [params: Record<Placeholders<(typeof vi)[K]>, string | number>];
/** Keys with `.one` / `.other` forms, for `plural()`. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}.one` ? Base : never) : never;

export interface Translator {
  <K extends MessageKey>(key: K, ...params: ParamArgs<K>): string;
  /** The `.one` or `.other` form of `base` for `count`, with `{count}` filled in. */
  plural(base: PluralKey, count: number, params?: Params): string;
  readonly locale: Locale;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en';
}

const intlLocale = (locale: Locale): string => (locale === 'vi' ? 'vi-VN' : 'en');

function interpolate(template: string, locale: Locale, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, locale) : value;
  });
}

export function t<K extends MessageKey>(locale: Locale, key: K, ...params: ParamArgs<K>): string {
  return interpolate(messages[locale][key], locale, params[0] as Params | undefined);
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

export function plural(locale: Locale, base: PluralKey, count: number, params?: Params): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(intlLocale(locale))));
  const form = rules.select(count) === 'one' ? 'one' : 'other';
  const key = `${base}.${form}` as MessageKey;
  return interpolate(messages[locale][key], locale, { ...params, count });
}

export function createT(locale: Locale): Translator {
  const translate = (<K extends MessageKey>(key: K, ...params: ParamArgs<K>) => t(locale, key, ...params)) as Translator;
  return Object.assign(translate, {
    plural: (base: PluralKey, count: number, params?: Params) => plural(locale, base, count, params),
    locale,
  });
}

// ---- numbers, money, dates -------------------------------------------------------------------

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatNumber(value: number, locale: Locale): string {
  return remembered('n', value, locale, (v, l) => cached(numberFormats, `n:${l}`, () => new Intl.NumberFormat(intlLocale(l))).format(v));
}

/** Money is integer đồng (VND has no minor unit): "150.000 ₫" (vi), "₫150,000" (en). */
export function formatVnd(amount: number, locale: Locale): string {
  return remembered('vnd', amount, locale, (v, l) => cached(numberFormats, `vnd:${l}`, () =>
    new Intl.NumberFormat(intlLocale(l), { style: 'currency', currency: 'VND', maximumFractionDigits: 0 }),
  ).format(v));
}

/**
 * An indicative amount in a visitor's currency: "≈ US$5.70" for 150,000 ₫ at 26,300 ₫ per dollar.
 * `vndPerUnit`: đồng per one unit of `currency` (configured, see FX_RATES in lib/config). Always
 * marked with "≈": the order is charged in đồng. Null when the rate is unusable.
 */
export function formatApprox(amount: number, currency: string, vndPerUnit: number, locale: Locale): string | null {
  if (!(vndPerUnit > 0) || !Number.isFinite(amount)) return null;
  const value = amount / vndPerUnit;
  const format = cached(numberFormats, `fx:${locale}:${currency}:${value < 100 ? 2 : 0}`, () =>
    new Intl.NumberFormat(displayLocale(locale), {
      style: 'currency', currency, maximumFractionDigits: value < 100 ? 2 : 0, minimumFractionDigits: value < 100 ? 2 : 0,
    }),
  );
  return `≈ ${format.format(value)}`;
}

/**
 * Pages show the same few figures and dates over and over (prices and counts on every card, a
 * lot's events on every scan of its stamps), and Intl formatting is slow next to a Map lookup:
 * results are remembered, up to a bound. (-0 is its own key: Intl writes it "-0".)
 */
const formatted = new Map<string, string>();
function remembered<V extends string | Date | number>(kind: string, value: V, locale: Locale, format: (value: V, locale: Locale) => string): string {
  const key = `${kind}:${locale}:${value instanceof Date ? value.getTime() : Object.is(value, -0) ? '-0' : value}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = format(value, locale);
    if (formatted.size >= 20_000) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Timestamps are shown in Vietnam's time; calendar dates (YYYY-MM-DD) are shown as written. */
const VIETNAM_TZ = 'Asia/Ho_Chi_Minh';

function toDate(value: string | Date): { date: Date; timeZone: string } | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { date: value, timeZone: VIETNAM_TZ };
  if (DATE_ONLY.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? null : { date, timeZone: 'UTC' };
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : { date, timeZone: VIETNAM_TZ };
}

/**
 * "24/02/2023" (vi, how Vietnamese readers write dates), "24 Feb 2023" (en: day, month name, year,
 * never 02/24 or 24/02, which tourists read either way). An unreadable value is returned as given.
 */
export function formatDate(value: string | Date, locale: Locale): string {
  return remembered('d', value, locale, formatDateNow);
}

function formatDateNow(value: string | Date, locale: Locale): string {
  const parsed = toDate(value);
  if (!parsed) return String(value);
  const options: Intl.DateTimeFormatOptions =
    locale === 'vi'
      ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: parsed.timeZone }
      : { day: 'numeric', month: 'short', year: 'numeric', timeZone: parsed.timeZone };
  const key = `d:${locale}:${parsed.timeZone}`;
  return cached(dateFormats, key, () => new Intl.DateTimeFormat(displayLocale(locale), options)).format(parsed.date);
}

/** English for an international reader (en-GB): dates day-month-year with a month name ("2 Dec 2026"), "US$" not a bare "$". */
const displayLocale = (locale: Locale): string => (locale === 'vi' ? 'vi-VN' : 'en-GB');

/** Date and time in Vietnam's time zone, for events and scans: "02/12/2026 14:05" (vi), "2 Dec 2026, 14:05" (en). */
export function formatDateTime(value: string | Date, locale: Locale): string {
  return remembered('dt', value, locale, formatDateTimeNow);
}

function formatDateTimeNow(value: string | Date, locale: Locale): string {
  const parsed = toDate(value);
  if (!parsed) return String(value);
  const format = cached(dateFormats, `dt:${locale}:${parsed.timeZone}`, () =>
    new Intl.DateTimeFormat(displayLocale(locale), {
      day: locale === 'vi' ? '2-digit' : 'numeric', month: locale === 'vi' ? '2-digit' : 'short', year: 'numeric',
      hour: '2-digit', minute: '2-digit', hour12: false, timeZone: parsed.timeZone,
    }),
  );
  return format.format(parsed.date);
}

// ---- paths -----------------------------------------------------------------------------------

const EN_PREFIX = /^\/en(?=\/|$)/;

/** '/en/products/x' → { locale: 'en', path: '/products/x' }; '/products/x' → { locale: 'vi', … }. */
export function stripLocale(pathname: string): { locale: Locale; path: string } {
  if (EN_PREFIX.test(pathname)) return { locale: 'en', path: pathname.replace(EN_PREFIX, '') || '/' };
  return { locale: 'vi', path: pathname || '/' };
}

/** The path of `path` (may carry ?query and #hash) in `locale`: '/products' → '/en/products' for en. */
export function localePath(path: string, locale: Locale): string {
  const cut = path.search(/[?#]/);
  const pathname = cut === -1 ? path : path.slice(0, cut);
  const rest = cut === -1 ? '' : path.slice(cut);
  const bare = stripLocale(pathname.startsWith('/') ? pathname : `/${pathname}`).path;
  if (locale === DEFAULT_LOCALE) return bare + rest;
  return (bare === '/' ? '/en' : `/en${bare}`) + rest;
}

/** The same page (and query string) in `locale`, for the language switch and hreflang links. */
export function alternatePath(url: { pathname: string; search: string }, locale: Locale): string {
  return localePath(stripLocale(url.pathname).path, locale) + url.search;
}

// ---- localized data --------------------------------------------------------------------------

/** Picks the text for `locale` from a { vi, en } pair, falling back to Vietnamese when missing. */
export function localized<T extends string | null>(text: { vi: T; en: T }, locale: Locale): T {
  return (text[locale] || text.vi) as T;
}

export const htmlLang = (locale: Locale): string => locale;
export const ogLocale = (locale: Locale): string => (locale === 'vi' ? 'vi_VN' : 'en_US');
export { authorityName } from './authority.ts';

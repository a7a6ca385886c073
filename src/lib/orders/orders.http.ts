import { config } from '../config/index.ts';
import { AppError } from '../errors/index.ts';
import { createT, isLocale, type Locale, type Translator } from '../i18n/index.ts';
import { parseIdempotencyKey } from './idempotency.service.ts';
import { parseOrderInput, type OrderInput } from './orders.schemas.ts';
import { isPublicAddress, networkPrefix } from '../http/index.ts';

/**
 * The JSON API's edge: the language of error messages (?lang=vi|en, else Accept-Language,
 * else Vietnamese) and the order body, parsed and validated.
 */
export function apiLocale(request: Request, url: URL): Locale {
  const lang = url.searchParams.get('lang');
  if (isLocale(lang)) return lang;
  const ranked = (request.headers.get('accept-language') ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { lang: (tag ?? '').split('-')[0]!, q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((l) => l.lang === 'vi' || l.lang === 'en')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Locale | undefined) ?? 'vi';
}

/** The public origin for links sent to third parties (Stripe's return URLs). */
export function publicOrigin(url: URL): string {
  return config().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? url.origin;
}

const MAX_BODY = 64 * 1024;

/**
 * Who is ordering, for the ordering limits (order-limits.ts): the client's network prefix, and
 * whether the limits apply — only to Internet addresses; loopback and private ones came through
 * our own side (an undeclared proxy, a health check) and would make every shopper share one budget.
 */
export function orderClient(clientAddress: string | null): { network: string | null; limited: boolean } {
  return { network: networkPrefix(clientAddress), limited: isPublicAddress(clientAddress) };
}

export async function readOrderRequest(request: Request, url: URL): Promise<{ input: OrderInput; t: Translator; locale: Locale; idempotencyKey: string | null }> {
  const locale = apiLocale(request, url);
  const t = createT(locale);
  const idempotencyKey = parseIdempotencyKey(request.headers.get('idempotency-key'), t);
  const text = await request.text();
  if (text.length > MAX_BODY) throw new AppError('INVALID_DATA', 'orders.invalid', t('orders.error.invalid'), { fields: { body: t('orders.field.tooLong', { max: MAX_BODY }) } });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_DATA', 'orders.invalid', t('orders.error.invalid'), { fields: { body: t('orders.field.json') } });
  }
  return { input: parseOrderInput(body, t), t, locale, idempotencyKey };
}

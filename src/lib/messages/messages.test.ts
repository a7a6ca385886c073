import { describe, expect, it } from 'vitest';
import { createT } from '../i18n/index.ts';
import { backoffSeconds } from './messages.delivery.ts';
import { nextVietnamHour } from './messages.jobs.ts';
import { unsubscribeToken, verifyUnsubscribeToken } from './messages.links.ts';
import { content, render } from './messages.templates.ts';
import { normalizeAddress } from './messages.compose.ts';

describe('messages: pure parts', () => {
  it('renders text, escaped HTML and a short SMS from one content; only non-transactional mail offers to unsubscribe', () => {
    const t = createT('en');
    const c = content(t, { subject: 'Order <OCOP1>', paragraphs: ['Fish & rice'], facts: [['Amount', '₫150,000'], ['Bank', 'VCB']], smsFacts: 1, action: { label: 'View', url: 'http://shop.test/en/orders/ord_1?a=1&b=2' } });
    const plain = render('en', c, null);
    expect(plain.text).toContain('Fish & rice\n\nAmount: ₫150,000\nBank: VCB\n\nView: http://shop.test/en/orders/ord_1?a=1&b=2');
    expect(plain.html).toContain('<title>Order &lt;OCOP1&gt;</title>');
    expect(plain.html).toContain('href="http://shop.test/en/orders/ord_1?a=1&amp;b=2"');
    expect(plain.html).not.toContain('Unsubscribe');
    expect(plain.sms).toBe('Order <OCOP1>\nAmount: ₫150,000\nhttp://shop.test/en/orders/ord_1?a=1&b=2');
    const optional = render('en', c, 'http://shop.test/en/unsubscribe?t=x');
    expect(optional.text).toContain('Unsubscribe: http://shop.test/en/unsubscribe?t=x');
    expect(optional.html).toContain('href="http://shop.test/en/unsubscribe?t=x"');
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4, 8, 20].map(backoffSeconds)).toEqual([30, 60, 120, 240, 3600, 3600]);
  });

  it('the digest hour is in Vietnam time, strictly after now', () => {
    expect(nextVietnamHour(new Date('2026-12-02T00:00:00Z'), 7).toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect(nextVietnamHour(new Date('2026-12-01T23:59:00Z'), 7).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(nextVietnamHour(new Date('2026-12-02T10:00:00Z'), 7).toISOString()).toBe('2026-12-03T00:00:00.000Z');
  });

  it('unsubscribe tokens verify for their address only', () => {
    const token = unsubscribeToken('an@example.vn');
    expect(verifyUnsubscribeToken(token)).toBe('an@example.vn');
    const other = unsubscribeToken('bao@example.vn');
    expect(verifyUnsubscribeToken(`${token.split('.')[0]}.${other.split('.')[1]}`)).toBeNull();
    for (const bad of ['', 'x', 'a.b', `${token}x`, null, undefined, 'x'.repeat(700)]) expect(verifyUnsubscribeToken(bad)).toBeNull();
  });

  it('normalises recipients: e-mail in lower case, Vietnamese phone numbers to 0…', () => {
    expect(normalizeAddress({ channel: 'email', address: ' An@Example.VN ' })).toEqual({ channel: 'email', address: 'an@example.vn' });
    expect(normalizeAddress({ channel: 'sms', address: '+84 912 345 678' })).toEqual({ channel: 'sms', address: '0912345678' });
    expect(normalizeAddress({ channel: 'sms', address: '12345' })).toBeNull();
    expect(normalizeAddress({ channel: 'email', address: 'not an address' })).toBeNull();
  });
});

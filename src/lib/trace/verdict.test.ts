import { describe, expect, it } from 'vitest';
import { alertFor, MAX_PLAUSIBLE_DAYS, MAX_PLAUSIBLE_SCANS, verdictFor } from './verdict.ts';
import { coarseClient, isPreviewBot, localeFromAcceptLanguage } from './client-info.ts';

const stamp = (over: Partial<Parameters<typeof verdictFor>[0] & object> = {}) => ({ status: 'active' as const, runVoided: false, scanCount: 1, scanDays: 1, ...over });

describe('verdicts', () => {
  it('genuine up to the plausible limits, warning just past them', () => {
    expect(verdictFor(stamp({ scanCount: MAX_PLAUSIBLE_SCANS, scanDays: MAX_PLAUSIBLE_DAYS })).verdict).toBe('genuine');
    expect(verdictFor(stamp({ scanCount: 21, scanDays: 1 }))).toEqual({ verdict: 'warning', reason: 'many_scans' });
    expect(verdictFor(stamp({ scanCount: 6, scanDays: 6 }))).toEqual({ verdict: 'warning', reason: 'many_scans' });
    expect(verdictFor(stamp({ status: 'sold', scanCount: 3, scanDays: 2 })).verdict).toBe('genuine');
    expect(verdictFor(stamp({ status: 'verified' })).verdict).toBe('genuine');
  });
  it('voided stamps and runs, unknown codes, stamps of unreleased lots', () => {
    expect(verdictFor(stamp({ status: 'voided' })).verdict).toBe('voided');
    expect(verdictFor(stamp({ runVoided: true, scanCount: 100 })).verdict).toBe('voided');
    expect(verdictFor(null).verdict).toBe('unknown');
    expect(verdictFor(stamp({ status: 'issued' }))).toEqual({ verdict: 'warning', reason: 'not_released' });
  });
  it('a recall or a revoked certificate overrides', () => {
    expect(alertFor('recalled', 'revoked')).toBe('recall');
    expect(alertFor('released', 'revoked')).toBe('certificate_revoked');
    expect(alertFor('released', 'valid')).toBeNull();
    // A suspended producer: the stamp stays genuine, the page says the producer is suspended; a revocation or a recall says more.
    expect(alertFor('released', 'valid', 'suspended')).toBe('producer_suspended');
    expect(alertFor('released', 'revoked', 'suspended')).toBe('certificate_revoked');
    expect(alertFor('released', 'valid', 'verified', new Date())).toBe('recall');
  });
});

describe('client info', () => {
  it('coarse client, preview bots, language', () => {
    expect(coarseClient('Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36')).toBe('Chrome/Android');
    expect(coarseClient('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1')).toBe('Safari/iOS');
    for (const ua of ['facebookexternalhit/1.1', 'Zalo-Preview', 'TelegramBot (like TwitterBot)', 'WhatsApp/2.23', 'Slackbot-LinkExpanding 1.0', 'Mozilla/5.0 (compatible; Googlebot/2.1)']) expect(isPreviewBot(ua)).toBe(true);
    expect(isPreviewBot('Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile')).toBe(false);
    expect(localeFromAcceptLanguage('en-US,en;q=0.9,vi;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('vi-VN,vi;q=0.9,en;q=0.8')).toBe('vi');
    expect(localeFromAcceptLanguage('fr-FR,en;q=0.5')).toBe('en');
    expect(localeFromAcceptLanguage('fr-FR')).toBe('vi');
    expect(localeFromAcceptLanguage('en;q=0, vi')).toBe('vi');
    expect(localeFromAcceptLanguage(null)).toBe('vi');
  });
});

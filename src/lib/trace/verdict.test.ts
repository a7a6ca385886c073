import { describe, expect, it } from 'vitest';
import { coarseClient, isPreviewBot, localeFromAcceptLanguage } from './client-info.ts';
import { alertFor, MAX_NETWORKS_PER_DAY, MAX_PLAUSIBLE_DAYS, MAX_PLAUSIBLE_NETWORKS, MIN_NETWORKS_FOR_DAYS, verdictFor } from './verdict.ts';

const stamp = (over: Partial<Parameters<typeof verdictFor>[0] & object> = {}) => ({
  status: 'active' as const, runVoided: false, scanDays: 1, networks: 1, peakDayNetworks: 1, ...over,
});

describe('scan verdict', () => {
  it('never brands a stamp from what one visitor can do alone: reloads, or one network every day', () => {
    // 21+ reloads from one client: one network, one day.
    expect(verdictFor(stamp({ scanDays: 1, networks: 1, peakDayNetworks: 1 })).verdict).toBe('genuine');
    // Scanned every day for a month from the buyer's home network.
    expect(verdictFor(stamp({ scanDays: 30, networks: 1, peakDayNetworks: 1 })).verdict).toBe('genuine');
    // Home and phone, many days: two networks.
    expect(verdictFor(stamp({ scanDays: 30, networks: MIN_NETWORKS_FOR_DAYS - 1, peakDayNetworks: 2 })).verdict).toBe('genuine');
    // At the thresholds, still genuine.
    expect(verdictFor(stamp({ scanDays: MAX_PLAUSIBLE_DAYS, networks: MAX_PLAUSIBLE_NETWORKS, peakDayNetworks: MAX_NETWORKS_PER_DAY })).verdict).toBe('genuine');
    expect(verdictFor(stamp({ status: 'sold', scanDays: 2, networks: 3, peakDayNetworks: 2 })).verdict).toBe('genuine');
    expect(verdictFor(stamp({ status: 'verified' })).verdict).toBe('genuine');
  });

  it('flags a real clone: many networks, several networks in one day, or many days from several networks', () => {
    expect(verdictFor(stamp({ networks: MAX_PLAUSIBLE_NETWORKS + 1, peakDayNetworks: 2, scanDays: 4 }))).toEqual({ verdict: 'warning', reason: 'many_scans' });
    expect(verdictFor(stamp({ networks: MAX_NETWORKS_PER_DAY + 1, peakDayNetworks: MAX_NETWORKS_PER_DAY + 1 }))).toEqual({ verdict: 'warning', reason: 'many_scans' });
    expect(verdictFor(stamp({ scanDays: MAX_PLAUSIBLE_DAYS + 1, networks: MIN_NETWORKS_FOR_DAYS, peakDayNetworks: 1 }))).toEqual({ verdict: 'warning', reason: 'many_scans' });
  });

  it('voided and unknown stamps, and stamps of an unreleased lot', () => {
    expect(verdictFor(stamp({ status: 'voided' })).verdict).toBe('voided');
    expect(verdictFor(stamp({ runVoided: true, networks: 100 })).verdict).toBe('voided');
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

import { describe, expect, it } from 'vitest';
import { certificateState, showsBadge, todayInVietnam } from './certificate-state.ts';

describe('certificate state', () => {
  const today = '2026-11-27';
  it('derives valid / expiring / expired / revoked from the dates', () => {
    expect(certificateState({ status: 'active', validUntil: '2027-06-01' }, today)).toBe('valid');
    expect(certificateState({ status: 'active', validUntil: '2026-12-27' }, today)).toBe('expiring');
    expect(certificateState({ status: 'active', validUntil: '2026-12-28' }, today)).toBe('valid');
    expect(certificateState({ status: 'active', validUntil: '2026-11-27' }, today)).toBe('expiring');
    expect(certificateState({ status: 'active', validUntil: '2026-11-26' }, today)).toBe('expired');
    expect(certificateState({ status: 'revoked', validUntil: '2028-01-01' }, today)).toBe('revoked');
  });

  it('shows the OCOP mark only while a 3★+ certificate is in force', () => {
    expect(showsBadge('valid', 3)).toBe(true);
    expect(showsBadge('expiring', 5)).toBe(true);
    expect(showsBadge('expired', 5)).toBe(false);
    expect(showsBadge('revoked', 4)).toBe(false);
    expect(showsBadge('valid', 2)).toBe(false);
  });

  it('uses the Vietnamese calendar day', () => {
    expect(todayInVietnam(new Date('2026-11-27T16:59:00Z'))).toBe('2026-11-27');
    expect(todayInVietnam(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28');
  });
});

import type { deployVi } from './messages.deploy.vi.ts';

export const deployEn: Record<keyof typeof deployVi, string> = {
  'auth.login.suspended': 'This producer is suspended by the OCOP office: its accounts cannot sign in. Please contact the OCOP office.',
  'auth.login.disabled': 'This account is disabled. Please contact the OCOP office.',
  'http.tooLarge.title': 'Too much data sent',
  'http.tooLarge.body': 'The request is larger than {mb} MB. Send less (for example a smaller photo) and try again.',
};

import type { CurrentUser } from '../auth/index.ts';
import { AppError } from '../errors/index.ts';
import { countFromForm, issueStampsForLot, previewVoidStamps, voidOwnRun, voidOwnStamps } from './stamps.service.ts';

/**
 * The stamp forms of the dashboard's lot page (no JS): issue a run, void a run after its
 * confirmation screen, check typed codes and then void them. Each returns where to go next or,
 * for the check, what to confirm.
 */
type Producer = CurrentUser & { producerId: number };

export type LotStampsOutcome =
  | { done: 'issued'; runId: number; count: number }
  | { done: 'run_voided'; runId: number; count: number }
  | { done: 'stamps_voided'; count: number }
  | { preview: Awaited<ReturnType<typeof previewVoidStamps>> };

export async function lotStampsAction(user: Producer, lotId: number, action: string, form: Record<string, unknown>, origin: string): Promise<LotStampsOutcome> {
  const { reason } = form;
  switch (action) {
    case 'stamps.issue': {
      const { run } = await issueStampsForLot(user, { ...countFromForm({ count: form.count, note: form.note }), lotId }, { origin });
      return { done: 'issued', runId: run.id, count: run.count };
    }
    case 'stamps.voidRun': {
      const runId = typeof form.run === 'string' && /^\d{1,9}$/.test(form.run) ? Number(form.run) : NaN;
      const r = await voidOwnRun(user, runId, { reason }, { lotId });
      return { done: 'run_voided', runId: r.runId, count: r.voided };
    }
    case 'stamps.previewVoid':
      return { preview: await previewVoidStamps(user, lotId, { codes: form.codes ?? [], reason }) };
    case 'stamps.voidStamps':
      return { done: 'stamps_voided', count: (await voidOwnStamps(user, { codes: form.codes ?? [], reason }, { lotId })).voided };
    default:
      throw new AppError('INVALID_DATA', 'stamps.invalid', 'Unknown action.');
  }
}

/** The query string that tells the lot page what just happened. */
export function doneQuery(outcome: Exclude<LotStampsOutcome, { preview: unknown }>): string {
  const q = new URLSearchParams({ done: outcome.done, count: String(outcome.count) });
  if ('runId' in outcome) q.set('run', String(outcome.runId));
  return `?${q}#lot-stamps`;
}

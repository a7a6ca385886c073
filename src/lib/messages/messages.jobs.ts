import { addDays, selectLowStock, todayInVietnam } from '../catalog/index.ts';
import { selectOfficeEmails } from '../auth/index.ts';
import { listExpiring, queueExpiryNotices } from '../certification/index.ts';
import { config } from '../config/index.ts';
import { db as getDb } from '../db/index.ts';
import { log } from '../log/index.ts';
import { startPoller, type Poller } from '../outbox/index.ts';
import { countOrdersSince, getOrderView, selectAwaitingTransfer } from '../orders/index.ts';
import { customerRecipients, producerById, producerRecipients, queueMessages, type Recipient } from './messages.compose.ts';
import { digestNotice, lowStockNotice, reminderNotice } from './messages.notices.ts';
import { claimLowStockNotice, forgetRestocked } from './messages.repository.ts';
import { claimJob, ensureJob, finishJob } from './schedule.repository.ts';

/**
 * Jobs that run by themselves inside the server, once across all instances (schedule.repository:
 * an advisory lock around the claim, a lease while it runs, the next time due in the database).
 * A job's row is created due at once, and a job missed while no instance ran is due when one
 * starts: each job works from "what is due now", so one run catches up. Each job is idempotent
 * by its messages' dedupe keys, so a run repeated after a crash adds nothing.
 */
export interface Job {
  name: string;
  /** When the job is next due after a run at `now`. */
  next(now: Date): Date;
  run(now: Date): Promise<void>;
}

const MINUTE = 60_000;
/** A just-placed order is not reminded even when its hold is short. */
const REMINDER_MIN_AGE_MS = 30 * MINUTE;

/** The next `hour`:00 in Vietnam (UTC+7) strictly after `now`. */
export function nextVietnamHour(now: Date, hour: number): Date {
  const today = todayInVietnam(now);
  const at = new Date(`${today}T${String(hour).padStart(2, '0')}:00:00+07:00`);
  return at > now ? at : new Date(`${addDays(today, 1)}T${String(hour).padStart(2, '0')}:00:00+07:00`);
}

export const JOBS: Job[] = [
  {
    name: 'certificate-expiry',
    next: (now) => new Date(now.getTime() + 60 * MINUTE),
    run: async (now) => {
      const r = await queueExpiryNotices(todayInVietnam(now));
      if (r.queued) log.info('expiry notices queued', r);
    },
  },
  {
    name: 'vietqr-reminders',
    next: (now) => new Date(now.getTime() + 10 * MINUTE),
    run: async (now) => {
      const hours = config().VIETQR_REMINDER_HOURS;
      if (hours === 0) return;
      const d = await getDb();
      const due = await selectAwaitingTransfer(d, now, new Date(now.getTime() + hours * 3_600_000));
      for (const o of due) {
        if (o.createdAt.getTime() > now.getTime() - REMINDER_MIN_AGE_MS) continue;
        const view = await getOrderView(o.publicId);
        const content = view && reminderNotice(o, view);
        if (!content) continue;
        await queueMessages(d, customerRecipients(o), {
          kind: 'order.reminder', audience: 'customer', locale: o.locale, transactional: false,
          cause: `vietqr.reminder:${o.publicId}`, ref: o.publicId, content,
        });
      }
    },
  },
  {
    name: 'office-digest',
    next: (now) => nextVietnamHour(now, config().DIGEST_HOUR),
    run: async (now) => {
      const d = await getDb();
      const today = todayInVietnam(now);
      const [awaiting, newOrders, expiring, office] = [
        await selectAwaitingTransfer(d, now, null), await countOrdersSince(d, new Date(now.getTime() - 24 * 60 * MINUTE)),
        await listExpiring(today, 90), await selectOfficeEmails(d),
      ];
      const extra = (config().OFFICE_EMAIL ?? '').split(',').map((e) => e.trim()).filter(Boolean);
      const recipients: Recipient[] = [...office, ...extra].map((address) => ({ channel: 'email', address }));
      await queueMessages(d, recipients, {
        kind: 'office.digest', audience: 'office', locale: 'vi', transactional: false, cause: `office.digest:${today}`, ref: null,
        content: digestNotice({ date: today, awaiting, newOrders, expiring: expiring.map((c) => ({ number: c.number, product: c.product.name, validUntil: c.validUntil })) }),
      });
    },
  },
  {
    name: 'low-stock',
    next: (now) => new Date(now.getTime() + 15 * MINUTE),
    run: async () => {
      const threshold = config().LOW_STOCK_THRESHOLD;
      if (threshold === 0) return;
      const d = await getDb();
      await forgetRestocked(d, threshold);
      for (const p of await selectLowStock(d, threshold)) {
        await d.transaction(async (tx) => {
          if (!(await claimLowStockNotice(tx, p.productId, p.stock))) return;
          const producer = await producerById(tx, { id: p.producerId });
          if (!producer) return;
          await queueMessages(tx, await producerRecipients(tx, producer), {
            kind: 'producer.low_stock', audience: 'producer', locale: 'vi', transactional: false,
            cause: `low_stock:${p.productId}:${Date.now()}`, ref: p.slug, content: lowStockNotice(p.nameVi, p.stock, p.slug),
          });
        });
      }
    },
  },
];

const LEASE_SECONDS = 300;

/** One tick: every job that is due and not held elsewhere runs here; returns the names run. */
export async function runDueJobs(jobs: Job[] = JOBS): Promise<string[]> {
  const d = await getDb();
  const ran: string[] = [];
  for (const job of jobs) {
    await ensureJob(d, job.name, new Date());
    if (!(await claimJob(d, job.name, LEASE_SECONDS))) continue;
    const now = new Date();
    try {
      await job.run(now);
      await finishJob(d, job.name, job.next(now), null);
      ran.push(job.name);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn('scheduled job failed; retrying in a minute', { job: job.name, error: message });
      await finishJob(d, job.name, new Date(Date.now() + MINUTE), message.slice(0, 1000)).catch(() => {});
    }
  }
  return ran;
}

export type Scheduler = Poller;

/** Looks for due jobs every SCHEDULE_TICK_SECONDS (and at once). */
export function startScheduler(): Scheduler {
  return startPoller('scheduler', () => runDueJobs(), { intervalMs: () => config().SCHEDULE_TICK_SECONDS * 1000, maxBackoffMs: 60_000 });
}

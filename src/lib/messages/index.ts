// Messages: e-mail and SMS to customers, producers and the office, through the outbox, with schedules.
export { registerMessageHandlers, RECALL_TOPIC, REPORT_TOPIC } from './messages.handlers.ts';
export { deliverDue, startMessageWorker, backoffSeconds, LEASE_SECONDS, MAX_ATTEMPTS, type MessageWorker } from './messages.delivery.ts';
export { JOBS, runDueJobs, startScheduler, nextVietnamHour, type Job, type Scheduler } from './messages.jobs.ts';
export {
  listMessages, transportStatus, parseContact, requestOrderLinks, getProducerChannels, saveProducerChannels, unsubscribeAddress, unsubscribe,
  type MessageLogFilter, type ProducerChannels,
} from './messages.service.ts';
export { setTransport, httpSmsProvider, PermanentSendError, type SmsProvider, type MailTransport, type OutgoingMail, type OutgoingSms } from './messages.transports.ts';
export { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken, messageIdFor } from './messages.links.ts';
export { selectSchedule, type ScheduleRow } from './schedule.repository.ts';
export { serveOneClickUnsubscribe } from './messages.http.ts';
export type { MessageRow } from './messages.repository.ts';
export { MESSAGE_STATUSES, MESSAGE_CHANNELS, MESSAGE_AUDIENCES } from './messages.table.ts';

import { config } from '../config/index.ts';
import { registerMessageHandlers } from './messages.handlers.ts';
import { startMessageWorker } from './messages.delivery.ts';
import { startScheduler } from './messages.jobs.ts';

/** Starts messaging in a serving process: outbox consumers, the delivery worker and (SCHEDULES, on by default) the scheduler. */
export function startMessaging(): { stop(): Promise<void> } {
  registerMessageHandlers();
  const worker = startMessageWorker();
  const scheduler = config().SCHEDULES === false ? null : startScheduler();
  return {
    async stop() {
      await Promise.all([worker.stop(), scheduler?.stop()]);
    },
  };
}

// The transactional outbox: enqueue with the change, deliver afterwards.
export { enqueue, drainOutbox, registerOutboxHandler, startOutboxWorker, type OutboxHandler, type OutboxMessage, type OutboxWorker } from './outbox.service.ts';
export { startPoller, type Poller } from './poller.ts';

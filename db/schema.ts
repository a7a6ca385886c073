// The whole drizzle schema: each area keeps its tables beside its code; this file gathers them
// for drizzle-kit and for typed queries.
export * from '../src/lib/catalog/catalog.table.ts';
export * from '../src/lib/catalog/lots.table.ts';
export * from '../src/lib/certification/certification.table.ts';
export * from '../src/lib/trace/trace.table.ts';
export * from '../src/lib/stamps/stamps.table.ts';
export * from '../src/lib/orders/orders.table.ts';
export * from '../src/lib/payments/payments.table.ts';
export * from '../src/lib/auth/auth.table.ts';
export * from '../src/lib/outbox/outbox.table.ts';
export * from '../src/lib/audit/audit.table.ts';
export * from '../src/lib/search/search.table.ts';
export * from '../src/lib/places/places.table.ts';
export * from '../src/lib/experiences/experiences.table.ts';
export * from '../src/lib/monitoring/monitoring.table.ts';
export * from '../src/lib/programme/programme.table.ts';
export * from '../src/lib/messages/messages.table.ts';
export * from '../src/lib/epcis/epcis.table.ts';

// Experiences (OCOP group 6): dated sessions with capacity, booked through the ordinary order.
export {
  upcomingSessions, cancelCutoffHours, sessionsForLines, reserveSeats, recordBookings, releaseSeats, orderBookings, cutoffPassed,
  producerBookings, createSessions, setCancelCutoff, closeSession, sessionStart, cancellableUntil, MAX_PARTY,
  type SessionView, type OrderBookingView,
} from './experiences.service.ts';
export type { SessionRow } from './experiences.repository.ts';

/** Order vocabulary shared by the server (orders module) and the web. */

/** The states of an order's lifecycle (src/server/modules/orders/order-status.ts holds the transitions). */
export const orderStates = [
  'requested',
  'accepted',
  'declined',
  'expired',
  'contracted',
  'in_service',
  'completed',
  'closed',
  'cancelled',
] as const;
export type OrderState = (typeof orderStates)[number];

/**
 * What a resident asks for, by mode. Times of day are Asia/Shanghai; `startAt` is an ISO instant on a quarter hour.
 * The server checks the ranges (src/server/modules/orders/schedule.ts).
 */
export type Schedule =
  | { mode: 'hourly'; startAt: string; hours: number }
  | {
      mode: 'recurring';
      startDate: string;
      weekdays: number[];
      startTime: string;
      hours: number;
      weeks: number;
    }
  | { mode: 'day_care'; startDate: string; months: number }
  | { mode: 'live_in'; startDate: string; months: number }
  | { mode: 'maternity'; dueDate: string; stars: number };

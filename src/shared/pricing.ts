import { type PriceUnit, type ServiceMode, unitOfMode } from './domain.js';

/**
 * Highest price accepted per unit, in fen. Anything above is a typo (an extra zero), not a price:
 * 1,000 元/hour, 10,000 元/visit, 5,000 元/day, 100,000 元/month, 200,000 元 per 26-day package.
 * The most expensive 月嫂 in Guangzhou asks about 30,000–40,000 元 per package, so the ceilings leave room.
 */
export const priceCeilingFen: Record<PriceUnit, number> = {
  hour: 100_000,
  visit: 1_000_000,
  day: 500_000,
  month: 10_000_000,
  package26: 20_000_000,
};

/**
 * Units a mode may be priced in: the mode's own unit (`unitOfMode`) first, plus per-visit for one-off and
 * recurring work (开荒保洁 and 家电清洗 are priced per visit) and per-day for day care.
 */
export const unitsOfMode: Record<ServiceMode, readonly PriceUnit[]> = {
  hourly: [unitOfMode.hourly, 'visit'],
  recurring: [unitOfMode.recurring, 'visit'],
  day_care: [unitOfMode.day_care, 'day'],
  live_in: [unitOfMode.live_in],
  maternity: [unitOfMode.maternity],
};

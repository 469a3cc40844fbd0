/**
 * Positions of the wage and price survey (工资价位调查), as Guangzhou's report lists them, and how a filed
 * contract or a completed order maps to one. Monthly positions are wages or monthly prices in fen per month;
 * 钟点工 is an hourly rate in fen per hour.
 */
export const wagePositions = [
  { code: 'nanny', zh: '保姆（住家/日间）', en: 'Nanny (live-in or day)', unit: 'month' },
  { code: 'yuesao', zh: '月嫂', en: 'Maternity nurse (yuesao)', unit: 'month' },
  { code: 'yuyingyuan', zh: '育婴员', en: 'Infant carer', unit: 'month' },
  { code: 'elder_carer', zh: '养老护理员', en: 'Elder carer', unit: 'month' },
  { code: 'hourly', zh: '钟点工（时薪）', en: 'Hourly help (per hour)', unit: 'hour' },
] as const;
export type WagePosition = (typeof wagePositions)[number]['code'];
export type WageUnit = 'month' | 'hour';
export const wagePositionCodes = wagePositions.map((p) => p.code) as [WagePosition, ...WagePosition[]];
export const unitOfPosition = (p: WagePosition): WageUnit => wagePositions.find((x) => x.code === p)!.unit;

/**
 * The position a contract or order belongs to, or null when it does not fit the survey. `unit` is the price
 * unit of an order (contracts pass 'month': their wage is monthly).
 */
export function positionOf(category: string, mode: string, unit: string): WagePosition | null {
  if (unit === 'hour' || unit === 'visit') return unit === 'hour' ? 'hourly' : null;
  if (category === 'maternity') return 'yuesao';
  if (category === 'infant_care') return 'yuyingyuan';
  if (category === 'elder_care' || category === 'patient_care') return 'elder_carer';
  if ((category === 'cleaning' || category === 'cooking') && (mode === 'live_in' || mode === 'day_care'))
    return 'nanny';
  return null;
}

/** Reads a position from an imported cell: its code or its Chinese name (with or without the bracket note). */
export function parsePosition(cell: string): WagePosition | null {
  const s = cell.trim();
  for (const p of wagePositions) {
    if (s === p.code || s === p.zh || s === p.zh.replace(/（.*）$/, '')) return p.code;
  }
  return null;
}

/**
 * Continuous percentile (as PostgreSQL's percentile_cont): linear interpolation between the closest ranks of
 * the sorted values. Used to check the SQL and for small in-memory tables.
 */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/**
 * Review rules (pure, no I/O): who may review which order, when, on which dimensions, and the fraud signals
 * that hold a review for moderation instead of publishing it.
 */
export const residentDimensions = ['quality', 'punctuality', 'attitude', 'skill'] as const;
export const employerDimensions = ['respect', 'payment', 'communication', 'environment'] as const;

export type ReviewSide = 'resident' | 'provider';

/** Dimensions a side rates: residents rate the service, providers (worker or company) rate the employer. */
export const dimensionsOf = (side: ReviewSide): readonly string[] =>
  side === 'resident' ? residentDimensions : employerDimensions;

/** True when `ratings` has exactly the side's dimensions, each an integer 1–5. */
export function ratingsValid(side: ReviewSide, ratings: Record<string, number>): boolean {
  const dims = dimensionsOf(side);
  const keys = Object.keys(ratings);
  return (
    keys.length === dims.length &&
    dims.every((d) => Number.isInteger(ratings[d]) && ratings[d]! >= 1 && ratings[d]! <= 5)
  );
}

/** The review's overall score: the mean of its dimensions, two decimals. */
export function overallOf(ratings: Record<string, number>): number {
  const v = Object.values(ratings);
  return Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100;
}

export type ReviewRefusal = 'REVIEW_ORDER_NOT_COMPLETED' | 'REVIEW_WINDOW_CLOSED';

/** Why an order cannot be reviewed now, or null. Only completed (or closed) orders, within the window. */
export function reviewRefusal(
  order: { state: string; completedAt: Date | null },
  now: Date,
  windowDays: number,
): ReviewRefusal | null {
  if ((order.state !== 'completed' && order.state !== 'closed') || !order.completedAt)
    return 'REVIEW_ORDER_NOT_COMPLETED';
  if (now.getTime() > order.completedAt.getTime() + windowDays * 86_400_000) return 'REVIEW_WINDOW_CLOSED';
  return null;
}

/** Thresholds of the fraud signals (刷单): beyond them a review waits for the regulator. */
export const FRAUD_MAX_PER_DAY = 5;
export const FRAUD_MAX_SAME_COMPANY_30D = 3;

/** The reason to hold a review for moderation, or null to publish it. Counts exclude the new review. */
export function fraudSignal(counts: { byAuthorLast24h: number; sameCompanyLast30d: number }): string | null {
  if (counts.byAuthorLast24h >= FRAUD_MAX_PER_DAY) return 'many_reviews_from_one_account';
  if (counts.sameCompanyLast30d >= FRAUD_MAX_SAME_COMPANY_30D) return 'repeated_reviews_of_one_company';
  return null;
}

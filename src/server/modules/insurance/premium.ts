/**
 * Premium arithmetic for "商业+公益" cover, in integer fen (pure, no I/O).
 *
 * Rules (docs/insurance.md):
 * - subsidy = min(floor(premium × shareBp / 10 000), cap): public money is rounded DOWN, never over-paid, and
 *   never exceeds the product's cap per person per period.
 * - The rest (premium − subsidy) is paid by the company and the worker. When the enroller gives no split, the
 *   enroller pays all of it (a company enrolling staff pays the rest; a worker enrolling alone pays the rest).
 * - A split the enroller gives must be two non-negative integers that, with the subsidy, add up to the premium
 *   exactly; anything else is refused (never silently corrected).
 */

export interface PremiumSplit {
  premiumFen: number;
  subsidyFen: number;
  companyFen: number;
  workerFen: number;
}

export type SplitResult =
  | { ok: true; split: PremiumSplit }
  | { ok: false; error: 'split_mismatch' | 'bad_input' };

const isFen = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** The public subsidy for one person for one period. */
export function subsidyFen(premiumFen: number, shareBp: number, capFen: number): number {
  if (!isFen(premiumFen) || !isFen(capFen) || !Number.isInteger(shareBp) || shareBp < 0 || shareBp > 10_000)
    throw new RangeError('subsidyFen: premium and cap are fen, share is 0..10000 basis points');
  // BigInt keeps premium × share exact even near Number.MAX_SAFE_INTEGER.
  const raw = Number((BigInt(premiumFen) * BigInt(shareBp)) / 10_000n);
  return Math.min(raw, capFen);
}

/** Splits a premium between subsidy, company and worker; refuses a given split that does not add up. */
export function splitPremium(input: {
  premiumFen: number;
  shareBp: number;
  capFen: number;
  payer: 'company' | 'worker';
  given?: { companyFen: number; workerFen: number } | null | undefined;
}): SplitResult {
  if (!isFen(input.premiumFen) || input.premiumFen === 0) return { ok: false, error: 'bad_input' };
  const subsidy = subsidyFen(input.premiumFen, input.shareBp, input.capFen);
  const rest = input.premiumFen - subsidy;
  if (input.given) {
    const { companyFen, workerFen } = input.given;
    if (!isFen(companyFen) || !isFen(workerFen)) return { ok: false, error: 'bad_input' };
    if (companyFen + workerFen + subsidy !== input.premiumFen) return { ok: false, error: 'split_mismatch' };
    return { ok: true, split: { premiumFen: input.premiumFen, subsidyFen: subsidy, companyFen, workerFen } };
  }
  return {
    ok: true,
    split: {
      premiumFen: input.premiumFen,
      subsidyFen: subsidy,
      companyFen: input.payer === 'company' ? rest : 0,
      workerFen: input.payer === 'worker' ? rest : 0,
    },
  };
}

/** Sums splits field by field (settlement totals are exactly the sum of their policies). */
export function sumSplits(rows: readonly PremiumSplit[]): PremiumSplit {
  return rows.reduce(
    (a, r) => ({
      premiumFen: a.premiumFen + r.premiumFen,
      subsidyFen: a.subsidyFen + r.subsidyFen,
      companyFen: a.companyFen + r.companyFen,
      workerFen: a.workerFen + r.workerFen,
    }),
    { premiumFen: 0, subsidyFen: 0, companyFen: 0, workerFen: 0 },
  );
}

/** The last day of a period of `months` starting on `startsOn` (YYYY-MM-DD): 2026-03-01 + 12 → 2027-02-28. */
export function periodEnd(startsOn: string, months: number): string {
  const [y, m, d] = startsOn.split('-').map(Number) as [number, number, number];
  const targetMonth = m - 1 + months;
  const ty = y + Math.floor(targetMonth / 12);
  const tm = targetMonth % 12;
  const lastDay = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  // Same day-of-month next period (clamped to the month's end), minus one day.
  const next = Date.UTC(ty, tm, Math.min(d, lastDay));
  return new Date(next - 86_400_000).toISOString().slice(0, 10);
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(dayStr: string, days: number): string {
  return new Date(Date.parse(`${dayStr}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Termination settlement (pure, no I/O): what is owed when a contract ends early (解除合约).
 * Assumption (documented in docs/contracts.md): instalments due before the effective date have been paid.
 */
import { type ContractTerms, daysBetween } from './contract-terms.js';

export interface Settlement {
  effectiveDate: string;
  totalDays: number;
  servedDays: number;
  servedFeeFen: number;
  paidFen: number;
  /** Prepaid fees for days not served, returned to the consumer. */
  feeRefundFen: number;
  /** Fees for days served but not yet paid, owed by the consumer. */
  feeOwedFen: number;
  depositRefundFen: number;
  agencyFeeRefundFen: number;
  /** What the company pays the consumer (negative: what the consumer still pays). */
  netToConsumerFen: number;
}

/** Pro-rates fees by days served, returns the deposit, and refunds the agency fee by the contract's rule. */
export function computeSettlement(t: ContractTerms, effectiveDate: string): Settlement {
  const totalDays = Math.max(1, daysBetween(t.startDate, t.endDate));
  const servedDays = Math.min(totalDays, Math.max(0, daysBetween(t.startDate, effectiveDate)));
  const servedFeeFen = Math.round((t.totalFeeFen * servedDays) / totalDays);
  const paidFen = t.paymentSchedule
    .filter((p) => p.dueDate < effectiveDate)
    .reduce((s, p) => s + p.amountFen, 0);
  const feeRefundFen = Math.max(0, paidFen - servedFeeFen);
  const feeOwedFen = Math.max(0, servedFeeFen - paidFen);
  const prorata = Math.round((t.agencyFeeFen * (totalDays - servedDays)) / totalDays);
  const agencyFeeRefundFen =
    t.agencyFeeRefund === 'none'
      ? 0
      : t.agencyFeeRefund === 'full_in_trial' && servedDays < t.trialDays
        ? t.agencyFeeFen
        : prorata;
  const depositRefundFen = t.depositFen;
  return {
    effectiveDate,
    totalDays,
    servedDays,
    servedFeeFen,
    paidFen,
    feeRefundFen,
    feeOwedFen,
    depositRefundFen,
    agencyFeeRefundFen,
    netToConsumerFen: feeRefundFen + depositRefundFen + agencyFeeRefundFen - feeOwedFen,
  };
}

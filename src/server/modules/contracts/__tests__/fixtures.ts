import type { ContractTerms } from '../contract-terms.js';

/** A live-in agency contract that passes every check. */
export function liveIn(over: Partial<ContractTerms> = {}): ContractTerms {
  return {
    kind: 'agency',
    category: 'elder_care',
    mode: 'live_in',
    company: {
      name: '安心家政',
      address: '天河路1号',
      legalRepresentative: '王总',
      contactName: '李经理',
      uscc: '',
    },
    consumer: { name: '陈女士' },
    worker: { name: '张秀芳', skillLevel: 'level4', healthValidUntil: '2027-01-01', trainingPassed: true },
    serviceDistrict: '440106',
    serviceContent: '住家照护老人，做饭、打扫',
    startDate: '2026-01-01',
    endDate: '2026-03-31',
    dailyHours: 10,
    workStart: '08:00',
    restDaysPerMonth: 4,
    sleepHoursPerDay: 8,
    holidayPayMultiplier: 3,
    monthlyFeeFen: 700_000,
    totalFeeFen: 2_100_000,
    paymentSchedule: [
      { dueDate: '2026-01-01', amountFen: 700_000 },
      { dueDate: '2026-01-31', amountFen: 700_000 },
      { dueDate: '2026-03-02', amountFen: 700_000 },
    ],
    agencyFeeFen: 70_000,
    agencyFeeRefund: 'prorata',
    depositFen: 140_000,
    monthlyWageFen: 595_000,
    trialDays: 7,
    replacementWithinDays: 3,
    accidentInsurance: true,
    terminationNoticeDays: 7,
    breachLiability: '违约方赔偿损失',
    disputeResolution: 'mediation_then_arbitration',
    ...over,
  };
}

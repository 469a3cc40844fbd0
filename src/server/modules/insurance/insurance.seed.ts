import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { InsuranceService } from './insurance.service.js';
import { shanghaiDay } from './insurance.service.js';

export interface InsuranceSeedInput {
  insurance: InsuranceService;
  workers: { trustFacts(id: string): Promise<{ companyId: string | null } | null> };
  insurer: { id: string; userId: string };
  company: { id: string; adminUserId: string };
  /** Candidate workers (the demo city's); those employed by the company are enrolled. */
  workerIds: string[];
  demoWorker: { id: string; userId: string } | null;
  now: Date;
}

function ctxOf(
  userId: string,
  membership: Actor['memberships'][number] | null,
  roles: Actor['roles'],
): RequestContext {
  return {
    actor: {
      userId,
      sessionId: 'seed',
      name: 'seed',
      phoneMasked: '',
      roles,
      memberships: membership ? [membership] : [],
      regulatorDistrict: null,
    },
    requestId: 'sys-seed-insurance',
    ip: null,
  };
}

/**
 * Demo insurance through the real service: two products of the demo insurer, the demo company's staff enrolled
 * (most confirmed, two waiting), and claims in several states so every insurance page has something to show.
 */
export async function seedInsurance(input: InsuranceSeedInput) {
  const { insurance } = input;
  const insurerCtx = ctxOf(
    input.insurer.userId,
    { orgId: input.insurer.id, orgName: '', orgType: 'insurer', role: 'admin' },
    ['insurer_staff'],
  );
  const companyCtx = ctxOf(
    input.company.adminUserId,
    { orgId: input.company.id, orgName: '', orgType: 'company', role: 'admin' },
    ['company_admin'],
  );
  const combined = await insurance.createProduct(insurerCtx, input.insurer.id, {
    title: '家政服务人员意外+责任组合险',
    kind: 'combined',
    coverage: [
      { code: 'accident_death', amountFen: 50_000_000 },
      { code: 'accident_medical', amountFen: 2_000_000 },
      { code: 'hospital_allowance', amountFen: 300_000 },
      { code: 'liability_injury', amountFen: 10_000_000 },
      { code: 'liability_property', amountFen: 2_000_000 },
    ],
    premiumFen: 12_000,
    periodMonths: 12,
    categories: [],
    subsidyShareBp: 5_000,
    subsidyCapFen: 6_000,
    waitingDays: 0,
  });
  await insurance.createProduct(insurerCtx, input.insurer.id, {
    title: '家政人员个人意外险',
    kind: 'accident',
    coverage: [
      { code: 'accident_death', amountFen: 20_000_000 },
      { code: 'accident_medical', amountFen: 1_000_000 },
    ],
    premiumFen: 6_000,
    periodMonths: 12,
    categories: [],
    subsidyShareBp: 3_000,
    subsidyCapFen: 2_000,
    waitingDays: 7,
  });
  const staff: string[] = [];
  for (const id of input.workerIds) {
    if (staff.length >= 8) break;
    if ((await input.workers.trustFacts(id))?.companyId === input.company.id) staff.push(id);
  }
  if (input.demoWorker && !staff.includes(input.demoWorker.id)) {
    const facts = await input.workers.trustFacts(input.demoWorker.id);
    if (facts?.companyId === input.company.id) staff.unshift(input.demoWorker.id);
  }
  if (!staff.length) return { products: 2, policies: 0, claims: 0 };
  const enrolled = await insurance.enrolStaff(companyCtx, input.company.id, {
    productId: combined.id,
    startsOn: shanghaiDay(input.now),
    workerIds: staff,
  });
  const toConfirm = enrolled.policies.slice(0, Math.max(1, enrolled.policies.length - 2));
  await insurance.confirmPolicies(
    insurerCtx,
    input.insurer.id,
    toConfirm.map((p) => p.id),
  );
  let claims = 0;
  const base = {
    incidentOn: shanghaiDay(input.now),
    place: '广州市天河区体育西路',
    evidence: ['门诊病历', '医疗费发票'],
  };
  const first = toConfirm[0]!;
  const open = await insurance.fileClaim(companyCtx, {
    ...base,
    policyId: first.id,
    coverageCode: 'accident_medical',
    description: '擦窗时从梯子上滑落，右手腕扭伤，门诊治疗',
    claimedFen: 120_000,
  });
  claims++;
  await insurance.claimStep(insurerCtx, open.id, 'request_info', { reason: '请补充X光片及诊断证明' });
  if (toConfirm[1]) {
    const paid = await insurance.fileClaim(companyCtx, {
      ...base,
      policyId: toConfirm[1].id,
      coverageCode: 'hospital_allowance',
      description: '服务途中摔伤住院三天',
      claimedFen: 60_000,
    });
    await insurance.claimStep(insurerCtx, paid.id, 'review');
    await insurance.claimStep(insurerCtx, paid.id, 'approve', { amountFen: 60_000 });
    await insurance.claimStep(insurerCtx, paid.id, 'pay', { payoutRef: 'PICC-GZ-2026-0001' });
    claims++;
  }
  return { products: 2, policies: enrolled.policies.length, confirmed: toConfirm.length, claims };
}

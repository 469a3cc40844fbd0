import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { CreditService } from './credit.service.js';
import { defaultScorecard } from './scorecard.js';

export interface CreditSeedInput {
  credit: CreditService;
  regulatorUserId: string;
  demoCompanyId: string | null;
  demoWorker: { id: string; userId: string } | null;
  workerIds: string[];
}

/** Four strictly rising thresholds at the 20/40/60/80 % points of the scores. */
function quintiles(scores: number[]): number[] {
  const s = [...scores].sort((a, b) => a - b);
  const out: number[] = [];
  for (let k = 1; k <= 4; k++) {
    const v = Math.max(0.01, s[Math.floor((s.length * k) / 5)]!);
    out.push(
      out.length && v <= out[out.length - 1]! ? Math.round((out[out.length - 1]! + 0.01) * 100) / 100 : v,
    );
  }
  return out;
}

const actorCtx = (userId: string, roles: Actor['roles'], label: string): RequestContext => ({
  actor: {
    userId,
    sessionId: `seed-${label}`,
    name: '',
    phoneMasked: '',
    roles,
    memberships: [],
    regulatorDistrict: null,
  },
  requestId: `sys-seed-${label}`,
  ip: null,
});

/**
 * Demo credit data through the real service: scores for everyone (version 1, then a version 2 graded by ranking
 * that weighs complaints more, so histories have two points), the demo company on the red list, the lowest-scoring other
 * company warned and another expelled (清退) for a serious violation, and a pending appeal by the demo worker.
 */
export async function seedCredit(input: CreditSeedInput) {
  const { credit } = input;
  const reg = actorCtx(input.regulatorUserId, ['regulator'], 'credit');
  await credit.recomputeAll();
  // Version 2 grades by ranking (Guangzhou ranks dynamically): thresholds at the quintiles of the demo city's
  // scores, so the demo shows every grade and every number of stars.
  const companyScores = (await credit.companyScores(reg, { limit: 100 })).items
    .filter((c) => c.status === 'active')
    .map((c) => c.score);
  const workerScores = [...(await credit.workerCredits(input.workerIds)).values()].map((w) => w.score);
  const v2 = structuredClone(defaultScorecard);
  v2.worker.weights.rating = 20;
  v2.worker.weights.complaints = 15;
  if (companyScores.length >= 5) v2.company.thresholds = quintiles(companyScores);
  if (workerScores.length >= 5) v2.worker.thresholds = quintiles(workerScores);
  await credit.publishScorecard(reg, { config: v2, note: '按排名分级，加重投诉指标权重（演示）' });
  await credit.recomputeAll();
  if (input.demoCompanyId)
    await credit.addListEntry(reg, {
      subjectType: 'company',
      subjectId: input.demoCompanyId,
      list: 'red',
      reason: '连续三年无成立投诉，服务规范（演示）',
    });
  const companies = (await credit.companyScores(reg, { limit: 100 })).items.filter(
    (c) => c.companyId !== input.demoCompanyId && c.status === 'active',
  );
  let expelled: string | null = null;
  if (companies.length >= 3) {
    // Lowest first: the last-but-one is expelled outright, the rest face a strict evaluation line.
    const target = companies[1]!;
    await credit.expel(reg, {
      companyId: target.companyId,
      ground: 'serious_violation',
      reason: '安排未持证人员上门服务且拒不整改（演示）',
    });
    await credit.onCompanyExpelled(reg, { companyId: target.companyId });
    expelled = target.companyId;
  }
  const evaluation = await credit.runEvaluation(reg);
  if (input.demoWorker)
    await credit
      .appealAsWorker(actorCtx(input.demoWorker.userId, ['worker'], 'credit-worker'), {
        indicator: 'follow_up',
        reason: '回访时我正在服务中未能接听，满意度记录有误（演示）',
        evidence: '订单服务时间与回访时间重叠',
      })
      .catch(() => undefined);
  return { expelled, warned: evaluation.warned };
}

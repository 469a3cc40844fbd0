import { and, asc, desc, eq, gte, inArray, isNotNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { maskName } from '../../../shared/validators/index.js';
import { shanghaiMinute } from '../../../shared/time.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx, Tx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError, type ErrorCode } from '../../platform/errors.js';
import { hasRole, orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import { enqueueEvent } from '../../platform/outbox/outbox.js';
import type { Pii } from '../../platform/pii/index.js';
import type { SmsSender } from '../../platform/sms/sms.js';
import { mod3736Check } from '../certification/index.js';
import type { NotificationsService } from '../notifications/index.js';
import type { OrgsService } from '../orgs/index.js';
import type { TrustFacts } from '../workers/index.js';
import {
  type ClaimAction,
  claimActionsFor,
  type ClaimParty,
  claimSlaDays,
  type ClaimState,
  claimTurn,
  isFinalClaim,
  transitionClaim,
} from './claim-status.js';
import {
  type CoverageCode,
  coverageFits,
  coverageLabels,
  isLiability,
  type ProductKind,
} from './coverage.js';
import { renderPolicyCertificatePdf } from './policy-certificate-pdf.js';
import { type PolicyAction, type PolicyParty, type PolicyState, transitionPolicy } from './policy-status.js';
import { addDays, periodEnd, type PremiumSplit, splitPremium, sumSplits } from './premium.js';
import {
  type CoverageItem,
  type EvidenceItem,
  insuranceClaim,
  insuranceClaimEvent,
  insuranceNumberSeq,
  insurancePolicy,
  insuranceProduct,
} from './insurance.tables.js';
import { amountFigure } from '../../../shared/money-words.js';

export type ProductRow = typeof insuranceProduct.$inferSelect;
export type PolicyRow = typeof insurancePolicy.$inferSelect;
export type ClaimRow = typeof insuranceClaim.$inferSelect;

export interface InsuranceEvents {
  'insurance.policy_confirmed': PolicyEventPayload;
  'insurance.policy_ended': PolicyEventPayload;
  'insurance.claim_changed': { claimId: string; policyId: string; workerId: string; state: ClaimState };
}
export interface PolicyEventPayload {
  policyId: string;
  workerId: string;
  companyId: string | null;
  state: PolicyState;
}

export interface InsuranceDeps {
  db: Db;
  clock: () => Date;
  pii: Pii;
  sms: Pick<SmsSender, 'sendNotice'>;
  notifications: Pick<NotificationsService, 'notify'>;
  orgs: Pick<OrgsService, 'getOrganization'>;
  workers: {
    trustFacts(workerId: string): Promise<TrustFacts | null>;
    findWorkerIdByUser(userId: string): Promise<string | null>;
    namesOf(workerIds: string[]): Promise<Map<string, string>>;
  };
  phoneOf: (userId: string) => Promise<string | null>;
  /** The order as the caller sees it (orders module); throws NOT_FOUND when the caller may not see it. */
  orderFor: (
    ctx: RequestContext,
    orderId: string,
  ) => Promise<{ id: string; number: string; workerId: string | null; relation: string }>;
  publicUrl: string;
}

export interface ProductInput {
  title: string;
  kind: ProductKind;
  coverage: { code: CoverageCode; amountFen: number }[];
  premiumFen: number;
  periodMonths: number;
  categories: string[];
  subsidyShareBp: number;
  subsidyCapFen: number;
  waitingDays: number;
}

export interface EnrolInput {
  productId: string;
  startsOn: string;
  workerIds: string[];
  split?: { companyFen: number; workerFen: number } | null | undefined;
}

export interface ClaimInput {
  policyId?: string | null | undefined;
  orderId?: string | null | undefined;
  coverageCode: CoverageCode;
  incidentOn: string;
  place: string;
  description: string;
  evidence: string[];
  claimedFen: number;
}

const PLACE_AAD = 'insurance_claim.place';
const DAY_MS = 86_400_000;
/** Renewal reminders go out this many days before the last covered day. */
export const RENEWAL_NOTICE_DAYS = 30;

const policyStateZh: Record<PolicyState, string> = {
  pending: '待承保确认',
  active: '保障中',
  rejected: '已拒保',
  cancelled: '已撤销',
  expired: '已到期',
};
const claimStateZh: Record<ClaimState, string> = {
  reported: '已报案',
  under_review: '审核中',
  info_requested: '待补充材料',
  approved: '已核定',
  rejected: '已拒赔',
  paid: '已赔付',
  withdrawn: '已撤回',
};

/** Today in Asia/Shanghai (YYYY-MM-DD), which has no daylight saving. */
export function shanghaiDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function pgCode(e: unknown): string | null {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

function transitionError(error: 'invalid_transition' | 'not_your_step' | 'reason_required'): AppError {
  const code: ErrorCode =
    error === 'reason_required'
      ? 'INSURANCE_REASON_REQUIRED'
      : error === 'not_your_step'
        ? 'INSURANCE_NOT_YOUR_STEP'
        : 'INSURANCE_INVALID_TRANSITION';
  return new AppError(code);
}

/** Insurance: products, enrolment with the premium split, policies and certificates, claims, subsidy settlement. */
export function createInsuranceService(deps: InsuranceDeps) {
  const { db, clock, pii, orgs, workers, notifications } = deps;

  // Helpers ---------------------------------------------------------------------------------------------------

  function insurerOrgs(ctx: RequestContext): string[] {
    return ctx.actor ? orgIdsOf(ctx.actor, 'insurer') : [];
  }
  function companyOrgs(ctx: RequestContext): string[] {
    return ctx.actor ? orgIdsOf(ctx.actor, 'company') : [];
  }
  function requireInsurer(ctx: RequestContext, orgId: string) {
    if (!insurerOrgs(ctx).includes(orgId)) throw new AppError('NOT_FOUND');
  }
  function requireCompany(ctx: RequestContext, orgId: string) {
    if (!companyOrgs(ctx).includes(orgId)) throw new AppError('NOT_FOUND');
  }
  async function ownWorkerId(ctx: RequestContext): Promise<string | null> {
    return ctx.actor?.roles.includes('worker') ? workers.findWorkerIdByUser(ctx.actor.userId) : null;
  }

  async function nextNumber(tx: DbOrTx, kind: 'BD' | 'LP', now: Date): Promise<string> {
    const day = shanghaiDay(now);
    const [row] = await tx
      .insert(insuranceNumberSeq)
      .values({ kind, day, last: 1 })
      .onConflictDoUpdate({
        target: [insuranceNumberSeq.kind, insuranceNumberSeq.day],
        set: { last: sql`${insuranceNumberSeq.last} + 1` },
      })
      .returning({ last: insuranceNumberSeq.last });
    const payload = day.replaceAll('-', '') + String(row!.last).padStart(6, '0');
    return `${kind}${payload}${mod3736Check(payload)}`;
  }

  async function productById(id: string, q: DbOrTx = db): Promise<ProductRow | null> {
    const [p] = await q.select().from(insuranceProduct).where(eq(insuranceProduct.id, id)).limit(1);
    return p ?? null;
  }

  async function orgNames(ids: (string | null)[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of new Set(ids.filter((x): x is string => !!x))) {
      const o = await orgs.getOrganization(id);
      if (o) out.set(id, o.name);
    }
    return out;
  }

  function productView(p: ProductRow, insurerName: string) {
    return {
      id: p.id,
      insurer: { id: p.insurerId, name: insurerName },
      title: p.title,
      kind: p.kind as ProductKind,
      coverage: p.coverage,
      premiumFen: p.premiumFen,
      periodMonths: p.periodMonths,
      categories: p.categories,
      subsidyShareBp: p.subsidyShareBp,
      subsidyCapFen: p.subsidyCapFen,
      waitingDays: p.waitingDays,
      active: p.active,
      createdAt: p.createdAt.toISOString(),
    };
  }

  async function policyViews(rows: PolicyRow[]) {
    const names = await workers.namesOf([...new Set(rows.map((r) => r.workerId))]);
    const orgsById = await orgNames(rows.flatMap((r) => [r.insurerId, r.companyId]));
    const products = new Map<string, ProductRow>();
    for (const id of new Set(rows.map((r) => r.productId))) {
      const p = await productById(id);
      if (p) products.set(id, p);
    }
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      product: { id: r.productId, title: products.get(r.productId)?.title ?? '' },
      insurer: { id: r.insurerId, name: orgsById.get(r.insurerId) ?? '' },
      company: r.companyId ? { id: r.companyId, name: orgsById.get(r.companyId) ?? '' } : null,
      worker: { id: r.workerId, name: names.get(r.workerId) ?? '' },
      enrolledBy: r.enrolledBy as 'company' | 'worker',
      batchId: r.batchId,
      startsOn: r.startsOn,
      endsOn: r.endsOn,
      premiumFen: r.premiumFen,
      subsidyFen: r.subsidyFen,
      companyFen: r.companyFen,
      workerFen: r.workerFen,
      state: r.state as PolicyState,
      stateLabel: policyStateZh[r.state as PolicyState],
      stateReason: r.stateReason,
      confirmedAt: r.confirmedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  /** How the caller relates to a policy; 404 when they may not see it. */
  async function policyRelation(
    ctx: RequestContext,
    p: PolicyRow,
  ): Promise<'insurer' | 'company' | 'worker' | 'regulator'> {
    if (insurerOrgs(ctx).includes(p.insurerId)) return 'insurer';
    if (p.companyId && companyOrgs(ctx).includes(p.companyId)) return 'company';
    if ((await ownWorkerId(ctx)) === p.workerId) return 'worker';
    if (hasRole(ctx.actor, 'regulator')) return 'regulator';
    throw new AppError('NOT_FOUND');
  }

  async function loadPolicy(id: string, q: DbOrTx = db): Promise<PolicyRow> {
    const [p] = await q.select().from(insurancePolicy).where(eq(insurancePolicy.id, id)).limit(1);
    if (!p) throw new AppError('NOT_FOUND');
    return p;
  }

  async function tellPolicy(p: PolicyRow, title: string, body: string) {
    if (p.companyId)
      await notifications.notify({
        orgId: p.companyId,
        kind: 'insurance.policy',
        title,
        body,
        link: '/company/insurance',
      });
    const facts = await workers.trustFacts(p.workerId);
    if (facts?.userId) {
      await notifications.notify({
        userId: facts.userId,
        kind: 'insurance.policy',
        title,
        body,
        link: '/worker/insurance',
      });
      const phone = await deps.phoneOf(facts.userId);
      if (phone)
        await deps.sms.sendNotice({
          phone,
          template: 'INSURANCE_POLICY_NOTICE',
          params: { number: p.number, state: policyStateZh[p.state as PolicyState], endsOn: p.endsOn },
          sentAt: clock(),
        });
    }
  }

  async function policyStep(
    ctx: RequestContext,
    policyId: string,
    action: PolicyAction,
    party: PolicyParty,
    reason: string | null,
  ): Promise<PolicyRow> {
    const updated = await db.transaction(async (tx) => {
      const [p] = await tx
        .select()
        .from(insurancePolicy)
        .where(eq(insurancePolicy.id, policyId))
        .for('update');
      if (!p) throw new AppError('NOT_FOUND');
      const t = transitionPolicy({ from: p.state as PolicyState, action, by: party, reason });
      if (!t.ok) throw transitionError(t.error);
      const now = clock();
      const [row] = await tx
        .update(insurancePolicy)
        .set({
          state: t.to,
          stateReason: reason?.trim() || null,
          updatedAt: now,
          ...(action === 'confirm' ? { confirmedAt: now } : {}),
        })
        .where(eq(insurancePolicy.id, p.id))
        .returning();
      await appendAudit(
        tx,
        ctx,
        {
          action: `insurance.policy.${action}`,
          objectType: 'insurance_policy',
          objectId: p.id,
          detail: { from: p.state, to: t.to, reason: reason ?? null },
        },
        now,
      );
      if (action === 'confirm' || t.to === 'expired' || t.to === 'cancelled')
        await enqueueEvent<InsuranceEvents>(tx, {
          topic: action === 'confirm' ? 'insurance.policy_confirmed' : 'insurance.policy_ended',
          payload: { policyId: p.id, workerId: p.workerId, companyId: p.companyId, state: t.to },
        });
      return row!;
    });
    await tellPolicy(
      updated,
      `保单 ${updated.number} ${policyStateZh[updated.state as PolicyState]}`,
      action === 'confirm'
        ? `保障期 ${updated.startsOn} 至 ${updated.endsOn}`
        : `保单状态：${policyStateZh[updated.state as PolicyState]}${reason ? `，原因：${reason}` : ''}`,
    );
    return updated;
  }

  // Enrolment -------------------------------------------------------------------------------------------------

  /**
   * Checks every worker and computes the split; throws the first problem with every worker's issue listed, so a
   * bulk enrolment is all or nothing.
   */
  async function prepareEnrolment(
    product: ProductRow,
    input: EnrolInput,
    payer: 'company' | 'worker',
    companyId: string | null,
  ): Promise<{ split: PremiumSplit; endsOn: string }> {
    const today = shanghaiDay(clock());
    if (input.startsOn < today) throw new AppError('INSURANCE_START_IN_PAST');
    const r = splitPremium({
      premiumFen: product.premiumFen,
      shareBp: product.subsidyShareBp,
      capFen: product.subsidyCapFen,
      payer,
      given: input.split ?? null,
    });
    if (!r.ok) throw new AppError('INSURANCE_PREMIUM_MISMATCH');
    if (payer === 'worker' && r.split.companyFen > 0) throw new AppError('INSURANCE_PREMIUM_MISMATCH');
    const endsOn = periodEnd(input.startsOn, product.periodMonths);
    let first: ErrorCode | null = null;
    const issues: { path: string; message: string }[] = [];
    const fail = (code: ErrorCode, i: number, message: string) => {
      first ??= code;
      issues.push({ path: `workerIds.${i}`, message });
    };
    for (const [i, workerId] of input.workerIds.entries()) {
      const facts = await workers.trustFacts(workerId);
      if (!facts || (companyId !== null && facts.companyId !== companyId)) {
        fail('INSURANCE_WORKER_NOT_YOURS', i, 'not employed by this company');
        continue;
      }
      if (product.categories.length && !facts.categories.some((c) => product.categories.includes(c))) {
        fail('INSURANCE_NOT_ELIGIBLE', i, 'service categories not eligible');
        continue;
      }
      const [clash] = await db
        .select({ id: insurancePolicy.id })
        .from(insurancePolicy)
        .where(
          and(
            eq(insurancePolicy.workerId, workerId),
            eq(insurancePolicy.productId, product.id),
            inArray(insurancePolicy.state, ['pending', 'active']),
            lte(insurancePolicy.startsOn, endsOn),
            gte(insurancePolicy.endsOn, input.startsOn),
          ),
        )
        .limit(1);
      if (clash) fail('INSURANCE_POLICY_OVERLAP', i, 'already covered by this product in this period');
    }
    if (first) throw new AppError(first, { issues });
    return { split: r.split, endsOn };
  }

  async function enrol(
    ctx: RequestContext,
    input: EnrolInput,
    payer: 'company' | 'worker',
    companyId: string | null,
  ) {
    const product = await productById(input.productId);
    if (!product) throw new AppError('NOT_FOUND');
    const insurer = await orgs.getOrganization(product.insurerId);
    if (!product.active || insurer?.status !== 'active') throw new AppError('INSURANCE_PRODUCT_UNAVAILABLE');
    const { split, endsOn } = await prepareEnrolment(product, input, payer, companyId);
    const batchId = newId('ibt');
    const rows = await db.transaction(async (tx) => {
      const now = clock();
      const values: (typeof insurancePolicy.$inferInsert)[] = [];
      for (const workerId of input.workerIds)
        values.push({
          id: newId('pol'),
          number: await nextNumber(tx, 'BD', now),
          productId: product.id,
          insurerId: product.insurerId,
          workerId,
          companyId,
          enrolledBy: payer,
          enrolledByUserId: ctx.actor!.userId,
          batchId,
          startsOn: input.startsOn,
          endsOn,
          ...split,
          state: 'pending',
          createdAt: now,
          updatedAt: now,
        });
      let inserted: PolicyRow[];
      try {
        // A savepoint, so a refused overlap (a concurrent enrolment) becomes the clear error below.
        inserted = await tx.transaction((sp) => sp.insert(insurancePolicy).values(values).returning());
      } catch (e) {
        if (pgCode(e) === '23P01') throw new AppError('INSURANCE_POLICY_OVERLAP');
        throw e;
      }
      await appendAudit(
        tx,
        ctx,
        {
          action: 'insurance.enrol',
          objectType: 'insurance_batch',
          objectId: batchId,
          detail: {
            productId: product.id,
            companyId,
            count: values.length,
            startsOn: input.startsOn,
            ...split,
          },
        },
        now,
      );
      return inserted;
    });
    await notifications.notify({
      orgId: product.insurerId,
      kind: 'insurance.enrolment',
      title: `新投保申请 ${rows.length} 人`,
      body: `${product.title}，保障期 ${input.startsOn} 至 ${endsOn}`,
      link: '/insurer/insured',
    });
    return { batchId, split, policies: await policyViews(rows) };
  }

  // Claims ----------------------------------------------------------------------------------------------------

  async function claimRelation(
    ctx: RequestContext,
    c: ClaimRow,
  ): Promise<'insurer' | 'claimant' | 'company' | 'worker' | 'regulator'> {
    if (insurerOrgs(ctx).includes(c.insurerId)) return 'insurer';
    if (ctx.actor?.userId === c.reporterUserId) return 'claimant';
    if (c.reporterOrgId && companyOrgs(ctx).includes(c.reporterOrgId)) return 'claimant';
    if (c.companyId && companyOrgs(ctx).includes(c.companyId)) return 'company';
    if ((await ownWorkerId(ctx)) === c.workerId) return 'worker';
    if (hasRole(ctx.actor, 'regulator')) return 'regulator';
    throw new AppError('NOT_FOUND');
  }

  async function claimView(ctx: RequestContext, c: ClaimRow) {
    const rel = await claimRelation(ctx, c);
    const [p] = await policyViews([await loadPolicy(c.policyId)]);
    const history = await db
      .select()
      .from(insuranceClaimEvent)
      .where(eq(insuranceClaimEvent.claimId, c.id))
      .orderBy(asc(insuranceClaimEvent.at), asc(insuranceClaimEvent.id));
    const party: ClaimParty | null = rel === 'insurer' ? 'insurer' : rel === 'claimant' ? 'claimant' : null;
    const now = clock();
    return {
      ...claimSummary(c, now),
      policy: p!,
      orderId: c.orderId,
      place: pii.decrypt(c.placeEnc, PLACE_AAD),
      description: c.description,
      evidence: c.evidence,
      reporterKind: c.reporterKind as 'worker' | 'company' | 'resident',
      payoutRef: c.payoutRef,
      paidAt: c.paidAt?.toISOString() ?? null,
      relation: rel,
      actions: party ? claimActionsFor(c.state as ClaimState, party) : [],
      history: history.map((h) => ({
        action: h.action,
        fromState: h.fromState,
        toState: h.toState,
        party: h.party,
        reason: h.reason,
        amountFen: h.amountFen,
        at: h.at.toISOString(),
      })),
    };
  }

  function claimSummary(c: ClaimRow, now: Date) {
    const state = c.state as ClaimState;
    return {
      id: c.id,
      number: c.number,
      policyId: c.policyId,
      workerId: c.workerId,
      coverageCode: c.coverageCode,
      coverageLabel: coverageLabels[c.coverageCode as CoverageCode] ?? c.coverageCode,
      incidentOn: c.incidentOn,
      claimedFen: c.claimedFen,
      approvedFen: c.approvedFen,
      paidFen: c.paidFen,
      state,
      stateLabel: claimStateZh[state],
      stateReason: c.stateReason,
      turn: claimTurn[state] ?? null,
      dueAt: c.dueAt?.toISOString() ?? null,
      overdue: !!c.dueAt && c.dueAt < now,
      createdAt: c.createdAt.toISOString(),
    };
  }

  function dueFor(state: ClaimState, now: Date): Date | null {
    const days = claimSlaDays[state];
    return days === undefined ? null : new Date(now.getTime() + days * DAY_MS);
  }

  async function tellClaim(c: ClaimRow, note: string) {
    const title = `理赔 ${c.number} ${claimStateZh[c.state as ClaimState]}`;
    await notifications.notify({
      orgId: c.insurerId,
      kind: 'insurance.claim',
      title,
      body: note,
      link: `/insurer/claims/${c.id}`,
    });
    const users = new Set<string>([c.reporterUserId]);
    const facts = await workers.trustFacts(c.workerId);
    if (facts?.userId) users.add(facts.userId);
    for (const userId of users) {
      await notifications.notify({
        userId,
        kind: 'insurance.claim',
        title,
        body: note,
        link: '/worker/insurance',
      });
      const phone = await deps.phoneOf(userId);
      if (phone)
        await deps.sms.sendNotice({
          phone,
          template: 'INSURANCE_CLAIM_UPDATED',
          params: { number: c.number, state: claimStateZh[c.state as ClaimState] },
          sentAt: clock(),
        });
    }
    if (c.companyId && c.reporterKind !== 'resident')
      await notifications.notify({
        orgId: c.companyId,
        kind: 'insurance.claim',
        title,
        body: note,
        link: '/company/insurance',
      });
  }

  async function claimHistory(
    tx: Tx,
    ctx: RequestContext,
    c: ClaimRow,
    e: {
      action: string;
      from: ClaimState | null;
      to: ClaimState;
      party: string;
      reason?: string | null;
      amountFen?: number | null;
    },
    now: Date,
  ) {
    await tx.insert(insuranceClaimEvent).values({
      id: newId('cle'),
      claimId: c.id,
      action: e.action,
      fromState: e.from,
      toState: e.to,
      party: e.party,
      actorId: ctx.actor?.userId ?? null,
      reason: e.reason ?? null,
      amountFen: e.amountFen ?? null,
      at: now,
    });
    await appendAudit(
      tx,
      ctx,
      {
        action: `insurance.claim.${e.action}`,
        objectType: 'insurance_claim',
        objectId: c.id,
        detail: {
          from: e.from,
          to: e.to,
          party: e.party,
          reason: e.reason ?? null,
          amountFen: e.amountFen ?? null,
        },
      },
      now,
    );
    await enqueueEvent<InsuranceEvents>(tx, {
      topic: 'insurance.claim_changed',
      payload: { claimId: c.id, policyId: c.policyId, workerId: c.workerId, state: e.to },
    });
  }

  /** Finds the policy a claim is made under and who reports it; refuses what the rules refuse. */
  async function resolveClaim(ctx: RequestContext, input: ClaimInput) {
    const actor = ctx.actor!;
    let order: { id: string; workerId: string | null; relation: string } | null = null;
    if (input.orderId) order = await deps.orderFor(ctx, input.orderId);
    let policy: PolicyRow | null = null;
    if (input.policyId) policy = await loadPolicy(input.policyId);
    else if (order?.workerId) {
      // The insured worker's policy in force on the incident date that carries the coverage item.
      const candidates = await db
        .select()
        .from(insurancePolicy)
        .where(
          and(
            eq(insurancePolicy.workerId, order.workerId),
            inArray(insurancePolicy.state, ['active', 'expired']),
            lte(insurancePolicy.startsOn, input.incidentOn),
            gte(insurancePolicy.endsOn, input.incidentOn),
          ),
        )
        .orderBy(desc(insurancePolicy.startsOn));
      for (const c of candidates) {
        const p = await productById(c.productId);
        if (p?.coverage.some((i) => i.code === input.coverageCode)) {
          policy = c;
          break;
        }
      }
      if (!policy) throw new AppError('INSURANCE_POLICY_NOT_IN_FORCE');
    } else
      throw new AppError('VALIDATION_FAILED', {
        issues: [{ path: 'policyId', message: 'name the policy, or the order served by the insured worker' }],
      });

    // Who reports: the insured worker, the policy's company, or the resident of an order the worker served.
    let reporterKind: 'worker' | 'company' | 'resident';
    let reporterOrgId: string | null = null;
    if ((await ownWorkerId(ctx)) === policy.workerId) reporterKind = 'worker';
    else if (policy.companyId && companyOrgs(ctx).includes(policy.companyId)) {
      reporterKind = 'company';
      reporterOrgId = policy.companyId;
    } else if (actor.roles.includes('resident') && order?.relation === 'resident') reporterKind = 'resident';
    else throw new AppError('NOT_FOUND');
    if (order && order.workerId !== policy.workerId) throw new AppError('INSURANCE_ORDER_REQUIRED');
    if (reporterKind === 'resident' && !isLiability(input.coverageCode))
      throw new AppError('INSURANCE_COVERAGE_INVALID');

    const product = (await productById(policy.productId))!;
    const item: CoverageItem | undefined = product.coverage.find((i) => i.code === input.coverageCode);
    if (!item) throw new AppError('INSURANCE_COVERAGE_INVALID');
    const today = shanghaiDay(clock());
    if (input.incidentOn > today)
      throw new AppError('VALIDATION_FAILED', {
        issues: [{ path: 'incidentOn', message: 'the incident date is in the future' }],
      });
    if (
      !['active', 'expired'].includes(policy.state) ||
      input.incidentOn < policy.startsOn ||
      input.incidentOn > policy.endsOn
    )
      throw new AppError('INSURANCE_POLICY_NOT_IN_FORCE');
    if (input.incidentOn < addDays(policy.startsOn, product.waitingDays))
      throw new AppError('INSURANCE_IN_WAITING_PERIOD');
    if (input.claimedFen > item.amountFen) throw new AppError('INSURANCE_OVER_COVERAGE');
    return { policy, reporterKind, reporterOrgId };
  }

  async function claimStep(
    ctx: RequestContext,
    claimId: string,
    action: ClaimAction,
    opts: {
      reason?: string | null;
      amountFen?: number | null;
      note?: string | null;
      payoutRef?: string | null;
    } = {},
  ) {
    const [c0] = await db.select().from(insuranceClaim).where(eq(insuranceClaim.id, claimId)).limit(1);
    if (!c0) throw new AppError('NOT_FOUND');
    const rel = await claimRelation(ctx, c0);
    const party: ClaimParty | null = rel === 'insurer' ? 'insurer' : rel === 'claimant' ? 'claimant' : null;
    if (!party) throw new AppError('INSURANCE_NOT_YOUR_STEP');
    let limit = 0;
    if (action === 'approve') {
      const product = (await productById((await loadPolicy(c0.policyId)).productId))!;
      limit = product.coverage.find((i) => i.code === c0.coverageCode)?.amountFen ?? 0;
    }
    const updated = await db.transaction(async (tx) => {
      const [c] = await tx.select().from(insuranceClaim).where(eq(insuranceClaim.id, claimId)).for('update');
      if (!c) throw new AppError('NOT_FOUND');
      const t = transitionClaim({
        from: c.state as ClaimState,
        action,
        by: party,
        reason: opts.reason ?? null,
      });
      if (!t.ok) throw transitionError(t.error);
      const now = clock();
      const patch: Partial<ClaimRow> = {};
      let amountFen: number | null = null;
      if (action === 'approve') {
        const a = opts.amountFen ?? 0;
        if (a > c.claimedFen || a > limit) throw new AppError('INSURANCE_OVER_COVERAGE');
        patch.approvedFen = a;
        amountFen = a;
      }
      if (action === 'pay') {
        if (!opts.payoutRef?.trim())
          throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'payoutRef', message: 'required' }] });
        patch.paidFen = c.approvedFen;
        patch.payoutRef = opts.payoutRef.trim();
        patch.paidAt = now;
        amountFen = c.approvedFen;
      }
      if (action === 'supply') {
        if (!opts.note?.trim())
          throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'note', message: 'required' }] });
        patch.evidence = [
          ...c.evidence,
          { note: opts.note.trim(), at: now.toISOString(), by: c.reporterKind as EvidenceItem['by'] },
        ];
      }
      const [row] = await tx
        .update(insuranceClaim)
        .set({
          ...patch,
          state: t.to,
          stateReason: opts.reason?.trim() || null,
          dueAt: isFinalClaim(t.to) ? null : dueFor(t.to, now),
          slaBreachNotifiedAt: null,
          updatedAt: now,
        })
        .where(eq(insuranceClaim.id, c.id))
        .returning();
      await claimHistory(
        tx,
        ctx,
        row!,
        { action, from: c.state as ClaimState, to: t.to, party, reason: opts.reason ?? null, amountFen },
        now,
      );
      return row!;
    });
    await tellClaim(
      updated,
      action === 'approve'
        ? `核定赔付金额 ${amountFigure(updated.approvedFen!)} 元`
        : action === 'pay'
          ? `已赔付 ${amountFigure(updated.paidFen!)} 元`
          : `理赔状态：${claimStateZh[updated.state as ClaimState]}${opts.reason ? `，${opts.reason}` : ''}`,
    );
    return claimView(ctx, updated);
  }

  // Settlement ------------------------------------------------------------------------------------------------

  /** Policies confirmed in [from, to] (Asia/Shanghai days) for the caller's scope. */
  async function settlementRows(ctx: RequestContext, period: { from: string; to: string }) {
    if (period.to < period.from)
      throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'to', message: 'before from' }] });
    const start = new Date(Date.parse(`${period.from}T00:00:00+08:00`));
    const end = new Date(Date.parse(`${period.to}T00:00:00+08:00`) + DAY_MS);
    const scope: SQL | undefined = hasRole(ctx.actor, 'regulator')
      ? undefined
      : inArray(insurancePolicy.insurerId, insurerOrgs(ctx).length ? insurerOrgs(ctx) : ['-']);
    return db
      .select()
      .from(insurancePolicy)
      .where(
        and(
          isNotNull(insurancePolicy.confirmedAt),
          gte(insurancePolicy.confirmedAt, start),
          lt(insurancePolicy.confirmedAt, end),
          // Rejected policies never had a premium; terminated ones keep theirs (no refunds are modelled).
          ne(insurancePolicy.state, 'rejected'),
          scope,
        ),
      )
      .orderBy(asc(insurancePolicy.insurerId), asc(insurancePolicy.companyId), asc(insurancePolicy.number));
  }

  async function settlement(ctx: RequestContext, period: { from: string; to: string }) {
    const rows = await settlementRows(ctx, period);
    const views = await policyViews(rows);
    const groups = new Map<string, typeof views>();
    for (const v of views) {
      const key = `${v.insurer.id}|${v.company?.id ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    const lines = [...groups.values()].map((list) => ({
      insurer: list[0]!.insurer,
      company: list[0]!.company,
      policyCount: list.length,
      ...sumSplits(list),
      policies: list.map((p) => ({
        id: p.id,
        number: p.number,
        workerName: maskName(p.worker.name),
        product: p.product.title,
        startsOn: p.startsOn,
        endsOn: p.endsOn,
        confirmedAt: p.confirmedAt!,
        state: p.state,
        premiumFen: p.premiumFen,
        subsidyFen: p.subsidyFen,
        companyFen: p.companyFen,
        workerFen: p.workerFen,
      })),
    }));
    return {
      from: period.from,
      to: period.to,
      lines,
      total: { policyCount: views.length, ...sumSplits(views) },
    };
  }

  // Public surface --------------------------------------------------------------------------------------------

  return {
    /** Creates a product for an insurer the caller staffs. */
    async createProduct(ctx: RequestContext, insurerId: string, input: ProductInput) {
      requireInsurer(ctx, insurerId);
      const bad = input.coverage.findIndex((c) => !coverageFits(input.kind, c.code));
      if (bad >= 0)
        throw new AppError('INSURANCE_COVERAGE_INVALID', {
          issues: [{ path: `coverage.${bad}.code`, message: `not allowed for a ${input.kind} product` }],
        });
      if (new Set(input.coverage.map((c) => c.code)).size !== input.coverage.length)
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'coverage', message: 'duplicate item' }],
        });
      const now = clock();
      const row = await db.transaction(async (tx) => {
        const [p] = await tx
          .insert(insuranceProduct)
          .values({
            id: newId('ipd'),
            insurerId,
            title: input.title,
            kind: input.kind,
            coverage: input.coverage.map((c) => ({ ...c, label: coverageLabels[c.code] })),
            premiumFen: input.premiumFen,
            periodMonths: input.periodMonths,
            categories: input.categories,
            subsidyShareBp: input.subsidyShareBp,
            subsidyCapFen: input.subsidyCapFen,
            waitingDays: input.waitingDays,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await appendAudit(
          tx,
          ctx,
          { action: 'insurance.product.create', objectType: 'insurance_product', objectId: p!.id },
          now,
        );
        return p!;
      });
      return productView(row, (await orgs.getOrganization(insurerId))?.name ?? '');
    },

    /** Withdraws (or re-offers) a product; existing policies are unaffected. */
    async setProductActive(ctx: RequestContext, productId: string, active: boolean) {
      const p = await productById(productId);
      if (!p) throw new AppError('NOT_FOUND');
      requireInsurer(ctx, p.insurerId);
      const now = clock();
      const row = await db.transaction(async (tx) => {
        const [r] = await tx
          .update(insuranceProduct)
          .set({ active, updatedAt: now })
          .where(eq(insuranceProduct.id, p.id))
          .returning();
        await appendAudit(
          tx,
          ctx,
          {
            action: 'insurance.product.update',
            objectType: 'insurance_product',
            objectId: p.id,
            detail: { active },
          },
          now,
        );
        return r!;
      });
      return productView(row, (await orgs.getOrganization(p.insurerId))?.name ?? '');
    },

    /** An insurer's own products (all), or every offered product (active only) when insurerId is null. */
    async listProducts(ctx: RequestContext, insurerId: string | null) {
      if (insurerId) requireInsurer(ctx, insurerId);
      const rows = await db
        .select()
        .from(insuranceProduct)
        .where(insurerId ? eq(insuranceProduct.insurerId, insurerId) : eq(insuranceProduct.active, true))
        .orderBy(desc(insuranceProduct.id))
        .limit(200);
      const names = await orgNames(rows.map((r) => r.insurerId));
      return { items: rows.map((r) => productView(r, names.get(r.insurerId) ?? '')) };
    },

    /** A company enrols its own staff in bulk (all or nothing); the insurer confirms each policy. */
    async enrolStaff(ctx: RequestContext, companyId: string, input: EnrolInput) {
      requireCompany(ctx, companyId);
      return enrol(ctx, { ...input, workerIds: [...new Set(input.workerIds)] }, 'company', companyId);
    },

    /** A worker enrols alone and pays the part the subsidy does not cover. */
    async enrolSelf(ctx: RequestContext, input: Omit<EnrolInput, 'workerIds' | 'split'>) {
      const workerId = await ownWorkerId(ctx);
      if (!workerId) throw new AppError('NOT_FOUND');
      return enrol(ctx, { ...input, workerIds: [workerId], split: null }, 'worker', null);
    },

    /** Policies of a company's staff, newest first. */
    async listCompanyPolicies(
      ctx: RequestContext,
      companyId: string,
      q: { state?: PolicyState | undefined; cursor?: string | undefined; limit: number },
    ) {
      requireCompany(ctx, companyId);
      return listPolicies(eq(insurancePolicy.companyId, companyId), q);
    },

    /** Policies an insurer underwrites (its queue of pending enrolments with state=pending). */
    async listInsurerPolicies(
      ctx: RequestContext,
      insurerId: string,
      q: { state?: PolicyState | undefined; cursor?: string | undefined; limit: number },
    ) {
      requireInsurer(ctx, insurerId);
      return listPolicies(eq(insurancePolicy.insurerId, insurerId), q);
    },

    /** The signed-in worker's own policies. */
    async listMyPolicies(ctx: RequestContext) {
      const workerId = await ownWorkerId(ctx);
      if (!workerId) throw new AppError('NOT_FOUND');
      const rows = await db
        .select()
        .from(insurancePolicy)
        .where(eq(insurancePolicy.workerId, workerId))
        .orderBy(desc(insurancePolicy.id))
        .limit(100);
      return { items: await policyViews(rows) };
    },

    /** One policy with its product's coverage (insurer, company, the worker, regulator). */
    async getPolicy(ctx: RequestContext, policyId: string) {
      const p = await loadPolicy(policyId);
      const relation = await policyRelation(ctx, p);
      const product = (await productById(p.productId))!;
      const [view] = await policyViews([p]);
      const actions: PolicyAction[] = (['confirm', 'reject', 'withdraw', 'terminate'] as const).filter(
        (a) =>
          transitionPolicy({
            from: p.state as PolicyState,
            action: a,
            by: relation === 'insurer' ? 'insurer' : p.enrolledBy === relation ? 'enroller' : 'system',
            reason: 'x',
          }).ok,
      );
      return { ...view!, coverage: product.coverage, waitingDays: product.waitingDays, relation, actions };
    },

    /** Insurer confirms (承保) a pending policy. */
    async confirmPolicy(ctx: RequestContext, policyId: string) {
      const p = await loadPolicy(policyId);
      if ((await policyRelation(ctx, p)) !== 'insurer') throw new AppError('INSURANCE_NOT_YOUR_STEP');
      return this.getPolicy(ctx, (await policyStep(ctx, policyId, 'confirm', 'insurer', null)).id);
    },

    /** Insurer confirms several pending policies at once (a bulk enrolment); stops at the first refusal. */
    async confirmPolicies(ctx: RequestContext, insurerId: string, policyIds: string[]) {
      requireInsurer(ctx, insurerId);
      let confirmed = 0;
      for (const id of new Set(policyIds)) {
        const p = await loadPolicy(id);
        if (p.insurerId !== insurerId) throw new AppError('NOT_FOUND');
        await policyStep(ctx, id, 'confirm', 'insurer', null);
        confirmed++;
      }
      return { confirmed };
    },

    /** Insurer rejects (拒保) or terminates a policy, or the enroller withdraws a pending one. */
    async changePolicy(
      ctx: RequestContext,
      policyId: string,
      action: 'reject' | 'terminate' | 'withdraw',
      reason: string | null,
    ) {
      const p = await loadPolicy(policyId);
      const rel = await policyRelation(ctx, p);
      const party: PolicyParty = rel === 'insurer' ? 'insurer' : p.enrolledBy === rel ? 'enroller' : 'system';
      if (party === 'system') throw new AppError('INSURANCE_NOT_YOUR_STEP');
      await policyStep(ctx, policyId, action, party, reason);
      return this.getPolicy(ctx, policyId);
    },

    /** The policy certificate (保险凭证) as a Chinese PDF, for the insurer, the company and the worker. */
    async certificatePdf(ctx: RequestContext, policyId: string): Promise<{ number: string; pdf: Buffer }> {
      const p = await loadPolicy(policyId);
      await policyRelation(ctx, p);
      if (p.state !== 'active' && p.state !== 'expired') throw new AppError('INSURANCE_INVALID_TRANSITION');
      const product = (await productById(p.productId))!;
      const [v] = await policyViews([p]);
      const pdf = await renderPolicyCertificatePdf({
        number: p.number,
        insuredName: v!.worker.name,
        insurer: v!.insurer.name,
        company: v!.company?.name ?? '个人投保',
        product: product.title,
        kind: product.kind as ProductKind,
        startsOn: p.startsOn,
        endsOn: p.endsOn,
        coverage: product.coverage,
        premiumFen: p.premiumFen,
        subsidyFen: p.subsidyFen,
        companyFen: p.companyFen,
        workerFen: p.workerFen,
        waitingDays: product.waitingDays,
        issuedOn: shanghaiDay(p.confirmedAt ?? clock()),
      });
      return { number: p.number, pdf };
    },

    /** Reports a claim (报案); the insured worker, the policy's company, or a resident for liability. */
    async fileClaim(ctx: RequestContext, input: ClaimInput) {
      const { policy, reporterKind, reporterOrgId } = await resolveClaim(ctx, input);
      const row = await db.transaction(async (tx) => {
        const now = clock();
        const [c] = await tx
          .insert(insuranceClaim)
          .values({
            id: newId('clm'),
            number: await nextNumber(tx, 'LP', now),
            policyId: policy.id,
            insurerId: policy.insurerId,
            workerId: policy.workerId,
            companyId: policy.companyId,
            reporterUserId: ctx.actor!.userId,
            reporterKind,
            reporterOrgId,
            orderId: input.orderId ?? null,
            coverageCode: input.coverageCode,
            incidentOn: input.incidentOn,
            placeEnc: pii.encrypt(input.place, PLACE_AAD),
            description: input.description,
            evidence: input.evidence.map((note) => ({ note, at: now.toISOString(), by: reporterKind })),
            claimedFen: input.claimedFen,
            state: 'reported',
            dueAt: dueFor('reported', now),
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await claimHistory(
          tx,
          ctx,
          c!,
          { action: 'report', from: null, to: 'reported', party: 'claimant', amountFen: input.claimedFen },
          now,
        );
        return c!;
      });
      await tellClaim(row, `报案金额 ${amountFigure(row.claimedFen)} 元`);
      return claimView(ctx, row);
    },

    /** One claim with its history and the steps the caller may take. */
    async getClaim(ctx: RequestContext, claimId: string) {
      const [c] = await db.select().from(insuranceClaim).where(eq(insuranceClaim.id, claimId)).limit(1);
      if (!c) throw new AppError('NOT_FOUND');
      return claimView(ctx, c);
    },

    /** An insurer's claims queue, newest first, each with its SLA timer (filter by state for the open ones). */
    async listInsurerClaims(
      ctx: RequestContext,
      insurerId: string,
      q: { state?: ClaimState | undefined; cursor?: string | undefined; limit: number },
    ) {
      requireInsurer(ctx, insurerId);
      return listClaims(eq(insuranceClaim.insurerId, insurerId), q);
    },

    /** Claims of a company's insured staff (those it reported or that concern its policies). */
    async listCompanyClaims(
      ctx: RequestContext,
      companyId: string,
      q: { state?: ClaimState | undefined; cursor?: string | undefined; limit: number },
    ) {
      requireCompany(ctx, companyId);
      return listClaims(
        and(eq(insuranceClaim.companyId, companyId), ne(insuranceClaim.reporterKind, 'resident')),
        q,
      );
    },

    /** Claims the caller reported, or (for a worker) that concern them. */
    async listMyClaims(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      const workerId = await ownWorkerId(ctx);
      return listClaims(
        or(
          eq(insuranceClaim.reporterUserId, ctx.actor!.userId),
          workerId ? eq(insuranceClaim.workerId, workerId) : undefined,
        ),
        q,
      );
    },

    /** One claim step (审核, 补充材料, 核定, 拒赔, 赔付, 撤回) under the claim state machine. */
    claimStep,

    /** Subsidy owed per insurer and company for policies confirmed in the period, with the policies behind each. */
    settlement,

    /** The settlement as rows for a spreadsheet (xlsx/CSV), Chinese headers first. */
    async settlementTable(ctx: RequestContext, period: { from: string; to: string }) {
      const s = await settlement(ctx, period);
      const header = [
        '保险机构',
        '投保单位',
        '保单号',
        '被保险人',
        '产品',
        '保障起期',
        '保障止期',
        '承保时间',
        '状态',
        '保费(元)',
        '财政补贴(元)',
        '企业承担(元)',
        '个人承担(元)',
      ];
      const yuan = (f: number) => (f / 100).toFixed(2);
      const rows: string[][] = [];
      for (const l of s.lines) {
        for (const p of l.policies)
          rows.push([
            l.insurer.name,
            l.company?.name ?? '个人投保',
            p.number,
            p.workerName,
            p.product,
            p.startsOn,
            p.endsOn,
            p.confirmedAt,
            policyStateZh[p.state],
            yuan(p.premiumFen),
            yuan(p.subsidyFen),
            yuan(p.companyFen),
            yuan(p.workerFen),
          ]);
        rows.push([
          l.insurer.name,
          l.company?.name ?? '个人投保',
          `小计（${l.policyCount} 份）`,
          '',
          '',
          '',
          '',
          '',
          '',
          yuan(l.premiumFen),
          yuan(l.subsidyFen),
          yuan(l.companyFen),
          yuan(l.workerFen),
        ]);
      }
      rows.push([
        '合计',
        '',
        `${s.total.policyCount} 份`,
        '',
        '',
        '',
        '',
        '',
        '',
        yuan(s.total.premiumFen),
        yuan(s.total.subsidyFen),
        yuan(s.total.companyFen),
        yuan(s.total.workerFen),
      ]);
      return { header, rows, title: `保险补贴结算 ${period.from} 至 ${period.to}` };
    },

    /** What the public verification page shows: 已投保，保障至 <date>, or 未投保. */
    async verificationStatus(
      workerId: string,
    ): Promise<{ status: 'insured' | 'none'; label: string; until: string | null }> {
      const today = shanghaiDay(clock());
      const [p] = await db
        .select({ endsOn: insurancePolicy.endsOn })
        .from(insurancePolicy)
        .where(
          and(
            eq(insurancePolicy.workerId, workerId),
            eq(insurancePolicy.state, 'active'),
            lte(insurancePolicy.startsOn, today),
            gte(insurancePolicy.endsOn, today),
          ),
        )
        .orderBy(desc(insurancePolicy.endsOn))
        .limit(1);
      return p
        ? { status: 'insured', label: `已投保，保障至 ${p.endsOn}`, until: p.endsOn }
        : { status: 'none', label: '未投保', until: null };
    },

    /** The worker's policies and claims for their e-file (一档). */
    async efileSection(workerId: string) {
      const rows = await db
        .select()
        .from(insurancePolicy)
        .where(eq(insurancePolicy.workerId, workerId))
        .orderBy(desc(insurancePolicy.startsOn))
        .limit(200);
      return { policies: await policyViews(rows) };
    },

    /**
     * The daily job: expires policies past their last day, sends renewal reminders once, and notifies the party
     * whose claim SLA passed (once per state). Returns counts for the log.
     */
    async runDue(ctx: RequestContext) {
      const now = clock();
      const today = shanghaiDay(now);
      let expired = 0;
      let reminded = 0;
      let breached = 0;
      const ending = await db
        .select({ id: insurancePolicy.id })
        .from(insurancePolicy)
        .where(and(eq(insurancePolicy.state, 'active'), lt(insurancePolicy.endsOn, today)))
        .limit(1000);
      for (const { id } of ending) {
        await policyStep(ctx, id, 'expire', 'system', null);
        expired++;
      }
      const renew = await db
        .select()
        .from(insurancePolicy)
        .where(
          and(
            eq(insurancePolicy.state, 'active'),
            lte(insurancePolicy.endsOn, addDays(today, RENEWAL_NOTICE_DAYS)),
            sql`${insurancePolicy.renewalRemindedAt} is null`,
          ),
        )
        .limit(1000);
      for (const p of renew) {
        const [claimed] = await db
          .update(insurancePolicy)
          .set({ renewalRemindedAt: now })
          .where(and(eq(insurancePolicy.id, p.id), sql`${insurancePolicy.renewalRemindedAt} is null`))
          .returning({ id: insurancePolicy.id });
        if (!claimed) continue;
        await tellPolicy(p, `保单 ${p.number} 即将到期`, `保障将于 ${p.endsOn} 结束，请及时续保`);
        reminded++;
      }
      const late = await db
        .select()
        .from(insuranceClaim)
        .where(and(lt(insuranceClaim.dueAt, now), sql`${insuranceClaim.slaBreachNotifiedAt} is null`))
        .limit(1000);
      for (const c of late) {
        const [claimed] = await db
          .update(insuranceClaim)
          .set({ slaBreachNotifiedAt: now })
          .where(and(eq(insuranceClaim.id, c.id), sql`${insuranceClaim.slaBreachNotifiedAt} is null`))
          .returning({ id: insuranceClaim.id });
        if (!claimed) continue;
        const turn = claimTurn[c.state as ClaimState];
        const title = `理赔 ${c.number} 已超过办理时限`;
        const body = `状态：${claimStateZh[c.state as ClaimState]}，时限 ${shanghaiMinute(c.dueAt!)}（北京时间）`;
        if (turn === 'insurer')
          await notifications.notify({
            orgId: c.insurerId,
            kind: 'insurance.claim_sla',
            title,
            body,
            link: `/insurer/claims/${c.id}`,
          });
        else
          await notifications.notify({
            userId: c.reporterUserId,
            kind: 'insurance.claim_sla',
            title,
            body,
            link: '/worker/insurance',
          });
        breached++;
      }
      return { expired, reminded, breached };
    },
  };

  async function listPolicies(
    scope: SQL | undefined,
    q: { state?: PolicyState | undefined; cursor?: string | undefined; limit: number },
  ) {
    const cur = decodeCursor(q.cursor, idCursor);
    const rows = await db
      .select()
      .from(insurancePolicy)
      .where(
        and(
          scope,
          q.state ? eq(insurancePolicy.state, q.state) : undefined,
          cur ? lt(insurancePolicy.id, cur.id) : undefined,
        ),
      )
      .orderBy(desc(insurancePolicy.id))
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
    return { items: await policyViews(page.items), nextCursor: page.nextCursor };
  }

  async function listClaims(
    scope: SQL | undefined,
    q: { state?: ClaimState | undefined; cursor?: string | undefined; limit: number },
  ) {
    const cur = decodeCursor(q.cursor, idCursor);
    const rows = await db
      .select()
      .from(insuranceClaim)
      .where(
        and(
          scope,
          q.state ? eq(insuranceClaim.state, q.state) : undefined,
          cur ? lt(insuranceClaim.id, cur.id) : undefined,
        ),
      )
      .orderBy(desc(insuranceClaim.id))
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
    const now = clock();
    const names = await workers.namesOf([...new Set(page.items.map((r) => r.workerId))]);
    return {
      items: page.items.map((c) => ({ ...claimSummary(c, now), workerName: names.get(c.workerId) ?? '' })),
      nextCursor: page.nextCursor,
    };
  }
}

export type InsuranceService = ReturnType<typeof createInsuranceService>;

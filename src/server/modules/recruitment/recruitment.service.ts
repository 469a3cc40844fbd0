import { randomBytes } from 'node:crypto';
import { and, asc, type Column, count, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { labelOf, serviceCategories } from '../../../shared/domain.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError, type ErrorCode } from '../../platform/errors.js';
import { hasRole, orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import { enqueueEvent } from '../../platform/outbox/outbox.js';
import type { NotificationsService } from '../notifications/index.js';
import type { OrgsService } from '../orgs/index.js';
import {
  type ApplicationAction,
  type ApplicationParty,
  type ApplicationState,
  applicationActionsFor,
  endsUnhired,
  transitionApplication,
} from './application-status.js';
import { addMonths, type EmploymentSpan, summarize, traineeOutcome } from './cohort-stats.js';
import {
  assessLikelyWorker,
  type LikelySignal,
  likelySignals,
  type RegistrationStep,
  stepLabels,
} from './likely-workers.js';
import { matchesSearch, rankPosts, unmetRequirements, type WorkerProfile } from './matching.js';
import {
  recruitmentAlert,
  recruitmentApplication,
  recruitmentApplicationEvent,
  recruitmentCohort,
  recruitmentCohortTrainee,
  recruitmentContactConsent,
  recruitmentFair,
  recruitmentFairCompany,
  recruitmentFairRegistration,
  recruitmentPost,
  recruitmentSavedSearch,
} from './recruitment.tables.js';
import { type Benefit, checkPostTerms, minimumWageFor, type PostMode } from './rules.js';

export type PostRow = typeof recruitmentPost.$inferSelect;
export type ApplicationRow = typeof recruitmentApplication.$inferSelect;
export type FairRow = typeof recruitmentFair.$inferSelect;
export type CohortRow = typeof recruitmentCohort.$inferSelect;

export interface RecruitmentEvents {
  'recruitment.post_published': { postId: string };
  'recruitment.hired': { applicationId: string; workerId: string; companyId: string; employmentId: string };
}

export interface RecruitmentDeps {
  db: Db;
  clock: () => Date;
  /** Workers enrolled in a training class (a 当家政 signal); absent in tests that do not wire training. */
  training?: { enrolledWorkerIds(only?: string[]): Promise<string[]> };
  notifications: Pick<NotificationsService, 'notify'>;
  orgs: Pick<OrgsService, 'getOrganization'>;
  workers: {
    findWorkerIdByUser(userId: string): Promise<string | null>;
    trustFacts(workerId: string): Promise<{ userId: string | null } | null>;
    namesOf(workerIds: string[]): Promise<Map<string, string>>;
    /** The certificate facts of many workers at once (for 当家政: which checks are still open). */
    trustFactsMany(workerIds: string[]): Promise<
      Map<
        string,
        {
          userId: string | null;
          identity: { verified: boolean };
          health: { state: string };
          background: { state: string };
          training: { state: string };
          skillCert: { state: string };
        }
      >
    >;
    searchSources(q: { ids?: string[]; limit?: number }): Promise<
      {
        id: string;
        district: string | null;
        categories: string[];
        skillLevel: string | null;
        yearsExperience: number | null;
        age: number;
      }[]
    >;
    hireOnAcceptedOffer(
      ctx: RequestContext,
      input: { companyId: string; workerId: string; applicationId: string },
      tx: DbOrTx,
    ): Promise<{ id: string; startedAt: string }>;
    employmentSpansOf(
      workerIds: string[],
    ): Promise<{ workerId: string; companyId: string; startedAt: Date; endedAt: Date | null }[]>;
  };
  efile: {
    grantForApplication(
      input: { workerId: string; granteeUserId: string; granteeOrgId: string; expiresAt: Date },
      q: DbOrTx,
    ): Promise<string>;
    revokeApplicationGrant(grantId: string, q: DbOrTx): Promise<void>;
  };
  /** Whether the worker's 安心服务证 is green now (certification module). */
  certifiedOf: (workerId: string) => Promise<boolean>;
  /** Schedules a video interview through messaging; returns its id and time. */
  scheduleInterview: (
    ctx: RequestContext,
    input: { workerId: string; companyId: string; scheduledAt: string; durationMinutes: number },
  ) => Promise<{ id: string; scheduledAt: string }>;
  publicUrl: string;
}

export interface PostInput {
  title: string;
  category: string;
  mode: PostMode;
  district: string;
  location: string;
  salaryMinFen: number;
  salaryMaxFen: number;
  minLevel?: string | null | undefined;
  certificateRequired: boolean;
  minExperienceYears: number;
  minAge: number;
  maxAge: number;
  benefits: Benefit[];
  description: string;
  headcount: number;
  closesOn: string;
  fairId?: string | null | undefined;
}

export interface PostSearch {
  category?: string | undefined;
  mode?: PostMode | undefined;
  district?: string | undefined;
  keyword?: string | undefined;
  minSalaryFen?: number | undefined;
  fairId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface SavedSearchInput {
  name: string;
  categories: string[];
  modes: PostMode[];
  district?: string | null | undefined;
  minSalaryFen?: number | null | undefined;
  keyword?: string | null | undefined;
  alerts: boolean;
}

export interface FairInput {
  title: string;
  format: 'online' | 'venue';
  venue?: string | null | undefined;
  district?: string | null | undefined;
  startsAt: string;
  endsAt: string;
}

export interface CohortInput {
  name: string;
  sourceRegionCode: string;
  sourceRegionName: string;
  trainingClassId?: string | null | undefined;
  plannedArrivalOn: string;
  destinationDistrict?: string | null | undefined;
}

const stateZh: Record<ApplicationState, string> = {
  new: '新申请',
  shortlisted: '已入围',
  interview: '面试中',
  offer: '已发录用',
  hired: '已入职',
  rejected: '未录用',
  withdrawn: '已撤回',
  declined: '已婉拒',
};
/** Applications keep the recruiter's e-file view this long after the post closes. */
const GRANT_DAYS_AFTER_CLOSE = 30;
/** Workers may check in from two hours before a fair opens until it ends. */
const CHECKIN_EARLY_MS = 2 * 3600_000;
const DAY_MS = 86_400_000;
/** The public fair list's cursor: the last fair's start time and id. */
const publicFairCursor = z.object({ s: z.iso.datetime(), id: z.string().max(64) });

/** A likely worker is invited at most once in this many days. */
const INVITE_INTERVAL_DAYS = 30;

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
      ? 'RECRUITMENT_REASON_REQUIRED'
      : error === 'not_your_step'
        ? 'RECRUITMENT_NOT_YOUR_STEP'
        : 'RECRUITMENT_INVALID_TRANSITION';
  return new AppError(code);
}

const issueCode: Record<string, ErrorCode> = {
  AGE_BELOW_LEGAL: 'RECRUITMENT_AGE_UNLAWFUL',
  AGE_RANGE: 'RECRUITMENT_AGE_UNLAWFUL',
  BELOW_MINIMUM_WAGE: 'RECRUITMENT_BELOW_MINIMUM_WAGE',
  SALARY_RANGE: 'VALIDATION_FAILED',
  DISCRIMINATORY: 'RECRUITMENT_DISCRIMINATORY',
};

/** Recruitment: job posts, applications and the hand-off to employment, fairs, cohorts (订单班), statistics. */
export function createRecruitmentService(deps: RecruitmentDeps) {
  const { db, clock, orgs, workers, notifications } = deps;

  // Helpers ---------------------------------------------------------------------------------------------------

  function companyOrgs(ctx: RequestContext): string[] {
    return ctx.actor ? orgIdsOf(ctx.actor, 'company') : [];
  }
  function requireCompany(ctx: RequestContext, orgId: string) {
    if (!companyOrgs(ctx).includes(orgId)) throw new AppError('NOT_FOUND');
  }
  function requireRegulator(ctx: RequestContext) {
    if (!hasRole(ctx.actor, 'regulator', 'platform_admin')) throw new AppError('FORBIDDEN');
  }
  /** The district a regulator is held to; null for a city-level regulator or a platform admin. */
  function ownDistrict(ctx: RequestContext): string | null {
    if (hasRole(ctx.actor, 'platform_admin')) return null;
    return ctx.actor?.regulatorDistrict ?? null;
  }
  /** Whether a district (null = city-wide) lies in the caller's scope. */
  function inScope(ctx: RequestContext, district: string | null): boolean {
    const own = ownDistrict(ctx);
    return !own || (!!district && district.startsWith(own));
  }
  /** The district to report on: a district regulator gets theirs, and asking for another is refused (403). */
  function scopeDistrict(ctx: RequestContext, asked: string | null | undefined): string | null {
    const own = ownDistrict(ctx);
    if (!own) return asked ?? null;
    if (asked && !asked.startsWith(own)) throw new AppError('RECRUITMENT_OUT_OF_DISTRICT');
    return asked ?? own;
  }
  async function ownWorkerId(ctx: RequestContext): Promise<string | null> {
    return ctx.actor?.roles.includes('worker') ? workers.findWorkerIdByUser(ctx.actor.userId) : null;
  }
  async function requireWorker(ctx: RequestContext): Promise<string> {
    const id = await ownWorkerId(ctx);
    if (!id) throw new AppError('NOT_FOUND');
    return id;
  }
  async function orgNames(ids: (string | null)[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of new Set(ids.filter((x): x is string => !!x))) {
      const o = await orgs.getOrganization(id);
      if (o) out.set(id, o.name);
    }
    return out;
  }
  const isOpen = (p: PostRow, today: string) => p.state === 'open' && p.closesOn >= today;

  async function loadPost(id: string, q: DbOrTx = db): Promise<PostRow> {
    const [p] = await q.select().from(recruitmentPost).where(eq(recruitmentPost.id, id)).limit(1);
    if (!p) throw new AppError('NOT_FOUND');
    return p;
  }
  async function loadFair(id: string): Promise<FairRow> {
    const [f] = await db.select().from(recruitmentFair).where(eq(recruitmentFair.id, id)).limit(1);
    if (!f) throw new AppError('NOT_FOUND');
    return f;
  }

  async function postViews(rows: PostRow[]) {
    const names = await orgNames(rows.map((r) => r.companyId));
    const today = shanghaiDay(clock());
    const ids = rows.map((r) => r.id);
    const counts = ids.length
      ? await db
          .select({
            postId: recruitmentApplication.postId,
            total: count(),
            hired: sql<number>`count(*) filter (where ${recruitmentApplication.state} = 'hired')`.mapWith(
              Number,
            ),
          })
          .from(recruitmentApplication)
          .where(inArray(recruitmentApplication.postId, ids))
          .groupBy(recruitmentApplication.postId)
      : [];
    const byPost = new Map(counts.map((c) => [c.postId, c]));
    return rows.map((p) => ({
      id: p.id,
      company: { id: p.companyId, name: names.get(p.companyId) ?? '' },
      fairId: p.fairId,
      title: p.title,
      category: p.category,
      categoryLabel: labelOf(serviceCategories, p.category),
      mode: p.mode as PostMode,
      district: p.district,
      location: p.location,
      salaryMinFen: p.salaryMinFen,
      salaryMaxFen: p.salaryMaxFen,
      minLevel: p.minLevel,
      certificateRequired: p.certificateRequired,
      minExperienceYears: p.minExperienceYears,
      minAge: p.minAge,
      maxAge: p.maxAge,
      benefits: p.benefits as Benefit[],
      description: p.description,
      headcount: p.headcount,
      closesOn: p.closesOn,
      open: isOpen(p, today),
      applications: Number(byPost.get(p.id)?.total ?? 0),
      hired: byPost.get(p.id)?.hired ?? 0,
      createdAt: p.createdAt.toISOString(),
    }));
  }

  async function profileOf(workerId: string): Promise<WorkerProfile> {
    const [src] = await workers.searchSources({ ids: [workerId] });
    if (!src) throw new AppError('WORKER_NOT_ACTIVE');
    const searches = await db
      .select({ modes: recruitmentSavedSearch.modes })
      .from(recruitmentSavedSearch)
      .where(eq(recruitmentSavedSearch.workerId, workerId));
    return {
      categories: src.categories,
      skillLevel: src.skillLevel,
      yearsExperience: src.yearsExperience,
      age: src.age,
      district: src.district,
      certified: await deps.certifiedOf(workerId),
      preferredModes: [...new Set(searches.flatMap((s) => s.modes as PostMode[]))],
    };
  }

  /** How the caller relates to an application; 404 when they may not see it (another company's applicant). */
  async function applicationParty(ctx: RequestContext, a: ApplicationRow): Promise<ApplicationParty> {
    if (companyOrgs(ctx).includes(a.companyId)) return 'company';
    if ((await ownWorkerId(ctx)) === a.workerId) return 'worker';
    throw new AppError('NOT_FOUND');
  }

  async function applicationViews(rows: ApplicationRow[], party: ApplicationParty) {
    const posts = new Map<string, PostRow>();
    for (const id of new Set(rows.map((r) => r.postId))) posts.set(id, await loadPost(id));
    const names = await workers.namesOf(rows.map((r) => r.workerId));
    const companyNames = await orgNames(rows.map((r) => r.companyId));
    const profiles = new Map(
      (await workers.searchSources({ ids: [...new Set(rows.map((r) => r.workerId))] })).map((s) => [s.id, s]),
    );
    return rows.map((a) => {
      const p = posts.get(a.postId)!;
      const w = profiles.get(a.workerId);
      return {
        id: a.id,
        post: { id: p.id, title: p.title, category: p.category, mode: p.mode as PostMode },
        company: { id: a.companyId, name: companyNames.get(a.companyId) ?? '' },
        worker: {
          id: a.workerId,
          name: names.get(a.workerId) ?? '',
          age: w?.age ?? null,
          categories: w?.categories ?? [],
          skillLevel: w?.skillLevel ?? null,
          yearsExperience: w?.yearsExperience ?? null,
          district: w?.district ?? null,
        },
        fairId: a.fairId,
        coverNote: a.coverNote,
        state: a.state as ApplicationState,
        stateLabel: stateZh[a.state as ApplicationState],
        interviewId: a.interviewId,
        employmentId: a.employmentId,
        hiredAt: a.hiredAt?.toISOString() ?? null,
        actions: applicationActionsFor(a.state as ApplicationState, party),
        createdAt: a.createdAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
      };
    });
  }

  async function history(applicationId: string) {
    const rows = await db
      .select()
      .from(recruitmentApplicationEvent)
      .where(eq(recruitmentApplicationEvent.applicationId, applicationId))
      .orderBy(asc(recruitmentApplicationEvent.at), asc(recruitmentApplicationEvent.id));
    return rows.map((e) => ({
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      party: e.party as ApplicationParty,
      note: e.note,
      at: e.at.toISOString(),
    }));
  }

  /** The worker's account (for notices), from the trust record. */
  async function accountOf(workerId: string): Promise<string | null> {
    return (await workers.trustFacts(workerId))?.userId ?? null;
  }
  async function tellWorker(workerId: string, title: string, body: string) {
    const userId = await accountOf(workerId);
    if (userId)
      await notifications.notify({
        userId,
        kind: 'recruitment.application',
        title,
        body,
        link: '/worker/jobs',
      });
  }

  /** One state change of an application, under a row lock, with its history row and audit row. */
  async function step(
    ctx: RequestContext,
    applicationId: string,
    action: ApplicationAction,
    input: { reason?: string | null | undefined },
    extra?: (tx: DbOrTx, a: ApplicationRow) => Promise<Partial<ApplicationRow>>,
  ) {
    const [pre] = await db
      .select()
      .from(recruitmentApplication)
      .where(eq(recruitmentApplication.id, applicationId))
      .limit(1);
    if (!pre) throw new AppError('NOT_FOUND');
    const party = await applicationParty(ctx, pre);
    const now = clock();
    const updated = await db.transaction(async (tx) => {
      const [a] = await tx
        .select()
        .from(recruitmentApplication)
        .where(eq(recruitmentApplication.id, applicationId))
        .for('update');
      if (!a) throw new AppError('NOT_FOUND');
      const t = transitionApplication({
        from: a.state as ApplicationState,
        action,
        by: party,
        reason: input.reason,
      });
      if (!t.ok) throw transitionError(t.error);
      const post = await loadPost(a.postId, tx);
      if (action === 'offer') {
        if (!isOpen(post, shanghaiDay(now))) throw new AppError('RECRUITMENT_POST_CLOSED');
        const [taken] = await tx
          .select({ n: count() })
          .from(recruitmentApplication)
          .where(
            and(
              eq(recruitmentApplication.postId, post.id),
              inArray(recruitmentApplication.state, ['offer', 'hired']),
            ),
          );
        if (Number(taken?.n ?? 0) >= post.headcount) throw new AppError('RECRUITMENT_HEADCOUNT_FILLED');
      }
      let changes: Partial<ApplicationRow> = extra ? await extra(tx, a) : {};
      if (action === 'accept') {
        const emp = await workers.hireOnAcceptedOffer(
          ctx,
          { companyId: a.companyId, workerId: a.workerId, applicationId: a.id },
          tx,
        );
        changes = { ...changes, employmentId: emp.id, hiredAt: now };
        await enqueueEvent<RecruitmentEvents>(tx, {
          topic: 'recruitment.hired',
          payload: {
            applicationId: a.id,
            workerId: a.workerId,
            companyId: a.companyId,
            employmentId: emp.id,
          },
        });
      }
      if (endsUnhired(t.to) && a.efileGrantId) await deps.efile.revokeApplicationGrant(a.efileGrantId, tx);
      const [row] = await tx
        .update(recruitmentApplication)
        .set({ ...changes, state: t.to, updatedAt: now })
        .where(eq(recruitmentApplication.id, a.id))
        .returning();
      await tx.insert(recruitmentApplicationEvent).values({
        id: newId('rae'),
        applicationId: a.id,
        action,
        fromState: a.state,
        toState: t.to,
        party,
        actorId: ctx.actor?.userId ?? null,
        note: input.reason?.trim() || null,
        at: now,
      });
      await appendAudit(
        tx,
        ctx,
        {
          action: `recruitment.application.${action}`,
          objectType: 'recruitment_application',
          objectId: a.id,
          detail: { from: a.state, to: t.to, postId: a.postId },
        },
        now,
      );
      return row!;
    });
    const label = stateZh[updated.state as ApplicationState];
    if (party === 'company') await tellWorker(updated.workerId, '求职进展 / Application update', label);
    else
      await notifications.notify({
        orgId: updated.companyId,
        kind: 'recruitment.application',
        title: '应聘者回复 / Applicant replied',
        body: label,
        link: '/company/recruiting',
      });
    return (await applicationViews([updated], party))[0]!;
  }

  /** Cohorts placed in a district (prefix), or all when null. */
  const cohortScope = (district: string | null) =>
    district ? sql`${recruitmentCohort.destinationDistrict} like ${`${district}%`}` : undefined;

  /** A cohort the regulator may see; another district's cohort is hidden (404), as cohorts are not public. */
  async function loadCohort(ctx: RequestContext, cohortId: string): Promise<CohortRow> {
    requireRegulator(ctx);
    const [c] = await db.select().from(recruitmentCohort).where(eq(recruitmentCohort.id, cohortId));
    if (!c || !inScope(ctx, c.destinationDistrict)) throw new AppError('NOT_FOUND');
    return c;
  }

  async function cohortOutcomes(c: CohortRow, now: Date) {
    const trainees = await db
      .select()
      .from(recruitmentCohortTrainee)
      .where(eq(recruitmentCohortTrainee.cohortId, c.id))
      .orderBy(asc(recruitmentCohortTrainee.addedAt), asc(recruitmentCohortTrainee.workerId));
    const ids = trainees.map((t) => t.workerId);
    const spans = await workers.employmentSpansOf(ids);
    const today = shanghaiDay(now);
    const arrival = c.arrivedOn ?? c.plannedArrivalOn;
    return trainees.map((t) => {
      const mine: EmploymentSpan[] = spans
        .filter((s) => s.workerId === t.workerId)
        .map((s) => ({
          companyId: s.companyId,
          startedOn: shanghaiDay(s.startedAt),
          endedOn: s.endedAt ? shanghaiDay(s.endedAt) : null,
        }));
      return { workerId: t.workerId, outcome: traineeOutcome(arrival, mine, today) };
    });
  }

  async function cohortView(c: CohortRow, now: Date) {
    const outcomes = await cohortOutcomes(c, now);
    return {
      id: c.id,
      name: c.name,
      sourceRegionCode: c.sourceRegionCode,
      sourceRegionName: c.sourceRegionName,
      trainingClassId: c.trainingClassId,
      plannedArrivalOn: c.plannedArrivalOn,
      arrivedOn: c.arrivedOn,
      destinationDistrict: c.destinationDistrict,
      summary: summarize(outcomes.map((o) => o.outcome)),
    };
  }

  function fairView(f: FairRow, extra: { companies: number; registrations: number; checkedIn: number }) {
    const now = clock().getTime();
    return {
      id: f.id,
      title: f.title,
      format: f.format as 'online' | 'venue',
      venue: f.venue,
      district: f.district,
      startsAt: f.startsAt.toISOString(),
      endsAt: f.endsAt.toISOString(),
      phase: (now < f.startsAt.getTime() ? 'upcoming' : now <= f.endsAt.getTime() ? 'running' : 'ended') as
        | 'upcoming'
        | 'running'
        | 'ended',
      ...extra,
    };
  }

  async function fairCounts(fairIds: string[]) {
    const out = new Map<string, { companies: number; registrations: number; checkedIn: number }>();
    for (const id of fairIds) out.set(id, { companies: 0, registrations: 0, checkedIn: 0 });
    if (!fairIds.length) return out;
    const cs = await db
      .select({ fairId: recruitmentFairCompany.fairId, n: count() })
      .from(recruitmentFairCompany)
      .where(inArray(recruitmentFairCompany.fairId, fairIds))
      .groupBy(recruitmentFairCompany.fairId);
    for (const c of cs) out.get(c.fairId)!.companies = Number(c.n);
    const rs = await db
      .select({
        fairId: recruitmentFairRegistration.fairId,
        n: count(),
        checked: count(recruitmentFairRegistration.checkedInAt),
      })
      .from(recruitmentFairRegistration)
      .where(inArray(recruitmentFairRegistration.fairId, fairIds))
      .groupBy(recruitmentFairRegistration.fairId);
    for (const r of rs) {
      out.get(r.fairId)!.registrations = Number(r.n);
      out.get(r.fairId)!.checkedIn = Number(r.checked);
    }
    return out;
  }

  function consentView(c: typeof recruitmentContactConsent.$inferSelect | undefined) {
    return {
      optedIn: !!c && !c.withdrawnAt,
      grantedAt: c && !c.withdrawnAt ? c.grantedAt.toISOString() : null,
      withdrawnAt: c?.withdrawnAt?.toISOString() ?? null,
    };
  }

  async function publicFairView(f: FairRow) {
    const companies = await db
      .select({ companyId: recruitmentFairCompany.companyId })
      .from(recruitmentFairCompany)
      .where(eq(recruitmentFairCompany.fairId, f.id))
      .orderBy(asc(recruitmentFairCompany.joinedAt));
    const names = await orgNames(companies.map((c) => c.companyId));
    const today = shanghaiDay(clock());
    const posts = await db
      .select()
      .from(recruitmentPost)
      .where(
        and(
          eq(recruitmentPost.fairId, f.id),
          eq(recruitmentPost.state, 'open'),
          gte(recruitmentPost.closesOn, today),
        ),
      )
      .orderBy(desc(recruitmentPost.id))
      .limit(200);
    const views = await postViews(posts);
    const {
      registrations: _r,
      checkedIn: _c,
      ...fair
    } = fairView(f, { companies: 0, registrations: 0, checkedIn: 0 });
    return {
      ...fair,
      companies: companies.map((c) => ({
        id: c.companyId,
        name: names.get(c.companyId) ?? '',
        posts: views
          .filter((v) => v.company.id === c.companyId)
          .map(({ applications: _a, hired: _h, ...v }) => v),
      })),
    };
  }

  /**
   * Candidates for 当家政: workers with a job-seeking signal (fair registration, cohort, saved search in this
   * module; enrolment in a training class from the training module), judged by likely-workers.ts against their
   * trust record and employment history; in a district (prefix).
   */
  async function assessLikely(district: string | null, only?: string[]) {
    const ids = new Set<string>();
    const signals = new Map<string, Set<LikelySignal>>();
    const add = (rows: { workerId: string }[], sig: LikelySignal) => {
      for (const r of rows) {
        ids.add(r.workerId);
        const set = signals.get(r.workerId) ?? new Set<LikelySignal>();
        set.add(sig);
        signals.set(r.workerId, set);
      }
    };
    const filter = (col: Column) => (only ? inArray(col, only.length ? only : ['']) : undefined);
    add(
      await db
        .selectDistinct({ workerId: recruitmentFairRegistration.workerId })
        .from(recruitmentFairRegistration)
        .where(filter(recruitmentFairRegistration.workerId)),
      'fair',
    );
    add(
      await db
        .selectDistinct({ workerId: recruitmentCohortTrainee.workerId })
        .from(recruitmentCohortTrainee)
        .where(filter(recruitmentCohortTrainee.workerId)),
      'cohort',
    );
    add(
      await db
        .selectDistinct({ workerId: recruitmentSavedSearch.workerId })
        .from(recruitmentSavedSearch)
        .where(filter(recruitmentSavedSearch.workerId)),
      'saved_search',
    );
    if (deps.training)
      add(
        (await deps.training.enrolledWorkerIds(only)).map((workerId) => ({ workerId })),
        'training',
      );
    const all = [...ids];
    if (!all.length) return [];
    const active = (await workers.searchSources({ ids: all, limit: all.length })).filter(
      (w) => !district || (w.district ?? '').startsWith(district),
    );
    const activeIds = active.map((w) => w.id);
    const facts = await workers.trustFactsMany(activeIds);
    const employed = new Set((await workers.employmentSpansOf(activeIds)).map((e) => e.workerId));
    const consents = activeIds.length
      ? await db
          .select()
          .from(recruitmentContactConsent)
          .where(inArray(recruitmentContactConsent.workerId, activeIds))
      : [];
    const consentOf = new Map(consents.map((c) => [c.workerId, c]));
    const out: {
      workerId: string;
      userId: string | null;
      district: string | null;
      signals: LikelySignal[];
      missing: RegistrationStep[];
      optedInAt: Date | null;
      lastInvitedAt: Date | null;
    }[] = [];
    for (const w of active) {
      const f = facts.get(w.id);
      if (!f) continue;
      const sigs = likelySignals.filter((x) => signals.get(w.id)?.has(x));
      const verdict = assessLikelyWorker({
        hasAccount: !!f.userId,
        everEmployed: employed.has(w.id),
        signals: sigs,
        facts: {
          identityVerified: f.identity.verified,
          health: f.health.state,
          background: f.background.state,
          training: f.training.state,
          skillCert: f.skillCert.state,
        },
      });
      if (!verdict.likely) continue;
      const c = consentOf.get(w.id);
      out.push({
        workerId: w.id,
        userId: f.userId,
        district: w.district,
        signals: sigs,
        missing: verdict.missing,
        optedInAt: c && !c.withdrawnAt ? c.grantedAt : null,
        lastInvitedAt: c?.lastInvitedAt ?? null,
      });
    }
    return out.sort((x, y) => (x.workerId < y.workerId ? -1 : 1));
  }

  // Public surface --------------------------------------------------------------------------------------------

  return {
    // ---- posts ----

    /** Publishes a post for a company the caller staffs; unlawful terms are refused with every reason named. */
    async createPost(ctx: RequestContext, companyId: string, input: PostInput) {
      requireCompany(ctx, companyId);
      const org = await orgs.getOrganization(companyId);
      if (org?.type !== 'company') throw new AppError('NOT_FOUND');
      if (org.status !== 'active') throw new AppError('COMPANY_NOT_ACTIVE');
      const issues = checkPostTerms(input);
      if (issues.length)
        throw new AppError(issueCode[issues[0]!.code]!, {
          issues: issues.map((i) => ({ path: i.path, message: i.message })),
        });
      const now = clock();
      if (input.closesOn < shanghaiDay(now))
        throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'closesOn', message: 'in the past' }] });
      if (input.fairId) {
        const [joined] = await db
          .select()
          .from(recruitmentFairCompany)
          .where(
            and(
              eq(recruitmentFairCompany.fairId, input.fairId),
              eq(recruitmentFairCompany.companyId, companyId),
            ),
          );
        if (!joined)
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'fairId', message: 'join the fair first' }],
          });
      }
      const id = newId('jp');
      const row = await db.transaction(async (tx) => {
        const [p] = await tx
          .insert(recruitmentPost)
          .values({
            id,
            companyId,
            createdByUserId: ctx.actor!.userId,
            fairId: input.fairId ?? null,
            title: input.title,
            category: input.category,
            mode: input.mode,
            district: input.district,
            location: input.location,
            salaryMinFen: input.salaryMinFen,
            salaryMaxFen: input.salaryMaxFen,
            minLevel: input.minLevel ?? null,
            certificateRequired: input.certificateRequired,
            minExperienceYears: input.minExperienceYears,
            minAge: input.minAge,
            maxAge: input.maxAge,
            benefits: [...new Set(input.benefits)],
            description: input.description,
            headcount: input.headcount,
            closesOn: input.closesOn,
            state: 'open',
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await appendAudit(
          tx,
          ctx,
          {
            action: 'recruitment.post.publish',
            objectType: 'recruitment_post',
            objectId: id,
            detail: { companyId },
          },
          now,
        );
        await enqueueEvent<RecruitmentEvents>(tx, {
          topic: 'recruitment.post_published',
          payload: { postId: id },
        });
        return p!;
      });
      return (await postViews([row]))[0]!;
    },

    /** Closes a post early; applications in progress stay, but no new ones or offers. */
    async closePost(ctx: RequestContext, postId: string) {
      const p = await loadPost(postId);
      requireCompany(ctx, p.companyId);
      if (p.state === 'closed') throw new AppError('RECRUITMENT_POST_CLOSED');
      const now = clock();
      const row = await db.transaction(async (tx) => {
        const [r] = await tx
          .update(recruitmentPost)
          .set({ state: 'closed', closedAt: now, updatedAt: now })
          .where(eq(recruitmentPost.id, p.id))
          .returning();
        await appendAudit(
          tx,
          ctx,
          { action: 'recruitment.post.close', objectType: 'recruitment_post', objectId: p.id },
          now,
        );
        return r!;
      });
      return (await postViews([row]))[0]!;
    },

    /** A company's posts, newest first, with application counts. */
    async listCompanyPosts(
      ctx: RequestContext,
      companyId: string,
      q: { cursor?: string | undefined; limit: number },
    ) {
      requireCompany(ctx, companyId);
      const cur = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(recruitmentPost)
        .where(
          and(eq(recruitmentPost.companyId, companyId), cur ? lt(recruitmentPost.id, cur.id) : undefined),
        )
        .orderBy(desc(recruitmentPost.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return { items: await postViews(page.items), nextCursor: page.nextCursor };
    },

    /** One post (open posts for anyone signed in; a closed one for its company too). */
    async getPost(ctx: RequestContext, postId: string) {
      const p = await loadPost(postId);
      if (
        !isOpen(p, shanghaiDay(clock())) &&
        !companyOrgs(ctx).includes(p.companyId) &&
        !hasRole(ctx.actor, 'regulator')
      )
        throw new AppError('NOT_FOUND');
      const view = (await postViews([p]))[0]!;
      const workerId = await ownWorkerId(ctx);
      let mine: { eligible: boolean; unmet: string[]; applicationId: string | null } | null = null;
      if (workerId) {
        const profile = await profileOf(workerId);
        const [a] = await db
          .select({ id: recruitmentApplication.id })
          .from(recruitmentApplication)
          .where(and(eq(recruitmentApplication.postId, p.id), eq(recruitmentApplication.workerId, workerId)));
        const unmet = unmetRequirements(profile, { ...p, mode: p.mode as PostMode });
        mine = { eligible: unmet.length === 0, unmet, applicationId: a?.id ?? null };
      }
      return {
        ...view,
        minimumWageFen: minimumWageFor(p.district)[p.mode === 'hourly' ? 'hourlyFen' : 'monthlyFen'],
        mine,
      };
    },

    /** Open posts matching filters, newest first (keyset by id). */
    async searchPosts(_ctx: RequestContext, q: PostSearch) {
      const cur = decodeCursor(q.cursor, idCursor);
      const today = shanghaiDay(clock());
      const rows = await db
        .select()
        .from(recruitmentPost)
        .where(
          and(
            eq(recruitmentPost.state, 'open'),
            gte(recruitmentPost.closesOn, today),
            q.category ? eq(recruitmentPost.category, q.category) : undefined,
            q.mode ? eq(recruitmentPost.mode, q.mode) : undefined,
            q.district ? eq(recruitmentPost.district, q.district) : undefined,
            q.fairId ? eq(recruitmentPost.fairId, q.fairId) : undefined,
            q.minSalaryFen !== undefined ? gte(recruitmentPost.salaryMaxFen, q.minSalaryFen) : undefined,
            q.keyword
              ? sql`strpos(${recruitmentPost.title} || ${recruitmentPost.description}, ${q.keyword}) > 0`
              : undefined,
            cur ? lt(recruitmentPost.id, cur.id) : undefined,
          ),
        )
        .orderBy(desc(recruitmentPost.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return { items: await postViews(page.items), nextCursor: page.nextCursor };
    },

    /** Posts recommended to the signed-in worker: eligible, in their categories, ranked by matching.ts. */
    async recommendations(ctx: RequestContext) {
      const workerId = await requireWorker(ctx);
      const profile = await profileOf(workerId);
      if (!profile.categories.length) return { items: [] };
      const today = shanghaiDay(clock());
      const applied = db
        .select({ postId: recruitmentApplication.postId })
        .from(recruitmentApplication)
        .where(eq(recruitmentApplication.workerId, workerId));
      const candidates = await db
        .select()
        .from(recruitmentPost)
        .where(
          and(
            eq(recruitmentPost.state, 'open'),
            gte(recruitmentPost.closesOn, today),
            inArray(recruitmentPost.category, profile.categories),
            sql`${recruitmentPost.id} not in (${applied})`,
          ),
        )
        .orderBy(desc(recruitmentPost.id))
        .limit(300);
      const ranked = rankPosts(
        profile,
        candidates.map((c) => ({ ...c, mode: c.mode as PostMode })),
        20,
      );
      const views = await postViews(ranked.map((r) => candidates.find((c) => c.id === r.post.id)!));
      return { items: views.map((v, i) => ({ ...v, score: ranked[i]!.score })) };
    },

    // ---- saved searches ----

    /** Saves a search for the signed-in worker; with alerts on, new matching posts notify them. */
    async createSavedSearch(ctx: RequestContext, input: SavedSearchInput) {
      const workerId = await requireWorker(ctx);
      const now = clock();
      const id = newId('rss');
      await db.insert(recruitmentSavedSearch).values({
        id,
        workerId,
        name: input.name,
        categories: input.categories,
        modes: input.modes,
        district: input.district ?? null,
        minSalaryFen: input.minSalaryFen ?? null,
        keyword: input.keyword?.trim() || null,
        alerts: input.alerts,
        createdAt: now,
        updatedAt: now,
      });
      return this.listSavedSearches(ctx).then((l) => l.items.find((s) => s.id === id)!);
    },

    /** The signed-in worker's saved searches. */
    async listSavedSearches(ctx: RequestContext) {
      const workerId = await requireWorker(ctx);
      const rows = await db
        .select()
        .from(recruitmentSavedSearch)
        .where(eq(recruitmentSavedSearch.workerId, workerId))
        .orderBy(desc(recruitmentSavedSearch.id))
        .limit(50);
      return {
        items: rows.map((s) => ({
          id: s.id,
          name: s.name,
          categories: s.categories,
          modes: s.modes as PostMode[],
          district: s.district,
          minSalaryFen: s.minSalaryFen,
          keyword: s.keyword,
          alerts: s.alerts,
          createdAt: s.createdAt.toISOString(),
        })),
      };
    },

    /** Deletes one of the worker's saved searches (and its alert history). */
    async deleteSavedSearch(ctx: RequestContext, id: string) {
      const workerId = await requireWorker(ctx);
      await db.transaction(async (tx) => {
        const [s] = await tx
          .select({ id: recruitmentSavedSearch.id })
          .from(recruitmentSavedSearch)
          .where(and(eq(recruitmentSavedSearch.id, id), eq(recruitmentSavedSearch.workerId, workerId)));
        if (!s) throw new AppError('NOT_FOUND');
        await tx.delete(recruitmentAlert).where(eq(recruitmentAlert.savedSearchId, id));
        await tx.delete(recruitmentSavedSearch).where(eq(recruitmentSavedSearch.id, id));
      });
      return { ok: true as const };
    },

    /**
     * Reaction to `recruitment.post_published`: notifies each worker whose saved search (alerts on) matches, once
     * per search and post (the alert row's unique key makes redelivery harmless). Returns how many were told.
     */
    async alertSavedSearches(postId: string): Promise<number> {
      const [p] = await db.select().from(recruitmentPost).where(eq(recruitmentPost.id, postId));
      if (!p || !isOpen(p, shanghaiDay(clock()))) return 0;
      const searches = await db
        .select()
        .from(recruitmentSavedSearch)
        .where(eq(recruitmentSavedSearch.alerts, true));
      let told = 0;
      for (const s of searches) {
        if (!matchesSearch(s, p)) continue;
        const userId = await accountOf(s.workerId);
        if (!userId) continue;
        await db.transaction(async (tx) => {
          const inserted = await tx
            .insert(recruitmentAlert)
            .values({ savedSearchId: s.id, postId: p.id, sentAt: clock() })
            .onConflictDoNothing()
            .returning({ postId: recruitmentAlert.postId });
          if (!inserted.length) return;
          await notifications.notify(
            {
              userId,
              kind: 'recruitment.alert',
              title: `新岗位：${p.title}`,
              body: `符合您的订阅“${s.name}” / New post matching "${s.name}"`,
              link: `/worker/jobs/posts/${p.id}`,
            },
            tx,
          );
          told++;
        });
      }
      return told;
    },

    // ---- applications ----

    /**
     * The signed-in worker applies: the post must be open and the requirements met; the recruiter gets a
     * time-limited view of the worker's e-file (in the worker's grants and access log), revoked if it ends unhired.
     */
    async apply(ctx: RequestContext, postId: string, input: { coverNote?: string | null | undefined }) {
      const workerId = await requireWorker(ctx);
      const p = await loadPost(postId);
      const now = clock();
      if (!isOpen(p, shanghaiDay(now))) throw new AppError('RECRUITMENT_POST_CLOSED');
      const profile = await profileOf(workerId);
      const unmet = unmetRequirements(profile, { ...p, mode: p.mode as PostMode });
      if (unmet.length)
        throw new AppError('RECRUITMENT_NOT_ELIGIBLE', {
          issues: unmet.map((u) => ({ path: u, message: 'requirement not met' })),
        });
      const id = newId('app');
      try {
        const row = await db.transaction(async (tx) => {
          const [dup] = await tx
            .select({ id: recruitmentApplication.id })
            .from(recruitmentApplication)
            .where(
              and(eq(recruitmentApplication.postId, p.id), eq(recruitmentApplication.workerId, workerId)),
            );
          if (dup) throw new AppError('RECRUITMENT_ALREADY_APPLIED');
          const grantId = await deps.efile.grantForApplication(
            {
              workerId,
              granteeUserId: p.createdByUserId,
              granteeOrgId: p.companyId,
              expiresAt: new Date(Date.parse(`${p.closesOn}T16:00:00Z`) + GRANT_DAYS_AFTER_CLOSE * DAY_MS),
            },
            tx,
          );
          const [a] = await tx
            .insert(recruitmentApplication)
            .values({
              id,
              postId: p.id,
              companyId: p.companyId,
              workerId,
              fairId: p.fairId,
              coverNote: input.coverNote?.trim() || null,
              state: 'new',
              efileGrantId: grantId,
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          await tx.insert(recruitmentApplicationEvent).values({
            id: newId('rae'),
            applicationId: id,
            action: 'apply',
            fromState: null,
            toState: 'new',
            party: 'worker',
            actorId: ctx.actor!.userId,
            at: now,
          });
          await appendAudit(
            tx,
            ctx,
            {
              action: 'recruitment.application.apply',
              objectType: 'recruitment_application',
              objectId: id,
              detail: { postId: p.id, companyId: p.companyId, grantId },
            },
            now,
          );
          return a!;
        });
        await notifications.notify({
          orgId: p.companyId,
          kind: 'recruitment.application',
          title: '收到新的求职申请 / New application',
          body: p.title,
          link: '/company/recruiting',
        });
        return (await applicationViews([row], 'worker'))[0]!;
      } catch (e) {
        if (pgCode(e) === '23505') throw new AppError('RECRUITMENT_ALREADY_APPLIED');
        throw e;
      }
    },

    /** The signed-in worker's applications, newest first. */
    async listMyApplications(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      const workerId = await requireWorker(ctx);
      const cur = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(recruitmentApplication)
        .where(
          and(
            eq(recruitmentApplication.workerId, workerId),
            cur ? lt(recruitmentApplication.id, cur.id) : undefined,
          ),
        )
        .orderBy(desc(recruitmentApplication.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return { items: await applicationViews(page.items, 'worker'), nextCursor: page.nextCursor };
    },

    /** A company's screening board: applications to its posts, by state and post, newest first. */
    async listCompanyApplications(
      ctx: RequestContext,
      companyId: string,
      q: {
        postId?: string | undefined;
        state?: ApplicationState | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ) {
      requireCompany(ctx, companyId);
      const cur = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(recruitmentApplication)
        .where(
          and(
            eq(recruitmentApplication.companyId, companyId),
            q.postId ? eq(recruitmentApplication.postId, q.postId) : undefined,
            q.state ? eq(recruitmentApplication.state, q.state) : undefined,
            cur ? lt(recruitmentApplication.id, cur.id) : undefined,
          ),
        )
        .orderBy(desc(recruitmentApplication.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return { items: await applicationViews(page.items, 'company'), nextCursor: page.nextCursor };
    },

    /** One application with its history and notes, for its worker or the company applied to; 404 for others. */
    async getApplication(ctx: RequestContext, applicationId: string) {
      const [a] = await db
        .select()
        .from(recruitmentApplication)
        .where(eq(recruitmentApplication.id, applicationId));
      if (!a) throw new AppError('NOT_FOUND');
      const party = await applicationParty(ctx, a);
      const view = (await applicationViews([a], party))[0]!;
      const events = await history(a.id);
      // Screening notes are the company's own: the worker sees the steps, not the notes.
      return {
        ...view,
        history:
          party === 'company'
            ? events
            : events
                .map((e) => (e.action === 'note' ? null : e))
                .filter((e) => e !== null)
                .map((e) => ({ ...e, note: e.party === 'worker' || e.action === 'reject' ? e.note : null })),
      };
    },

    /** Moves an application one step (company: shortlist, offer, reject; worker: accept, decline, withdraw). */
    async act(
      ctx: RequestContext,
      applicationId: string,
      action: Exclude<ApplicationAction, 'interview'>,
      input: { reason?: string | null | undefined },
    ) {
      return step(ctx, applicationId, action, input);
    },

    /** The company schedules a video interview (messaging) and the application moves to 'interview'. */
    async scheduleInterview(
      ctx: RequestContext,
      applicationId: string,
      input: { scheduledAt: string; durationMinutes: number },
    ) {
      const [a] = await db
        .select()
        .from(recruitmentApplication)
        .where(eq(recruitmentApplication.id, applicationId));
      if (!a) throw new AppError('NOT_FOUND');
      const party = await applicationParty(ctx, a);
      if (party !== 'company') throw new AppError('RECRUITMENT_NOT_YOUR_STEP');
      const rescheduling = a.state === 'interview';
      if (!rescheduling) {
        const t = transitionApplication({
          from: a.state as ApplicationState,
          action: 'interview',
          by: party,
        });
        if (!t.ok) throw transitionError(t.error);
      }
      const itv = await deps.scheduleInterview(ctx, {
        workerId: a.workerId,
        companyId: a.companyId,
        scheduledAt: input.scheduledAt,
        durationMinutes: input.durationMinutes,
      });
      if (!rescheduling) return step(ctx, a.id, 'interview', {}, async () => ({ interviewId: itv.id }));
      const now = clock();
      await db.transaction(async (tx) => {
        await tx
          .update(recruitmentApplication)
          .set({ interviewId: itv.id, updatedAt: now })
          .where(eq(recruitmentApplication.id, a.id));
        await tx.insert(recruitmentApplicationEvent).values({
          id: newId('rae'),
          applicationId: a.id,
          action: 'interview',
          fromState: 'interview',
          toState: 'interview',
          party,
          actorId: ctx.actor!.userId,
          at: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'recruitment.application.interview',
            objectType: 'recruitment_application',
            objectId: a.id,
            detail: { interviewId: itv.id, rescheduled: true },
          },
          now,
        );
      });
      return this.getApplication(ctx, a.id);
    },

    /** The company adds a screening note (seen by the company only). */
    async addNote(ctx: RequestContext, applicationId: string, note: string) {
      const [a] = await db
        .select()
        .from(recruitmentApplication)
        .where(eq(recruitmentApplication.id, applicationId));
      if (!a) throw new AppError('NOT_FOUND');
      if ((await applicationParty(ctx, a)) !== 'company') throw new AppError('RECRUITMENT_NOT_YOUR_STEP');
      const now = clock();
      await db.transaction(async (tx) => {
        await tx.insert(recruitmentApplicationEvent).values({
          id: newId('rae'),
          applicationId: a.id,
          action: 'note',
          party: 'company',
          actorId: ctx.actor!.userId,
          note,
          at: now,
        });
        await appendAudit(
          tx,
          ctx,
          { action: 'recruitment.application.note', objectType: 'recruitment_application', objectId: a.id },
          now,
        );
      });
      return this.getApplication(ctx, a.id);
    },

    // ---- fairs ----

    /** A regulator creates a job fair (家政专场招聘会) with its check-in code. */
    async createFair(ctx: RequestContext, input: FairInput) {
      requireRegulator(ctx);
      // A district regulator's fairs are in their district: named or, when left out, theirs.
      const district = input.district ?? ownDistrict(ctx);
      if (!inScope(ctx, district)) throw new AppError('RECRUITMENT_OUT_OF_DISTRICT');
      if (input.format === 'venue' && !input.venue?.trim())
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'venue', message: 'required at a venue' }],
        });
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(input.endsAt);
      if (!(endsAt > startsAt))
        throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'endsAt', message: 'after startsAt' }] });
      const now = clock();
      const id = newId('jf');
      const row = await db.transaction(async (tx) => {
        const [f] = await tx
          .insert(recruitmentFair)
          .values({
            id,
            title: input.title,
            format: input.format,
            venue: input.venue?.trim() || null,
            district,
            startsAt,
            endsAt,
            checkinCode: randomBytes(9).toString('base64url'),
            createdByUserId: ctx.actor!.userId,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await appendAudit(
          tx,
          ctx,
          { action: 'recruitment.fair.create', objectType: 'recruitment_fair', objectId: id },
          now,
        );
        return f!;
      });
      return fairView(row, { companies: 0, registrations: 0, checkedIn: 0 });
    },

    /**
     * Fairs of the last 90 days and to come, latest start first; optionally of one district. A district regulator
     * sees their district's fairs (the ones they run) and is refused another district's list.
     */
    async listFairs(ctx: RequestContext, q: { district?: string | undefined } = {}) {
      const district = hasRole(ctx.actor, 'regulator', 'platform_admin')
        ? scopeDistrict(ctx, q.district)
        : (q.district ?? null);
      const rows = await db
        .select()
        .from(recruitmentFair)
        .where(
          and(
            gte(recruitmentFair.endsAt, new Date(clock().getTime() - 90 * DAY_MS)),
            district ? sql`${recruitmentFair.district} like ${`${district}%`}` : undefined,
          ),
        )
        .orderBy(desc(recruitmentFair.startsAt))
        .limit(50);
      const counts = await fairCounts(rows.map((r) => r.id));
      return { items: rows.map((f) => fairView(f, counts.get(f.id)!)) };
    },

    /** One fair: companies, its open posts, and the caller's registration or participation. */
    async getFair(ctx: RequestContext, fairId: string) {
      const f = await loadFair(fairId);
      const counts = (await fairCounts([f.id])).get(f.id)!;
      const companies = await db
        .select({ companyId: recruitmentFairCompany.companyId })
        .from(recruitmentFairCompany)
        .where(eq(recruitmentFairCompany.fairId, f.id));
      const names = await orgNames(companies.map((c) => c.companyId));
      const workerId = await ownWorkerId(ctx);
      const [reg] = workerId
        ? await db
            .select()
            .from(recruitmentFairRegistration)
            .where(
              and(
                eq(recruitmentFairRegistration.fairId, f.id),
                eq(recruitmentFairRegistration.workerId, workerId),
              ),
            )
        : [];
      const posts = await this.searchPosts(ctx, { fairId: f.id, limit: 100 });
      return {
        ...fairView(f, counts),
        companies: companies.map((c) => ({ id: c.companyId, name: names.get(c.companyId) ?? '' })),
        posts: posts.items,
        myRegistration: reg
          ? { registeredAt: reg.createdAt.toISOString(), checkedInAt: reg.checkedInAt?.toISOString() ?? null }
          : null,
        joinedByMyCompany: companies.some((c) => companyOrgs(ctx).includes(c.companyId)),
      };
    },

    /** A company joins a fair that has not ended (idempotent). */
    async joinFair(ctx: RequestContext, fairId: string, companyId: string) {
      requireCompany(ctx, companyId);
      const f = await loadFair(fairId);
      if (f.endsAt.getTime() < clock().getTime()) throw new AppError('RECRUITMENT_CHECKIN_INVALID');
      const now = clock();
      await db.transaction(async (tx) => {
        const ins = await tx
          .insert(recruitmentFairCompany)
          .values({ fairId, companyId, joinedAt: now })
          .onConflictDoNothing()
          .returning();
        if (ins.length)
          await appendAudit(
            tx,
            ctx,
            {
              action: 'recruitment.fair.join',
              objectType: 'recruitment_fair',
              objectId: fairId,
              detail: { companyId },
            },
            now,
          );
      });
      return this.getFair(ctx, fairId);
    },

    /** The signed-in worker registers for a fair that has not ended (idempotent; audited when it registers). */
    async registerForFair(ctx: RequestContext, fairId: string) {
      const workerId = await requireWorker(ctx);
      const f = await loadFair(fairId);
      if (f.endsAt.getTime() < clock().getTime()) throw new AppError('RECRUITMENT_CHECKIN_INVALID');
      const now = clock();
      await db.transaction(async (tx) => {
        const ins = await tx
          .insert(recruitmentFairRegistration)
          .values({ id: newId('jfr'), fairId, workerId, createdAt: now })
          .onConflictDoNothing()
          .returning({ id: recruitmentFairRegistration.id });
        if (ins.length)
          await appendAudit(
            tx,
            ctx,
            { action: 'recruitment.fair.register', objectType: 'recruitment_fair', objectId: fairId },
            now,
          );
      });
      return this.getFair(ctx, fairId);
    },

    /** The worker scans the venue QR code: checked in (registering on the spot) while the fair runs. */
    async checkIn(ctx: RequestContext, fairId: string, code: string) {
      const workerId = await requireWorker(ctx);
      const f = await loadFair(fairId);
      const now = clock();
      const running = now.getTime() >= f.startsAt.getTime() - CHECKIN_EARLY_MS && now <= f.endsAt;
      if (!running || code !== f.checkinCode) throw new AppError('RECRUITMENT_CHECKIN_INVALID');
      await db.transaction(async (tx) => {
        await tx
          .insert(recruitmentFairRegistration)
          .values({ id: newId('jfr'), fairId, workerId, checkedInAt: now, createdAt: now })
          .onConflictDoUpdate({
            target: [recruitmentFairRegistration.fairId, recruitmentFairRegistration.workerId],
            set: {
              checkedInAt: sql`coalesce(${recruitmentFairRegistration.checkedInAt}, ${now.toISOString()}::timestamptz)`,
            },
          });
        await appendAudit(
          tx,
          ctx,
          { action: 'recruitment.fair.check_in', objectType: 'recruitment_fair', objectId: fairId },
          now,
        );
      });
      return this.getFair(ctx, fairId);
    },

    /** The fair's QR check-in link for the regulator to display at the venue. */
    async fairCheckin(ctx: RequestContext, fairId: string) {
      requireRegulator(ctx);
      const f = await loadFair(fairId);
      // Fairs are public, so another district's fair is visible but not the district regulator's to run.
      if (!inScope(ctx, f.district)) throw new AppError('RECRUITMENT_OUT_OF_DISTRICT');
      return {
        code: f.checkinCode,
        url: `${deps.publicUrl.replace(/\/$/, '')}/worker/jobs/fairs/${f.id}?code=${encodeURIComponent(f.checkinCode)}`,
      };
    },

    /** A fair's outcomes for the regulator: registrations, check-ins, applications through it and hires. */
    async fairOutcomes(ctx: RequestContext, fairId: string) {
      requireRegulator(ctx);
      const f = await loadFair(fairId);
      if (!inScope(ctx, f.district)) throw new AppError('RECRUITMENT_OUT_OF_DISTRICT');
      const counts = (await fairCounts([f.id])).get(f.id)!;
      const [apps] = await db
        .select({
          applications: count(),
          hired: sql<number>`count(*) filter (where ${recruitmentApplication.state} = 'hired')`.mapWith(
            Number,
          ),
        })
        .from(recruitmentApplication)
        .where(eq(recruitmentApplication.fairId, f.id));
      const [posts] = await db
        .select({ n: count() })
        .from(recruitmentPost)
        .where(eq(recruitmentPost.fairId, f.id));
      return {
        fairId: f.id,
        ...counts,
        posts: Number(posts?.n ?? 0),
        applications: Number(apps?.applications ?? 0),
        hired: apps?.hired ?? 0,
      };
    },

    // ---- cohorts (订单班) ----

    /** A regulator opens a cross-region cohort from a partner region. */
    async createCohort(ctx: RequestContext, input: CohortInput) {
      requireRegulator(ctx);
      const destinationDistrict = input.destinationDistrict ?? ownDistrict(ctx);
      if (!inScope(ctx, destinationDistrict)) throw new AppError('RECRUITMENT_OUT_OF_DISTRICT');
      const now = clock();
      const id = newId('coh');
      try {
        const row = await db.transaction(async (tx) => {
          const [c] = await tx
            .insert(recruitmentCohort)
            .values({
              id,
              name: input.name,
              sourceRegionCode: input.sourceRegionCode,
              sourceRegionName: input.sourceRegionName,
              trainingClassId: input.trainingClassId ?? null,
              plannedArrivalOn: input.plannedArrivalOn,
              destinationDistrict,
              createdByUserId: ctx.actor!.userId,
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          await appendAudit(
            tx,
            ctx,
            { action: 'recruitment.cohort.create', objectType: 'recruitment_cohort', objectId: id },
            now,
          );
          return c!;
        });
        return cohortView(row, now);
      } catch (e) {
        if (pgCode(e) === '23503')
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'trainingClassId', message: 'no such class' }],
          });
        throw e;
      }
    },

    /** Adds registered workers to a cohort as trainees; a worker belongs to one cohort at most. */
    async addTrainees(ctx: RequestContext, cohortId: string, workerIds: string[]) {
      await loadCohort(ctx, cohortId);
      const ids = [...new Set(workerIds)];
      const known = await workers.namesOf(ids);
      const missing = ids.findIndex((id) => !known.has(id));
      if (missing >= 0)
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: `workerIds.${missing}`, message: 'no such worker' }],
        });
      const now = clock();
      try {
        await db.transaction(async (tx) => {
          await tx
            .insert(recruitmentCohortTrainee)
            .values(ids.map((workerId) => ({ cohortId, workerId, addedAt: now })));
          await appendAudit(
            tx,
            ctx,
            {
              action: 'recruitment.cohort.trainees',
              objectType: 'recruitment_cohort',
              objectId: cohortId,
              detail: { added: ids.length },
            },
            now,
          );
        });
      } catch (e) {
        if (pgCode(e) === '23505') throw new AppError('RECRUITMENT_TRAINEE_TAKEN');
        throw e;
      }
      return this.getCohort(ctx, cohortId);
    },

    /** Records the cohort's arrival day in the city. */
    async markArrived(ctx: RequestContext, cohortId: string, arrivedOn: string) {
      await loadCohort(ctx, cohortId);
      const now = clock();
      if (arrivedOn > shanghaiDay(now))
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'arrivedOn', message: 'in the future' }],
        });
      await db.transaction(async (tx) => {
        const [c] = await tx
          .update(recruitmentCohort)
          .set({ arrivedOn, updatedAt: now })
          .where(eq(recruitmentCohort.id, cohortId))
          .returning();
        if (!c) throw new AppError('NOT_FOUND');
        await appendAudit(
          tx,
          ctx,
          { action: 'recruitment.cohort.arrived', objectType: 'recruitment_cohort', objectId: cohortId },
          now,
        );
      });
      return this.getCohort(ctx, cohortId);
    },

    /** Cohorts with their placement and retention summaries, newest first. */
    async listCohorts(ctx: RequestContext) {
      requireRegulator(ctx);
      const rows = await db
        .select()
        .from(recruitmentCohort)
        .where(cohortScope(scopeDistrict(ctx, null)))
        .orderBy(desc(recruitmentCohort.id))
        .limit(100);
      const now = clock();
      return { items: await Promise.all(rows.map((c) => cohortView(c, now))) };
    },

    /** One cohort with each trainee's placement and 3/6-month retention. */
    async getCohort(ctx: RequestContext, cohortId: string) {
      const c = await loadCohort(ctx, cohortId);
      const now = clock();
      const outcomes = await cohortOutcomes(c, now);
      const names = await workers.namesOf(outcomes.map((o) => o.workerId));
      const companies = await orgNames(outcomes.map((o) => o.outcome.companyId));
      return {
        ...(await cohortView(c, now)),
        trainees: outcomes.map((o) => ({
          workerId: o.workerId,
          name: names.get(o.workerId) ?? '',
          placed: o.outcome.placed,
          company: o.outcome.companyId
            ? { id: o.outcome.companyId, name: companies.get(o.outcome.companyId) ?? '' }
            : null,
          placedOn: o.outcome.placedOn,
          retained3: o.outcome.retained3,
          retained6: o.outcome.retained6,
        })),
      };
    },

    /** The regulator's report by source region (cohorts placed in their district, or one asked for). */
    async regionReport(ctx: RequestContext, q: { district?: string | undefined } = {}) {
      requireRegulator(ctx);
      const rows = await db
        .select()
        .from(recruitmentCohort)
        .where(cohortScope(scopeDistrict(ctx, q.district)))
        .orderBy(asc(recruitmentCohort.sourceRegionCode));
      const now = clock();
      const byRegion = new Map<
        string,
        { code: string; name: string; cohorts: number; outcomes: ReturnType<typeof traineeOutcome>[] }
      >();
      for (const c of rows) {
        const r = byRegion.get(c.sourceRegionCode) ?? {
          code: c.sourceRegionCode,
          name: c.sourceRegionName,
          cohorts: 0,
          outcomes: [],
        };
        r.cohorts++;
        r.outcomes.push(...(await cohortOutcomes(c, now)).map((o) => o.outcome));
        byRegion.set(c.sourceRegionCode, r);
      }
      return {
        items: [...byRegion.values()].map((r) => ({
          sourceRegionCode: r.code,
          sourceRegionName: r.name,
          cohorts: r.cohorts,
          ...summarize(r.outcomes),
        })),
      };
    },

    // ---- statistics ----

    /**
     * Employment statistics for regulators over months [from, to] (YYYY-MM, Asia/Shanghai): applications and hires
     * per month, by category, fair registrations, cohort placements by source region, and the median days to hire.
     * Counted in SQL (GROUP BY month and category, percentile_cont for the median); a district regulator's figures
     * are their district's posts, fairs and cohorts.
     */
    async employmentStats(
      ctx: RequestContext,
      q: { from: string; to: string; district?: string | undefined },
    ) {
      requireRegulator(ctx);
      if (q.to < q.from)
        throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'to', message: 'not before from' }] });
      const district = scopeDistrict(ctx, q.district);
      const start = new Date(`${q.from}-01T00:00:00+08:00`);
      const end = new Date(`${addMonths(`${q.to}-01`, 1)}T00:00:00+08:00`);
      const a = recruitmentApplication;
      const p = recruitmentPost;
      const monthOf = (
        col: typeof a.createdAt | typeof a.hiredAt | typeof recruitmentFairRegistration.createdAt,
      ) => sql<string>`to_char(${col} at time zone 'Asia/Shanghai', 'YYYY-MM')`;
      const within = (col: typeof a.createdAt | typeof a.hiredAt) => and(gte(col, start), lt(col, end));
      const inDistrict = district ? sql`${p.district} like ${`${district}%`}` : undefined;
      const appsBy = await db
        .select({ month: monthOf(a.createdAt), category: p.category, n: count() })
        .from(a)
        .innerJoin(p, eq(p.id, a.postId))
        .where(and(within(a.createdAt), inDistrict))
        .groupBy(sql`1`, p.category);
      const hiresBy = await db
        .select({ month: monthOf(a.hiredAt), category: p.category, n: count() })
        .from(a)
        .innerJoin(p, eq(p.id, a.postId))
        .where(and(within(a.hiredAt), inDistrict))
        .groupBy(sql`1`, p.category);
      // Days per hire rounded first (half up), then the median of those, as medianDays() does.
      const [median] = await db
        .select({
          days: sql<
            number | null
          >`percentile_cont(0.5) within group (order by round(extract(epoch from (${a.hiredAt} - ${a.createdAt})) / 86400))`,
        })
        .from(a)
        .innerJoin(p, eq(p.id, a.postId))
        .where(and(within(a.hiredAt), inDistrict));
      const r = recruitmentFairRegistration;
      const regsBy = await db
        .select({ month: monthOf(r.createdAt), n: count() })
        .from(r)
        .innerJoin(recruitmentFair, eq(recruitmentFair.id, r.fairId))
        .where(
          and(
            gte(r.createdAt, start),
            lt(r.createdAt, end),
            district ? sql`${recruitmentFair.district} like ${`${district}%`}` : undefined,
          ),
        )
        .groupBy(sql`1`);
      const months: string[] = [];
      for (let m = q.from; m <= q.to; m = addMonths(`${m}-01`, 1).slice(0, 7)) months.push(m);
      const sum = (
        rows: { month: string; category?: string; n: number }[],
        f: (x: { month: string; category?: string }) => boolean,
      ) => rows.filter(f).reduce((t, x) => t + Number(x.n), 0);
      const perMonth = months.map((month) => ({
        month,
        applications: sum(appsBy, (x) => x.month === month),
        hires: sum(hiresBy, (x) => x.month === month),
        fairRegistrations: sum(regsBy, (x) => x.month === month),
      }));
      const cats = [...new Set([...appsBy, ...hiresBy].map((x) => x.category))].sort();
      const byCategory = cats.map((category) => ({
        category,
        categoryLabel: labelOf(serviceCategories, category),
        applications: sum(appsBy, (x) => x.category === category),
        hires: sum(hiresBy, (x) => x.category === category),
      }));
      const regions = await this.regionReport(ctx, { district: district ?? undefined });
      const days = median?.days == null ? null : Number(median.days);
      return {
        from: q.from,
        to: q.to,
        district,
        perMonth,
        byCategory,
        bySourceRegion: regions.items,
        medianDaysToHire: days === null ? null : Math.round(days),
        totals: {
          applications: perMonth.reduce((t, m) => t + m.applications, 0),
          hires: perMonth.reduce((t, m) => t + m.hires, 0),
        },
      };
    },

    // ---- public fair pages ----

    /**
     * Upcoming and running fairs for everyone, soonest first, page after page (keyset on start time and id):
     * venue, time, companies and their open posts (no personal data).
     */
    async publicFairs(q: { cursor?: string | undefined; limit: number } = { limit: 20 }) {
      const now = clock();
      const cur = decodeCursor(q.cursor, publicFairCursor);
      const rows = await db
        .select()
        .from(recruitmentFair)
        .where(
          and(
            gte(recruitmentFair.endsAt, now),
            cur
              ? sql`(${recruitmentFair.startsAt}, ${recruitmentFair.id}) > (${new Date(cur.s)}, ${cur.id})`
              : undefined,
          ),
        )
        .orderBy(asc(recruitmentFair.startsAt), asc(recruitmentFair.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ s: r.startsAt.toISOString(), id: r.id }));
      return {
        items: await Promise.all(page.items.map((f) => publicFairView(f))),
        nextCursor: page.nextCursor,
      };
    },

    /** One fair for everyone, with each company's open posts; 404 for an unknown fair. */
    async publicFair(fairId: string) {
      return publicFairView(await loadFair(fairId));
    },

    // ---- 当家政: likely workers ----

    /** The signed-in job seeker's opt-in to be contacted about becoming a worker. */
    async getContactConsent(ctx: RequestContext) {
      const workerId = await requireWorker(ctx);
      const [c] = await db
        .select()
        .from(recruitmentContactConsent)
        .where(eq(recruitmentContactConsent.workerId, workerId));
      return consentView(c);
    },

    /** Gives or withdraws the opt-in (audited); withdrawing takes the person off every contact list at once. */
    async setContactConsent(ctx: RequestContext, optedIn: boolean) {
      const workerId = await requireWorker(ctx);
      const now = clock();
      const row = await db.transaction(async (tx) => {
        const [c] = await tx
          .insert(recruitmentContactConsent)
          .values({ workerId, grantedAt: now, withdrawnAt: optedIn ? null : now })
          .onConflictDoUpdate({
            target: recruitmentContactConsent.workerId,
            set: optedIn ? { grantedAt: now, withdrawnAt: null } : { withdrawnAt: now },
          })
          .returning();
        await appendAudit(
          tx,
          ctx,
          {
            action: optedIn ? 'recruitment.contact_consent.grant' : 'recruitment.contact_consent.withdraw',
            objectType: 'worker',
            objectId: workerId,
          },
          now,
        );
        return c;
      });
      return consentView(row);
    },

    /**
     * 当家政 for regulators: people likely to become workers in their district (likely-workers.ts), as counts by
     * signal; only those who opted in to be contacted are listed, with the checks they still have to complete.
     */
    async likelyWorkers(ctx: RequestContext, q: { district?: string | undefined } = {}) {
      requireRegulator(ctx);
      const district = scopeDistrict(ctx, q.district);
      const found = await assessLikely(district);
      const contacts = found.filter((x) => x.optedInAt);
      const names = await workers.namesOf(contacts.map((x) => x.workerId));
      const bySignal = Object.fromEntries(
        likelySignals.map((sig) => [sig, found.filter((x) => x.signals.includes(sig)).length]),
      ) as Record<LikelySignal, number>;
      return {
        district,
        total: found.length,
        bySignal,
        optedIn: contacts.length,
        contacts: contacts.map((x) => ({
          workerId: x.workerId,
          name: names.get(x.workerId) ?? '',
          district: x.district,
          signals: x.signals,
          missing: x.missing,
          optedInAt: x.optedInAt!.toISOString(),
          lastInvitedAt: x.lastInvitedAt?.toISOString() ?? null,
        })),
      };
    },

    /** Sends an opted-in likely worker of the regulator's district an invitation to complete the registration. */
    async inviteLikelyWorker(ctx: RequestContext, workerId: string) {
      requireRegulator(ctx);
      const target = (await assessLikely(ownDistrict(ctx), [workerId])).find((x) => x.workerId === workerId);
      // Not likely, not opted in or outside the district: not on the caller's list, so not found.
      if (!target?.optedInAt || !target.userId) throw new AppError('NOT_FOUND');
      const now = clock();
      if (
        target.lastInvitedAt &&
        now.getTime() - target.lastInvitedAt.getTime() < INVITE_INTERVAL_DAYS * DAY_MS
      )
        throw new AppError('RECRUITMENT_INVITED_RECENTLY');
      const zh = target.missing.map((m) => stepLabels[m].zh).join('、');
      const en = target.missing.map((m) => stepLabels[m].en).join(', ');
      await db.transaction(async (tx) => {
        await tx
          .update(recruitmentContactConsent)
          .set({ lastInvitedAt: now })
          .where(eq(recruitmentContactConsent.workerId, workerId));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'recruitment.likely_worker.invite',
            objectType: 'worker',
            objectId: workerId,
            detail: { missing: target.missing },
          },
          now,
        );
        await notifications.notify(
          {
            userId: target.userId!,
            kind: 'recruitment.invitation',
            title: '欢迎成为家政服务员 / Become a domestic worker',
            body: `完成登记即可申领安心服务证，还需：${zh}。/ To get the 安心服务证, complete: ${en}.`,
            link: '/worker',
          },
          tx,
        );
      });
      return { workerId, invitedAt: now.toISOString(), missing: target.missing };
    },
  };
}

export type RecruitmentService = ReturnType<typeof createRecruitmentService>;

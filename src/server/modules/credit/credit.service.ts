import { and, asc, desc, eq, gt, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { LONG_JOB_STATEMENT_TIMEOUT_MS, withStatementTimeout } from '../../platform/db/tx-hooks.js';
import { AppError } from '../../platform/errors.js';
import { hasRole, orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import { enqueueEvent } from '../../platform/outbox/outbox.js';
import { certificateCreditSql } from '../certification/index.js';
import type { NotificationsService } from '../notifications/index.js';
import { orderCreditStatsSql, type OrdersService } from '../orders/index.js';
import { companyCreditFactsSql, type OrgsService } from '../orgs/index.js';
import { workerCreditFactsSql, type WorkersService } from '../workers/index.js';
import { type AppealAction, type AppealState, nextAppealState } from './appeal-status.js';
import {
  creditAppeal,
  creditEvaluation,
  creditExpulsion,
  creditListEntry,
  creditScore,
  creditScorecard,
  creditScoreHistory,
  creditWarning,
} from './credit.tables.js';
import {
  type CompanyFacts,
  companyIndicatorKeys,
  type Contribution,
  defaultScorecard,
  improvements,
  type ListState,
  type ScorecardConfig,
  type ScoreResult,
  scorecardConfigSchema,
  scoreCompany,
  scoreWorker,
  validateScorecard,
  type WorkerFacts,
  workerIndicatorKeys,
} from './scorecard.js';
import { nextWarningState, type WarningState } from './warning-status.js';

export type SubjectType = 'worker' | 'company';

/** Feedback's figures (the agreed interface, docs/credit.md); absent until the feedback module is wired. */
export interface FeedbackStatsSource {
  statsSql(asOf: Date): SQL;
  statsFor(
    subject: { type: SubjectType; id: string },
    asOf: Date,
  ): Promise<{
    reviewCount: number;
    ratingSum: number;
    complaintCount: number;
    upheldCount: number;
    respondedCount: number;
    respondedInSlaCount: number;
    responseHoursSum: number;
  }>;
}

export interface CreditDeps {
  db: Db;
  clock: () => Date;
  orgs: Pick<OrgsService, 'setCreditGrades' | 'changeStatus' | 'getOrganization'>;
  workers: Pick<WorkersService, 'releaseCompanyWorkers' | 'findWorkerIdByUser' | 'searchSources'>;
  orders: Pick<OrdersService, 'openOrdersOf'>;
  notifications: Pick<NotificationsService, 'notify'>;
  /** Re-projects search rows after scores change (discovery); optional so tests of scoring alone need no search. */
  discovery?:
    | {
        refreshWorker(id: string): Promise<void>;
        refreshCompany(id: string): Promise<void>;
        /** New grades and workers' credit into the search rows, set-based (discovery's `applyCredit`). */
        applyCredit(input: {
          grades?: { companyId: string; grade: string }[];
          workers?: { workerId: string; score: number; ratingAvg: number | null; ratingCount: number }[];
        }): Promise<unknown>;
      }
    | undefined;
  feedback?: FeedbackStatsSource | undefined;
}

/** Payload of 'credit.company_expelled'. */
export interface CompanyExpelledPayload {
  companyId: string;
}
export interface CreditEvents {
  'credit.company_expelled': CompanyExpelledPayload;
  'credit.scorecard_published': { scorecardId: string };
}

export interface IndicatorView {
  key: string;
  dimension: string;
  weight: number;
  value: number;
  points: number;
}
export interface Explanation {
  subjectType: SubjectType;
  subjectId: string;
  score: number;
  level: string;
  scorecardVersion: number;
  computedAt: string;
  indicators: IndicatorView[];
  improvements: { key: string; gain: number }[];
  facts: Record<string, unknown>;
  history: { at: string; score: number; level: string }[];
  appeals: AppealView[];
}
export interface AppealView {
  id: string;
  subjectType: SubjectType;
  subjectId: string;
  indicator: string;
  reason: string;
  evidence: string | null;
  state: AppealState;
  decisionNote: string | null;
  createdAt: string;
  decidedAt: string | null;
}

const EMPTY_FEEDBACK = sql`select null::text as subject_type, null::text as subject_id, 0 as review_count,
  0::float8 as rating_sum, 0 as complaint_count, 0 as upheld_count, 0 as responded_count,
  0 as responded_in_sla_count, 0::float8 as response_hours_sum where false`;
const SAVE_CHUNK = 5000;
const SAVE_PARALLEL = 2;

const num = (v: unknown) => Number(v ?? 0);

/** A worker's credit as search and the e-file show it: score 0–100 rounded, stars, raw rating average and count. */
export function workerCreditView(centi: number, level: string, facts: WorkerFacts) {
  return {
    score: Math.round(centi / 100),
    stars: Number(level),
    ratingAvg: facts.reviewCount ? Math.round((facts.ratingSum / facts.reviewCount) * 10) / 10 : null,
    ratingCount: facts.reviewCount,
  };
}

/** Facts as stored (parsed jsonb) equal to freshly computed ones: flat objects of scalars and arrays of scalars. */
export function sameFacts(stored: unknown, fresh: object): boolean {
  if (typeof stored !== 'object' || stored === null) return false;
  const a = stored as Record<string, unknown>;
  const b = fresh as Record<string, unknown>;
  const keys = Object.keys(b).filter((k) => b[k] !== undefined);
  if (keys.length !== Object.keys(a).length) return false;
  return keys.every((k) => {
    const x = a[k];
    const y = b[k];
    if (x === y) return true;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((v, i) => v === y[i]);
  });
}
const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
/** Public display of a worker's name on a list: surname and two stars. */
const maskedName = (name: string) => `${Array.from(name.trim())[0] ?? ''}**`;
const centiToScore = (c: number) => c / 100;

function appealView(r: typeof creditAppeal.$inferSelect): AppealView {
  return {
    id: r.id,
    subjectType: r.subjectType as SubjectType,
    subjectId: r.subjectId,
    indicator: r.indicator,
    reason: r.reason,
    evidence: r.evidence,
    state: r.state as AppealState,
    decisionNote: r.decisionNote,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  };
}

function requireRegulator(ctx: RequestContext) {
  if (!hasRole(ctx.actor, 'regulator')) throw new AppError('FORBIDDEN');
  return ctx.actor!;
}

/** Credit: the scorecard, scores and levels, explanations, appeals, red/black lists, evaluation and expulsion. */
export function createCreditService(deps: CreditDeps) {
  const { db, clock, orgs, workers, orders, notifications } = deps;

  // ---- scorecard versions ------------------------------------------------------------------------------

  /** The newest scorecard; the first call on an empty platform stores the default as version 1. */
  async function activeScorecard(
    q: DbOrTx = db,
  ): Promise<{ id: string; version: number; config: ScorecardConfig }> {
    const [row] = await q.select().from(creditScorecard).orderBy(desc(creditScorecard.version)).limit(1);
    if (row) return { id: row.id, version: row.version, config: row.config as ScorecardConfig };
    const id = newId('csc');
    await q
      .insert(creditScorecard)
      .values({ id, version: 1, config: defaultScorecard, note: 'default' })
      .onConflictDoNothing();
    return activeScorecard(q);
  }

  // ---- facts ---------------------------------------------------------------------------------------------

  type WorkerRow = Record<string, unknown> & { worker_id: string; company_id: string | null };
  type CompanyRow = Record<string, unknown> & {
    company_id: string;
    name: string;
    credit_grade: string | null;
  };

  const today = (asOf: Date) => new Date(asOf.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

  /** Indicators corrected on appeal, per subject: one grouped pass instead of a lookup per row. */
  const upheldAppealsSql = (type: SubjectType) =>
    sql`select a.subject_id, array_agg(a.indicator order by a.indicator) as overrides from ${creditAppeal} a
      where a.subject_type = ${type} and a.state = 'upheld' group by a.subject_id`;

  function workerFactsQuery(asOf: Date, where: SQL, fb: SQL): SQL {
    return sql`select wf.worker_id, wf.company_id, wf.identity_verified, wf.health_valid, wf.training_passed,
        wf.skill_level, coalesce(c.cert_state, 'none') as cert_state,
        coalesce(os.completed_count, 0) as completed_count, coalesce(os.follow_up_count, 0) as follow_up_count,
        coalesce(os.follow_up_sum, 0) as follow_up_sum, cs.level as company_grade, le.list as list,
        coalesce(fb.review_count, 0) as review_count, coalesce(fb.rating_sum, 0) as rating_sum,
        coalesce(fb.complaint_count, 0) as complaint_count, coalesce(fb.upheld_count, 0) as upheld_count,
        coalesce(ap.overrides, '{}') as overrides
      from (${workerCreditFactsSql(today(asOf))}) wf
      left join (${certificateCreditSql(asOf)}) c on c.worker_id = wf.worker_id
      left join (${orderCreditStatsSql()}) os on os.subject_type = 'worker' and os.subject_id = wf.worker_id
      left join ${creditScore} cs on cs.subject_type = 'company' and cs.subject_id = wf.company_id
      left join ${creditListEntry} le on le.subject_type = 'worker' and le.subject_id = wf.worker_id and le.removed_at is null
      left join (${fb}) fb on fb.subject_type = 'worker' and fb.subject_id = wf.worker_id
      left join (${upheldAppealsSql('worker')}) ap on ap.subject_id = wf.worker_id
      where ${where}`;
  }

  function companyFactsQuery(asOf: Date, where: SQL, fb: SQL): SQL {
    return sql`select co.company_id, co.name, co.credit_grade,
        extract(epoch from (${asOf.toISOString()}::timestamptz - co.active_since)) / 86400.0 as days_active,
        coalesce(st.staff_count, 0) as staff_count, coalesce(st.certified_staff, 0) as certified_staff,
        coalesce(st.staff_health_valid, 0) as staff_health_valid,
        coalesce(os.completed_count, 0) as completed_count, coalesce(os.follow_up_count, 0) as follow_up_count,
        coalesce(os.follow_up_sum, 0) as follow_up_sum, le.list as list,
        coalesce(fb.review_count, 0) as review_count, coalesce(fb.rating_sum, 0) as rating_sum,
        coalesce(fb.complaint_count, 0) as complaint_count, coalesce(fb.upheld_count, 0) as upheld_count,
        coalesce(fb.responded_count, 0) as responded_count,
        coalesce(fb.responded_in_sla_count, 0) as responded_in_sla_count,
        coalesce(fb.response_hours_sum, 0) as response_hours_sum, coalesce(ap.overrides, '{}') as overrides
      from (${companyCreditFactsSql()}) co
      left join (
        select wf.company_id, count(*)::int as staff_count,
          count(*) filter (where c.cert_state = 'active')::int as certified_staff,
          count(*) filter (where wf.health_valid)::int as staff_health_valid
        from (${workerCreditFactsSql(today(asOf))}) wf left join (${certificateCreditSql(asOf)}) c on c.worker_id = wf.worker_id
        where wf.company_id is not null group by wf.company_id
      ) st on st.company_id = co.company_id
      left join (${orderCreditStatsSql()}) os on os.subject_type = 'company' and os.subject_id = co.company_id
      left join ${creditListEntry} le on le.subject_type = 'company' and le.subject_id = co.company_id and le.removed_at is null
      left join (${fb}) fb on fb.subject_type = 'company' and fb.subject_id = co.company_id
      left join (${upheldAppealsSql('company')}) ap on ap.subject_id = co.company_id
      where co.status in ('active', 'suspended') and ${where}`;
  }

  const overridesOf = (v: unknown): string[] =>
    Array.isArray(v)
      ? v.map(String)
      : typeof v === 'string'
        ? v.replace(/[{}]/g, '').split(',').filter(Boolean)
        : [];

  function toWorkerFacts(r: WorkerRow): WorkerFacts {
    return {
      companyId: r.company_id,
      identityVerified: !!r.identity_verified,
      healthValid: !!r.health_valid,
      trainingPassed: !!r.training_passed,
      skillLevel: (r.skill_level as string | null) ?? null,
      reviewCount: num(r.review_count),
      ratingSum: num(r.rating_sum),
      followUpCount: num(r.follow_up_count),
      followUpSum: num(r.follow_up_sum),
      completedOrders: num(r.completed_count),
      companyGrade: (r.company_grade as string | null) ?? null,
      complaintCount: num(r.complaint_count),
      upheldCount: num(r.upheld_count),
      list: (r.list as ListState) ?? null,
      certificate: r.cert_state as WorkerFacts['certificate'],
      overrides: overridesOf(r.overrides),
    };
  }

  function toCompanyFacts(r: CompanyRow): CompanyFacts {
    return {
      // Whole days, so a score does not drift within a day.
      yearsActive: Math.round((Math.floor(num(r.days_active)) / 365.25) * 100) / 100,
      staffCount: num(r.staff_count),
      certifiedStaff: num(r.certified_staff),
      staffHealthValid: num(r.staff_health_valid),
      reviewCount: num(r.review_count),
      ratingSum: num(r.rating_sum),
      followUpCount: num(r.follow_up_count),
      followUpSum: num(r.follow_up_sum),
      completedOrders: num(r.completed_count),
      complaintCount: num(r.complaint_count),
      upheldCount: num(r.upheld_count),
      respondedCount: num(r.responded_count),
      respondedInSlaCount: num(r.responded_in_sla_count),
      responseHoursSum: num(r.response_hours_sum),
      list: (r.list as ListState) ?? null,
      overrides: overridesOf(r.overrides),
    };
  }

  /** Merges feedback's per-subject figures (statsFor) into rows read without the feedback join. */
  async function withFeedback<R extends Record<string, unknown>>(
    rows: R[],
    type: SubjectType,
    idKey: keyof R,
    asOf: Date,
  ) {
    if (!deps.feedback) return rows;
    for (const r of rows) {
      const s = await deps.feedback.statsFor({ type, id: String(r[idKey]) }, asOf);
      Object.assign(r, {
        review_count: s.reviewCount,
        rating_sum: s.ratingSum,
        complaint_count: s.complaintCount,
        upheld_count: s.upheldCount,
        responded_count: s.respondedCount,
        responded_in_sla_count: s.respondedInSlaCount,
        response_hours_sum: s.responseHoursSum,
      });
    }
    return rows;
  }

  // ---- saving ------------------------------------------------------------------------------------------

  interface Scored {
    type: SubjectType;
    id: string;
    result: ScoreResult;
    facts: WorkerFacts | CompanyFacts;
  }

  /** A stored score as the full recompute compares it. */
  interface Stored {
    centi: number;
    level: string;
    scorecardId: string;
    facts: unknown;
  }

  /** Every stored score of one subject type (one sequential pass), for `saveScores` to skip what did not change. */
  async function storedScores(type: SubjectType, q: DbOrTx = db): Promise<Map<string, Stored>> {
    const rows = rowsOf<{
      subject_id: string;
      score_centi: number;
      level: string;
      scorecard_id: string;
      facts: unknown;
    }>(
      await q.execute(sql`select subject_id, score_centi, level, scorecard_id, facts
        from ${creditScore} where subject_type = ${type}`),
    );
    return new Map(
      rows.map((r) => [
        r.subject_id,
        { centi: num(r.score_centi), level: r.level, scorecardId: r.scorecard_id, facts: r.facts },
      ]),
    );
  }

  const isUnchanged = (s: Scored, stored: Stored | undefined, scorecardId: string) =>
    !!stored &&
    stored.scorecardId === scorecardId &&
    stored.centi === s.result.centi &&
    stored.level === s.result.level &&
    sameFacts(stored.facts, s.facts);

  /**
   * Upserts scores in one statement per chunk, writing only rows whose score, level, version or facts changed
   * (so `computed_at` is when the score last changed); adds a history row where score,
   * level or version changed. With `stored` (the full recompute), subjects whose score, level, version and facts
   * equal the stored ones are not even sent.
   */
  async function saveScores(all: Scored[], scorecardId: string, now: Date, stored?: Map<string, Stored>) {
    const changed: { type: SubjectType; id: string; level: string; oldLevel: string | null }[] = [];
    const items = stored ? all.filter((s) => !isUnchanged(s, stored.get(s.id), scorecardId)) : all;
    // Id order: concurrent writers (events, another node's run) lock rows in the same order.
    items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const starts: number[] = [];
    for (let i = 0; i < items.length; i += SAVE_CHUNK) starts.push(i);
    // Two chunks at a time on two connections: the write is database-bound, and the chunks' rows are disjoint.
    const writeChunk = async (i: number) => {
      const chunk = items.slice(i, i + SAVE_CHUNK).map((s) => ({
        subject_type: s.type,
        subject_id: s.id,
        score_centi: s.result.centi,
        level: s.result.level,
        facts: s.facts,
        history_id: newId('csh'),
      }));
      const res = await db.execute(sql`with incoming as (
          select * from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(subject_type text, subject_id text,
            score_centi int, level text, facts jsonb, history_id text)
        ), old as (
          select s.subject_type, s.subject_id, s.score_centi, s.level, s.scorecard_id
          from ${creditScore} s join incoming i on i.subject_type = s.subject_type and i.subject_id = s.subject_id
        ), up as (
          insert into ${creditScore} (subject_type, subject_id, score_centi, level, scorecard_id, facts, computed_at)
          select subject_type, subject_id, score_centi, level, ${scorecardId}, facts, ${now.toISOString()}::timestamptz
          from incoming
          on conflict (subject_type, subject_id) do update set score_centi = excluded.score_centi, level = excluded.level,
            scorecard_id = excluded.scorecard_id, facts = excluded.facts, computed_at = excluded.computed_at
          where (${creditScore}.score_centi, ${creditScore}.level, ${creditScore}.scorecard_id, ${creditScore}.facts)
            is distinct from (excluded.score_centi, excluded.level, excluded.scorecard_id, excluded.facts)
          returning 1
        ), hist as (
          insert into ${creditScoreHistory} (id, subject_type, subject_id, score_centi, level, scorecard_id, computed_at)
          select i.history_id, i.subject_type, i.subject_id, i.score_centi, i.level, ${scorecardId}, ${now.toISOString()}::timestamptz
          from incoming i left join old o on o.subject_type = i.subject_type and o.subject_id = i.subject_id
          where o.subject_id is null or o.score_centi <> i.score_centi or o.level <> i.level or o.scorecard_id <> ${scorecardId}
          returning subject_type, subject_id, level
        )
        select h.subject_type, h.subject_id, h.level, o.level as old_level
        from hist h left join old o on o.subject_type = h.subject_type and o.subject_id = h.subject_id`);
      for (const r of rowsOf<{
        subject_type: SubjectType;
        subject_id: string;
        level: string;
        old_level: string | null;
      }>(res))
        changed.push({ type: r.subject_type, id: r.subject_id, level: r.level, oldLevel: r.old_level });
    };
    await Promise.all(
      Array.from({ length: Math.min(SAVE_PARALLEL, starts.length) }, async () => {
        for (let i = starts.shift(); i !== undefined; i = starts.shift()) await writeChunk(i);
      }),
    );
    return Object.assign(changed, { sent: items.length, items });
  }

  /** Companies whose stored orgs grade differs from the computed one get the new grade (after the scores commit). */
  async function syncGrades(rows: CompanyRow[], results: Map<string, ScoreResult>) {
    const grades = rows
      .filter((r) => results.get(r.company_id)?.level !== r.credit_grade)
      .map((r) => ({ orgId: r.company_id, grade: results.get(r.company_id)!.level }));
    if (grades.length) await orgs.setCreditGrades(grades);
    return grades;
  }

  /** Search rows follow new grades and the written workers' credit, in a few set-based statements. */
  async function project(grades: { orgId: string; grade: string }[], written: Scored[]) {
    if (!deps.discovery || (!grades.length && !written.length)) return;
    await deps.discovery.applyCredit({
      grades: grades.map((g) => ({ companyId: g.orgId, grade: g.grade })),
      workers: written.map((s) => ({
        workerId: s.id,
        ...workerCreditView(s.result.centi, s.result.level, s.facts as WorkerFacts),
      })),
    });
  }

  // ---- computing ---------------------------------------------------------------------------------------

  /**
   * Runs the whole-city reads in one transaction without JIT (at Guangzhou scale PostgreSQL spent 4–5 s compiling
   * each facts query, whose estimated cost is far above jit_above_cost, for plans that run in less) and with room
   * for the per-subject order aggregates in memory (they spilled to disk at the default 4 MB).
   */
  const cityRead = <T>(fn: (q: DbOrTx) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`set local work_mem = '64MB'`);
      return fn(tx);
    });

  async function scoreCompanies(
    where: SQL,
    fb: SQL | null,
    asOf: Date,
    config: ScorecardConfig,
    q: DbOrTx = db,
  ) {
    let rows = rowsOf<CompanyRow>(await q.execute(companyFactsQuery(asOf, where, fb ?? EMPTY_FEEDBACK)));
    if (!fb) rows = await withFeedback(rows, 'company', 'company_id', asOf);
    const results = new Map<string, ScoreResult>();
    const items: Scored[] = rows.map((r) => {
      const facts = toCompanyFacts(r);
      const result = scoreCompany(facts, config);
      results.set(r.company_id, result);
      return { type: 'company', id: r.company_id, result, facts };
    });
    return { rows, results, items };
  }

  async function scoreWorkers(
    where: SQL,
    fb: SQL | null,
    asOf: Date,
    config: ScorecardConfig,
    q: DbOrTx = db,
  ) {
    let rows = rowsOf<WorkerRow>(await q.execute(workerFactsQuery(asOf, where, fb ?? EMPTY_FEEDBACK)));
    if (!fb) rows = await withFeedback(rows, 'worker', 'worker_id', asOf);
    return rows.map((r): Scored => {
      const facts = toWorkerFacts(r);
      return { type: 'worker', id: r.worker_id, result: scoreWorker(facts, config), facts };
    });
  }

  /**
   * Incremental update after an event: the named companies and the named workers' employers first (a worker's
   * score reads its employer's grade), then the named workers plus every worker of a company whose grade changed. Reads each subject with the same
   * queries as the full recompute, narrowed to it, and feedback's per-subject `statsFor`.
   */
  async function refresh(subjects: { workers?: string[]; companies?: string[] }) {
    const now = clock();
    const sc = await activeScorecard();
    const workerIds = new Set(subjects.workers ?? []);
    // A worker's documents and certificate count in the employer's staff indicators: rescore the employer too.
    const employers = workerIds.size
      ? rowsOf<{ company_id: string }>(
          await db.execute(sql`select distinct wf.company_id from (${workerCreditFactsSql(today(now))}) wf
            where wf.worker_id in ${[...workerIds]} and wf.company_id is not null`),
        ).map((r) => r.company_id)
      : [];
    const companyIds = [...new Set([...(subjects.companies ?? []), ...employers])];
    const gradeChanged: string[] = [];
    let syncedCompanies: { orgId: string; grade: string }[] = [];
    if (companyIds.length) {
      const c = await scoreCompanies(sql`co.company_id in ${companyIds}`, null, now, sc.config);
      const changed = await saveScores(c.items, sc.id, now);
      for (const ch of changed) if (ch.level !== ch.oldLevel) gradeChanged.push(ch.id);
      syncedCompanies = await syncGrades(c.rows, c.results);
    }
    let workerItems: Scored[] = [];
    if (workerIds.size || gradeChanged.length) {
      const ids = [...workerIds];
      const where = or(
        ids.length ? sql`wf.worker_id in ${ids}` : undefined,
        gradeChanged.length ? sql`wf.company_id in ${gradeChanged}` : undefined,
      )!;
      workerItems = await scoreWorkers(where, null, now, sc.config);
    }
    const savedWorkers = await saveScores(workerItems, sc.id, now);
    await project(syncedCompanies, savedWorkers.items);
    return { companies: companyIds.length, workers: workerItems.length };
  }

  return {
    activeScorecard,

    /** All scorecard versions, newest first. */
    async scorecards() {
      const rows = await db.select().from(creditScorecard).orderBy(desc(creditScorecard.version)).limit(100);
      if (!rows.length) await activeScorecard();
      const list = rows.length
        ? rows
        : await db.select().from(creditScorecard).orderBy(desc(creditScorecard.version));
      return list.map((r) => ({
        id: r.id,
        version: r.version,
        config: r.config as ScorecardConfig,
        note: r.note,
        createdAt: r.createdAt.toISOString(),
      }));
    },

    /** The regulator publishes a new version; weights must sum to 100 and thresholds rise strictly. Rescoring follows. */
    async publishScorecard(
      ctx: RequestContext,
      input: { config: ScorecardConfig; note?: string | undefined },
    ) {
      const actor = requireRegulator(ctx);
      const parsed = scorecardConfigSchema.safeParse(input.config);
      if (!parsed.success)
        throw new AppError('CREDIT_SCORECARD_INVALID', {
          issues: parsed.error.issues.map((i) => ({
            path: ['config', ...i.path].join('.'),
            message: i.message,
          })),
        });
      const issues = validateScorecard(parsed.data);
      if (issues.length)
        throw new AppError('CREDIT_SCORECARD_INVALID', {
          issues: issues.map((i) => ({ ...i, path: `config.${i.path}` })),
        });
      const current = await activeScorecard();
      const now = clock();
      return db.transaction(async (tx) => {
        const id = newId('csc');
        // The unique version index turns a concurrent publication into a conflict, not a duplicate number.
        const version = current.version + 1;
        await tx.insert(creditScorecard).values({
          id,
          version,
          config: parsed.data,
          note: input.note ?? null,
          createdBy: actor.userId,
          createdAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'credit.scorecard_published',
            objectType: 'credit_scorecard',
            objectId: id,
            detail: { version },
          },
          now,
        );
        await enqueueEvent<CreditEvents>(tx, {
          topic: 'credit.scorecard_published',
          payload: { scorecardId: id },
        });
        return { id, version, config: parsed.data, note: input.note ?? null, createdAt: now.toISOString() };
      });
    },

    /** Rescores one worker (after an event about them). */
    refreshWorker: (workerId: string) => refresh({ workers: [workerId] }),
    /** Rescores one company and, when its grade changed, its workers. */
    refreshCompany: (companyId: string) => refresh({ companies: [companyId] }),
    /** Rescores the subjects an event names (a review or complaint names a worker and/or a company). */
    refreshSubjects: refresh,

    /**
     * The nightly full recompute: every company, then every worker, each with one set-based facts query (inputs
     * from every module as SQL fragments), scored with the same functions as the incremental path; only the
     * scores that changed are written, in chunks of one statement each, and pushed to search set-based. Returns
     * counts (rated, and changed), milliseconds per phase and the elapsed milliseconds. Run by a regulator (`ctx`),
     * it is audited once at the end (`credit.recomputed`: scorecard, counts); its writes span many transactions, and a
     * failed audit append fails the request. The nightly job passes no context (its scores are the same derivation).
     */
    async recomputeAll(ctx?: RequestContext) {
      // The whole-city facts queries run past a request's statement_timeout at Guangzhou scale.
      return withStatementTimeout(LONG_JOB_STATEMENT_TIMEOUT_MS, async () => {
        const started = Date.now();
        // Milliseconds per phase (the benchmark prints them).
        const phases: Record<string, number> = {};
        let mark = started;
        const lap = (name: string) => {
          const t = Date.now();
          phases[name] = t - mark;
          mark = t;
        };
        const now = clock();
        const sc = await activeScorecard();
        const fb = deps.feedback ? deps.feedback.statsSql(now) : EMPTY_FEEDBACK;
        const c = await cityRead(async (q) => ({
          ...(await scoreCompanies(sql`true`, fb, now, sc.config, q)),
          stored: await storedScores('company', q),
        }));
        lap('companyFacts');
        const savedCompanies = await saveScores(c.items, sc.id, now, c.stored);
        const synced = await syncGrades(c.rows, c.results);
        lap('companyWrite');
        const w = await cityRead(async (q) => ({
          items: await scoreWorkers(sql`true`, fb, now, sc.config, q),
          stored: await storedScores('worker', q),
        }));
        lap('workerFacts');
        const savedWorkers = await saveScores(w.items, sc.id, now, w.stored);
        lap('workerWrite');
        await project(synced, savedWorkers.items);
        lap('search');
        const counts = {
          companies: c.items.length,
          workers: w.items.length,
          changed: { companies: savedCompanies.sent, workers: savedWorkers.sent },
        };
        if (ctx)
          await appendAudit(
            db,
            ctx,
            { action: 'credit.recomputed', objectType: 'credit_scorecard', objectId: sc.id, detail: counts },
            now,
          );
        return { ...counts, phases, ms: Date.now() - started };
      });
    },

    /** Scores of many workers for the search projection: score (0–100, rounded), stars, raw rating average and count. */
    async workerCredits(workerIds: string[]) {
      const out = new Map<
        string,
        { score: number; stars: number; ratingAvg: number | null; ratingCount: number }
      >();
      if (!workerIds.length) return out;
      const rows = await db
        .select()
        .from(creditScore)
        // One array parameter, not one per id: a search rebuild asks for 2,000 workers a page, and drizzle's
        // per-parameter query building was a visible share of the city generator's CPU.
        .where(
          and(
            eq(creditScore.subjectType, 'worker'),
            sql`${creditScore.subjectId} = any(${sql.param(workerIds)}::text[])`,
          ),
        );
      for (const r of rows)
        out.set(r.subjectId, workerCreditView(r.scoreCenti, r.level, r.facts as WorkerFacts));
      return out;
    },

    /** A worker's stars for the public verification page, or null when not yet rated. */
    async workerStars(workerId: string): Promise<number | null> {
      const [r] = await db
        .select({ level: creditScore.level })
        .from(creditScore)
        .where(and(eq(creditScore.subjectType, 'worker'), eq(creditScore.subjectId, workerId)));
      return r ? Number(r.level) : null;
    },

    // ---- explanation ---------------------------------------------------------------------------------------

    /** The signed-in worker's own score with every indicator's contribution, what would raise it, history and appeals. */
    async myWorkerCredit(ctx: RequestContext): Promise<Explanation> {
      const workerId = ctx.actor ? await workers.findWorkerIdByUser(ctx.actor.userId) : null;
      if (!workerId) throw new AppError('NOT_FOUND');
      return explain('worker', workerId);
    },

    /** A company's own explanation, for its members. */
    async companyCredit(ctx: RequestContext, companyId: string): Promise<Explanation> {
      if (!ctx.actor || !orgIdsOf(ctx.actor, 'company').includes(companyId)) throw new AppError('NOT_FOUND');
      return explain('company', companyId);
    },

    /** Any subject's explanation, for the regulator. */
    async regulatorExplain(ctx: RequestContext, type: SubjectType, id: string): Promise<Explanation> {
      requireRegulator(ctx);
      return explain(type, id);
    },

    // ---- appeals -------------------------------------------------------------------------------------------

    /** The worker appeals one of their indicators with evidence (one open appeal per indicator). */
    async appealAsWorker(ctx: RequestContext, input: AppealInput) {
      const workerId = ctx.actor ? await workers.findWorkerIdByUser(ctx.actor.userId) : null;
      if (!workerId) throw new AppError('NOT_FOUND');
      return fileAppeal(ctx, 'worker', workerId, input);
    },

    /** A company admin appeals one of the company's indicators. */
    async appealAsCompany(ctx: RequestContext, companyId: string, input: AppealInput) {
      if (!ctx.actor || !orgIdsOf(ctx.actor, 'company', ['admin']).includes(companyId))
        throw new AppError('NOT_FOUND');
      return fileAppeal(ctx, 'company', companyId, input);
    },

    /** Appeals for the regulator, oldest first, optionally by state. */
    async appeals(
      ctx: RequestContext,
      q: { state?: AppealState | undefined; cursor?: string | undefined; limit: number },
    ) {
      requireRegulator(ctx);
      const cur = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(creditAppeal)
        .where(
          and(
            q.state ? eq(creditAppeal.state, q.state) : undefined,
            cur ? gt(creditAppeal.id, cur.id) : undefined,
          ),
        )
        .orderBy(asc(creditAppeal.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return { items: page.items.map(appealView), nextCursor: page.nextCursor };
    },

    /** The regulator upholds (the indicator counts in full from now on) or rejects an appeal, with a note. */
    async decideAppeal(
      ctx: RequestContext,
      appealId: string,
      input: { decision: 'uphold' | 'reject'; note: string },
    ) {
      const actor = requireRegulator(ctx);
      const now = clock();
      const view = await db.transaction(async (tx) => {
        const [row] = await tx.select().from(creditAppeal).where(eq(creditAppeal.id, appealId)).for('update');
        if (!row) throw new AppError('NOT_FOUND');
        const to = nextAppealState(row.state as AppealState, input.decision as AppealAction);
        if (!to) throw new AppError('CREDIT_APPEAL_DECIDED');
        await tx
          .update(creditAppeal)
          .set({ state: to, decisionNote: input.note, decidedBy: actor.userId, decidedAt: now })
          .where(eq(creditAppeal.id, appealId));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'credit.appeal_decided',
            objectType: 'credit_appeal',
            objectId: appealId,
            detail: { decision: input.decision, indicator: row.indicator },
          },
          now,
        );
        return appealView({
          ...row,
          state: to,
          decisionNote: input.note,
          decidedBy: actor.userId,
          decidedAt: now,
        });
      });
      if (view.state === 'upheld')
        await refresh(
          view.subjectType === 'worker' ? { workers: [view.subjectId] } : { companies: [view.subjectId] },
        );
      return view;
    },

    // ---- red / black lists ---------------------------------------------------------------------------------

    /** The regulator puts a worker or company on the red (守信) or black (失信) list with a reason. */
    async addListEntry(
      ctx: RequestContext,
      input: { subjectType: SubjectType; subjectId: string; list: 'red' | 'black'; reason: string },
    ) {
      const actor = requireRegulator(ctx);
      const displayName = await displayNameOf(input.subjectType, input.subjectId);
      const now = clock();
      const entry = await db.transaction(async (tx) => {
        const [live] = await tx
          .select({ id: creditListEntry.id })
          .from(creditListEntry)
          .where(
            and(
              eq(creditListEntry.subjectType, input.subjectType),
              eq(creditListEntry.subjectId, input.subjectId),
              isNull(creditListEntry.removedAt),
            ),
          );
        if (live) throw new AppError('CREDIT_ALREADY_LISTED');
        const id = newId('cln');
        const row = {
          id,
          ...input,
          displayName,
          listedAt: now,
          removedAt: null,
          createdBy: actor.userId,
        };
        await tx.insert(creditListEntry).values(row);
        await appendAudit(
          tx,
          ctx,
          {
            action: 'credit.listed',
            objectType: input.subjectType,
            objectId: input.subjectId,
            detail: { list: input.list, entryId: id },
          },
          now,
        );
        return row;
      });
      await refresh(
        input.subjectType === 'worker' ? { workers: [input.subjectId] } : { companies: [input.subjectId] },
      );
      return listView(entry);
    },

    /** The regulator takes an entry off its list (the row stays, with the removal date). */
    async removeListEntry(ctx: RequestContext, entryId: string) {
      requireRegulator(ctx);
      const now = clock();
      const entry = await db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(creditListEntry)
          .where(eq(creditListEntry.id, entryId))
          .for('update');
        if (!row) throw new AppError('NOT_FOUND');
        if (row.removedAt) throw new AppError('CREDIT_LIST_ENTRY_REMOVED');
        await tx.update(creditListEntry).set({ removedAt: now }).where(eq(creditListEntry.id, entryId));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'credit.unlisted',
            objectType: row.subjectType,
            objectId: row.subjectId,
            detail: { entryId },
          },
          now,
        );
        return { ...row, removedAt: now };
      });
      await refresh(
        entry.subjectType === 'worker' ? { workers: [entry.subjectId] } : { companies: [entry.subjectId] },
      );
      return listView(entry);
    },

    /** The public red or black list, newest first: names (workers masked), reasons and dates of current entries. */
    async publicList(list: 'red' | 'black', q: { cursor?: string | undefined; limit: number }) {
      const cur = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(creditListEntry)
        .where(
          and(
            eq(creditListEntry.list, list),
            isNull(creditListEntry.removedAt),
            cur ? lt(creditListEntry.id, cur.id) : undefined,
          ),
        )
        .orderBy(desc(creditListEntry.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return { items: page.items.map(listView), nextCursor: page.nextCursor };
    },

    /** Rated companies for the regulator, lowest score first (the evaluation's view). */
    async companyScores(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      requireRegulator(ctx);
      const cur = decodeCursor(q.cursor, z.object({ v: z.number(), id: z.string().max(64) }));
      const rows = rowsOf<{
        company_id: string;
        name: string;
        status: string;
        score_centi: number;
        level: string;
      }>(
        await db.execute(sql`select co.company_id, co.name, co.status, s.score_centi, s.level
          from ${creditScore} s join (${companyCreditFactsSql()}) co on co.company_id = s.subject_id
          where s.subject_type = 'company'
            ${cur ? sql`and (s.score_centi > ${cur.v} or (s.score_centi = ${cur.v} and co.company_id > ${cur.id}))` : sql``}
          order by s.score_centi, co.company_id limit ${q.limit + 1}`),
      );
      const page = toPage(rows, q.limit, (r) => ({ v: num(r.score_centi), id: r.company_id }));
      return {
        items: page.items.map((r) => ({
          companyId: r.company_id,
          name: r.name,
          status: r.status,
          score: centiToScore(num(r.score_centi)),
          level: r.level,
        })),
        nextCursor: page.nextCursor,
      };
    },

    /** The published 5A list: active companies graded 5A, by company id (stable pages). */
    async fiveAList(q: { cursor?: string | undefined; limit: number }) {
      const cur = decodeCursor(q.cursor, idCursor);
      const rows = rowsOf<{ company_id: string; name: string; district: string | null; score_centi: number }>(
        await db.execute(sql`select co.company_id, co.name, co.district, s.score_centi
          from ${creditScore} s join (${companyCreditFactsSql()}) co on co.company_id = s.subject_id
          where s.subject_type = 'company' and s.level = '5A' and co.status = 'active'
            ${cur ? sql`and co.company_id > ${cur.id}` : sql``}
          order by co.company_id limit ${q.limit + 1}`),
      );
      const page = toPage(rows, q.limit, (r) => ({ id: r.company_id }));
      return {
        items: page.items.map((r) => ({
          companyId: r.company_id,
          name: r.name,
          district: r.district,
          score: centiToScore(num(r.score_centi)),
        })),
        nextCursor: page.nextCursor,
      };
    },

    // ---- evaluation and expulsion --------------------------------------------------------------------------

    /**
     * An evaluation cycle: rescored companies below the scorecard's line get a warning with a deadline (one open
     * per company); open warnings of companies now above the line are resolved.
     */
    async runEvaluation(ctx: RequestContext) {
      const actor = requireRegulator(ctx);
      const now = clock();
      const sc = await activeScorecard();
      const { items } = await scoreCompanies(
        sql`co.status = 'active'`,
        deps.feedback?.statsSql(now) ?? EMPTY_FEEDBACK,
        now,
        sc.config,
      );
      await saveScores(items, sc.id, now);
      const line = Math.round(sc.config.evaluation.warnBelow * 100);
      const deadline = new Date(now.getTime() + sc.config.evaluation.deadlineDays * 86_400_000);
      const warnedIds: string[] = [];
      const result = await db.transaction(async (tx) => {
        const open = await tx.select().from(creditWarning).where(eq(creditWarning.state, 'open'));
        const openBy = new Map(open.map((w) => [w.companyId, w]));
        const id = newId('cev');
        let warned = 0;
        let resolved = 0;
        await tx.insert(creditEvaluation).values({
          id,
          scorecardId: sc.id,
          warnBelowCenti: line,
          warned: 0,
          resolved: 0,
          startedBy: actor.userId,
          createdAt: now,
        });
        for (const it of items) {
          const w = openBy.get(it.id);
          if (it.result.centi < line && !w) {
            await tx.insert(creditWarning).values({
              id: newId('cwn'),
              evaluationId: id,
              companyId: it.id,
              scoreCenti: it.result.centi,
              deadline,
              state: 'open',
              createdAt: now,
            });
            warned++;
            warnedIds.push(it.id);
          } else if (it.result.centi >= line && w && nextWarningState('open', 'resolve')) {
            await tx
              .update(creditWarning)
              .set({ state: 'resolved', closedAt: now })
              .where(eq(creditWarning.id, w.id));
            resolved++;
          }
        }
        await tx.update(creditEvaluation).set({ warned, resolved }).where(eq(creditEvaluation.id, id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'credit.evaluation_run',
            objectType: 'credit_evaluation',
            objectId: id,
            detail: { warned, resolved },
          },
          now,
        );
        return {
          id,
          evaluated: items.length,
          warned,
          resolved,
          warnBelow: line / 100,
          createdAt: now.toISOString(),
        };
      });
      for (const companyId of warnedIds)
        await notifications.notify({
          orgId: companyId,
          kind: 'credit.warning',
          title: '信用评价预警 Credit warning',
          body: `评分低于 ${line / 100} 分，请于 ${deadline.toISOString().slice(0, 10)} 前整改。Score below ${line / 100}; improve by ${deadline.toISOString().slice(0, 10)}.`,
          link: '/company/credit',
        });
      return result;
    },

    /** Warnings for the regulator: company, score, deadline, state; overdue ones are the expulsion candidates. */
    async warnings(
      ctx: RequestContext,
      q: { state?: WarningState | undefined; cursor?: string | undefined; limit: number },
    ) {
      requireRegulator(ctx);
      const cur = decodeCursor(q.cursor, idCursor);
      const now = clock();
      const rows = rowsOf<{
        id: string;
        company_id: string;
        name: string;
        score_centi: number;
        current_centi: number | null;
        deadline: string | Date;
        state: string;
        created_at: string | Date;
      }>(
        await db.execute(sql`select w.id, w.company_id, co.name, w.score_centi, s.score_centi as current_centi, w.deadline,
            w.state, w.created_at
          from ${creditWarning} w join (${companyCreditFactsSql()}) co on co.company_id = w.company_id
          left join ${creditScore} s on s.subject_type = 'company' and s.subject_id = w.company_id
          where true ${q.state ? sql`and w.state = ${q.state}` : sql``} ${cur ? sql`and w.id > ${cur.id}` : sql``}
          order by w.id limit ${q.limit + 1}`),
      );
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return {
        items: page.items.map((r) => ({
          id: r.id,
          companyId: r.company_id,
          companyName: r.name,
          score: centiToScore(num(r.score_centi)),
          currentScore: r.current_centi === null ? null : centiToScore(num(r.current_centi)),
          deadline: new Date(r.deadline).toISOString(),
          overdue: r.state === 'open' && new Date(r.deadline) < now,
          state: r.state as WarningState,
          createdAt: new Date(r.created_at).toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    },

    /**
     * Expels (清退) a company: orgs changes its status (refusing anything but an active or suspended company), then
     * the expulsion, a black-list entry and the closing of open warnings commit with the audit row and the
     * 'credit.company_expelled' event, whose handler frees and notifies the workers.
     */
    async expel(
      ctx: RequestContext,
      input: { companyId: string; ground: 'persistent_failure' | 'serious_violation'; reason: string },
    ) {
      const actor = requireRegulator(ctx);
      const org = await orgs.getOrganization(input.companyId);
      if (org?.type !== 'company') throw new AppError('NOT_FOUND');
      if (org.status === 'expelled') throw new AppError('CREDIT_ALREADY_EXPELLED');
      if (input.ground === 'persistent_failure') {
        const [w] = await db
          .select()
          .from(creditWarning)
          .where(and(eq(creditWarning.companyId, input.companyId), eq(creditWarning.state, 'open')));
        if (!w || w.deadline > clock()) throw new AppError('CREDIT_EXPULSION_NOT_DUE');
      }
      await orgs.changeStatus(ctx, input.companyId, { action: 'expel', reason: input.reason });
      const now = clock();
      await db.transaction(async (tx) => {
        await tx.insert(creditExpulsion).values({
          companyId: input.companyId,
          reason: input.reason,
          ground: input.ground,
          expelledBy: actor.userId,
          expelledAt: now,
        });
        await tx
          .update(creditWarning)
          .set({ state: 'expelled', closedAt: now })
          .where(and(eq(creditWarning.companyId, input.companyId), eq(creditWarning.state, 'open')));
        await tx
          .update(creditListEntry)
          .set({ removedAt: now })
          .where(
            and(
              eq(creditListEntry.subjectType, 'company'),
              eq(creditListEntry.subjectId, input.companyId),
              isNull(creditListEntry.removedAt),
            ),
          );
        await tx.insert(creditListEntry).values({
          id: newId('cln'),
          subjectType: 'company',
          subjectId: input.companyId,
          displayName: org.name,
          list: 'black',
          reason: input.reason,
          listedAt: now,
          createdBy: actor.userId,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'credit.company_expelled',
            objectType: 'organization',
            objectId: input.companyId,
            detail: { ground: input.ground },
          },
          now,
        );
        await enqueueEvent<CreditEvents>(tx, {
          topic: 'credit.company_expelled',
          payload: { companyId: input.companyId },
        });
      });
      return expulsionView(input.companyId);
    },

    /** An expulsion record with the company's open orders (for the regulator to see them handled). */
    async expulsion(ctx: RequestContext, companyId: string) {
      requireRegulator(ctx);
      return expulsionView(companyId);
    },

    /** All expulsions, newest first. */
    async expulsions(ctx: RequestContext) {
      requireRegulator(ctx);
      const rows = await db
        .select({ companyId: creditExpulsion.companyId })
        .from(creditExpulsion)
        .orderBy(desc(creditExpulsion.expelledAt))
        .limit(100);
      const out = [];
      for (const r of rows) out.push(await expulsionView(r.companyId));
      return out;
    },

    /**
     * Handler of 'credit.company_expelled': ends the company's open employments (its workers may join another
     * company), notifies each worker with an account, and re-projects search. Idempotent: a second run finds no
     * open employment.
     */
    async onCompanyExpelled(ctx: RequestContext, payload: CompanyExpelledPayload) {
      const released = await workers.releaseCompanyWorkers(ctx, payload.companyId, 'company_expelled');
      for (const w of released)
        if (w.userId)
          await notifications.notify({
            userId: w.userId,
            kind: 'credit.company_expelled',
            title: '所属企业已被清退 Your company was expelled',
            body: '您与该企业的雇佣关系已结束，可加入其他家政企业。Your employment has ended; you may join another company.',
            link: '/worker/credit',
          });
      if (released.length)
        await db
          .update(creditExpulsion)
          .set({ workersReleased: released.length })
          .where(eq(creditExpulsion.companyId, payload.companyId));
      if (deps.discovery) {
        await deps.discovery.refreshCompany(payload.companyId);
        for (const w of released) await deps.discovery.refreshWorker(w.workerId);
      }
      await refresh({ workers: released.map((w) => w.workerId) });
    },
  };

  interface AppealInput {
    indicator: string;
    reason: string;
    evidence?: string | null | undefined;
  }

  async function fileAppeal(ctx: RequestContext, type: SubjectType, subjectId: string, input: AppealInput) {
    const keys: readonly string[] = type === 'worker' ? workerIndicatorKeys : companyIndicatorKeys;
    if (!keys.includes(input.indicator))
      throw new AppError('VALIDATION_FAILED', {
        issues: [{ path: 'indicator', message: 'unknown indicator' }],
      });
    const now = clock();
    try {
      return await db.transaction(async (tx) => {
        const id = newId('cap');
        const row = {
          id,
          subjectType: type,
          subjectId,
          indicator: input.indicator,
          reason: input.reason,
          evidence: input.evidence ?? null,
          state: 'submitted',
          decisionNote: null,
          filedBy: ctx.actor!.userId,
          decidedBy: null,
          createdAt: now,
          decidedAt: null,
        };
        await tx.insert(creditAppeal).values(row);
        await appendAudit(
          tx,
          ctx,
          {
            action: 'credit.appeal_filed',
            objectType: 'credit_appeal',
            objectId: id,
            detail: { indicator: input.indicator },
          },
          now,
        );
        return appealView(row);
      });
    } catch (e) {
      if (
        String((e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message).includes(
          'credit_appeal_open_uq',
        )
      )
        throw new AppError('CREDIT_APPEAL_OPEN');
      throw e;
    }
  }

  async function explain(type: SubjectType, id: string): Promise<Explanation> {
    const [row] = await db
      .select({ s: creditScore, version: creditScorecard.version, config: creditScorecard.config })
      .from(creditScore)
      .innerJoin(creditScorecard, eq(creditScorecard.id, creditScore.scorecardId))
      .where(and(eq(creditScore.subjectType, type), eq(creditScore.subjectId, id)));
    if (!row) throw new AppError('CREDIT_NOT_RATED');
    // Contributions are not stored: the row's facts under its own scorecard version give them back exactly.
    const config = row.config as ScorecardConfig;
    const cs: Contribution[] = (
      type === 'worker'
        ? scoreWorker(row.s.facts as WorkerFacts, config)
        : scoreCompany(row.s.facts as CompanyFacts, config)
    ).contributions;
    const history = await db
      .select()
      .from(creditScoreHistory)
      .where(and(eq(creditScoreHistory.subjectType, type), eq(creditScoreHistory.subjectId, id)))
      .orderBy(desc(creditScoreHistory.computedAt), desc(creditScoreHistory.id))
      .limit(100);
    const appeals = await db
      .select()
      .from(creditAppeal)
      .where(and(eq(creditAppeal.subjectType, type), eq(creditAppeal.subjectId, id)))
      .orderBy(desc(creditAppeal.id))
      .limit(50);
    return {
      subjectType: type,
      subjectId: id,
      score: centiToScore(row.s.scoreCenti),
      level: row.s.level,
      scorecardVersion: row.version,
      computedAt: row.s.computedAt.toISOString(),
      indicators: cs.map((c) => ({
        key: c.key,
        dimension: c.dimension,
        weight: c.weight,
        value: Math.round(c.value * 10_000) / 10_000,
        points: centiToScore(c.centi),
      })),
      improvements: improvements(cs).map((g) => ({ key: g.key, gain: centiToScore(g.gainCenti) })),
      facts: row.s.facts as Record<string, unknown>,
      history: history
        .reverse()
        .map((h) => ({ at: h.computedAt.toISOString(), score: centiToScore(h.scoreCenti), level: h.level })),
      appeals: appeals.map(appealView),
    };
  }

  async function displayNameOf(type: SubjectType, id: string): Promise<string> {
    if (type === 'company') {
      const o = await orgs.getOrganization(id);
      if (o?.type !== 'company') throw new AppError('NOT_FOUND');
      return o.name;
    }
    const [w] = await workers.searchSources({ ids: [id] });
    if (!w) throw new AppError('NOT_FOUND');
    return maskedName(w.name);
  }

  function listView(r: typeof creditListEntry.$inferSelect) {
    return {
      id: r.id,
      subjectType: r.subjectType as SubjectType,
      subjectId: r.subjectId,
      name: r.displayName,
      list: r.list as 'red' | 'black',
      reason: r.reason,
      listedAt: r.listedAt.toISOString(),
      removedAt: r.removedAt?.toISOString() ?? null,
    };
  }

  async function expulsionView(companyId: string) {
    const [e] = await db.select().from(creditExpulsion).where(eq(creditExpulsion.companyId, companyId));
    if (!e) throw new AppError('NOT_FOUND');
    const org = await orgs.getOrganization(companyId);
    return {
      companyId,
      companyName: org?.name ?? '',
      ground: e.ground as 'persistent_failure' | 'serious_violation',
      reason: e.reason,
      expelledAt: e.expelledAt.toISOString(),
      workersReleased: e.workersReleased,
      openOrders: await orders.openOrdersOf(companyId),
    };
  }
}

export type CreditService = ReturnType<typeof createCreditService>;

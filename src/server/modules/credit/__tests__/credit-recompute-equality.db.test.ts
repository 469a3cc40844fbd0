import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import type { Actor } from '../../../platform/http/actor.js';
import type { RequestContext } from '../../../platform/http/context.js';
import { DEMO_SEED, seedSteps } from '../../../seed/demo.js';
import { createRandom } from '../../../seed/random.js';
import { sameFacts } from '../credit.service.js';
import { creditAppeal, creditScore, creditScoreHistory } from '../credit.tables.js';
import {
  type CompanyFacts,
  type ListState,
  type ScorecardConfig,
  scoreCompany,
  scoreWorker,
  type WorkerFacts,
} from '../scorecard.js';

// The set-based full recompute (one pass per table, only changed rows written) against a reference: the facts
// queries as they were before (a probe per worker for health documents, training and appeals; orders joined to
// follow-ups and counted distinct), written here with plain table names, scored with the same pure functions.
// On the demo city (orders, reviews, upheld complaints, a red-listed company, an expelled one, an upheld appeal),
// then again a year later (health certificates and certificates expired, complaints out of the window).

let t: TestApp;
let regulator: RequestContext;
const DAY = 86_400_000;
beforeAll(async () => {
  t = await buildTestApp();
  const ctx = { app: t.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} } as Parameters<
    (typeof seedSteps)[number]['run']
  >[0];
  const steps = [
    'organizations',
    'accounts',
    'workers',
    'certificates',
    'training',
    'catalog-discovery',
    'orders',
    'feedback',
    'credit',
  ];
  for (const step of seedSteps.filter((s) => steps.includes(s.name))) await step.run(ctx);
  // Some seed steps stamp rows with the wall clock (complaints): score an hour after all of them.
  t.clock.advance(Math.max(0, Date.now() - t.clock.now.getTime()) + 3600_000);
  // An upheld appeal, so an override counts.
  regulator = {
    actor: {
      userId: ctx.accounts.regulator!,
      sessionId: 'test-regulator',
      name: '',
      phoneMasked: '',
      roles: ['regulator'] as Actor['roles'],
      memberships: [],
      regulatorDistrict: null,
    },
    requestId: 'test-equality',
    ip: null,
  };
  const [pending] = await t.database.db
    .select()
    .from(creditAppeal)
    .where(eq(creditAppeal.state, 'submitted'));
  await t.app.services.credit.decideAppeal(regulator, pending!.id, { decision: 'uphold', note: '材料属实' });
}, 600_000);
afterAll(async () => t?.close());

const rows = async <T>(q: ReturnType<typeof sql>) => {
  const res = (await t.database.db.execute(q)) as unknown;
  return (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
};
const num = (v: unknown) => Number(v ?? 0);
const overridesOf = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String)
    : typeof v === 'string'
      ? v.replace(/[{}]/g, '').split(',').filter(Boolean)
      : [];

/** The worker facts query as it was: correlated EXISTS per worker, orders ⋈ follow-ups with count(distinct). */
function oldWorkerFacts(asOf: Date, fb: ReturnType<typeof sql>) {
  const at = asOf.toISOString();
  const today = new Date(asOf.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const wf = sql`select worker.id as worker_id, employment.company_id as company_id,
    (worker.identity_verified_at is not null) as identity_verified,
    exists (select 1 from worker_document d where d.worker_id = worker.id and d.kind = 'health'
      and d.superseded_at is null and d.state = 'approved' and d.expires_on >= ${today}::date) as health_valid,
    exists (select 1 from pre_job_training p where p.worker_id = worker.id and p.passed) as training_passed,
    worker.skill_level as skill_level
    from worker left join employment on employment.worker_id = worker.id and employment.ended_at is null
    where worker.status = 'active'`;
  const cert = sql`select worker_id, case when state = 'active' and valid_until > ${at}::timestamptz then 'active'
    when state = 'suspended' then 'suspended' else 'expired' end as cert_state from certificate where state <> 'revoked'`;
  const os = sql`select o.worker_id as subject_id,
      count(distinct o.id) filter (where o.state in ('completed', 'closed'))::int as completed_count,
      count(f.satisfaction)::int as follow_up_count, coalesce(sum(f.satisfaction), 0)::int as follow_up_sum
    from service_order o left join follow_up f on f.order_id = o.id and f.state = 'done'
    where o.worker_id is not null group by o.worker_id`;
  return sql`select wf.*, coalesce(c.cert_state, 'none') as cert_state,
      coalesce(os.completed_count, 0) as completed_count, coalesce(os.follow_up_count, 0) as follow_up_count,
      coalesce(os.follow_up_sum, 0) as follow_up_sum, cs.level as company_grade, le.list as list,
      coalesce(fb.review_count, 0) as review_count, coalesce(fb.rating_sum, 0) as rating_sum,
      coalesce(fb.complaint_count, 0) as complaint_count, coalesce(fb.upheld_count, 0) as upheld_count,
      (select coalesce(array_agg(a.indicator order by a.indicator), '{}') from credit_appeal a
        where a.subject_type = 'worker' and a.subject_id = wf.worker_id and a.state = 'upheld') as overrides
    from (${wf}) wf left join (${cert}) c on c.worker_id = wf.worker_id
    left join (${os}) os on os.subject_id = wf.worker_id
    left join credit_score cs on cs.subject_type = 'company' and cs.subject_id = wf.company_id
    left join credit_list_entry le on le.subject_type = 'worker' and le.subject_id = wf.worker_id and le.removed_at is null
    left join (${fb}) fb on fb.subject_type = 'worker' and fb.subject_id = wf.worker_id
    order by wf.worker_id`;
}

/** The company facts query as it was: staff from the per-worker facts, orders counted distinct. */
function oldCompanyFacts(asOf: Date, fb: ReturnType<typeof sql>) {
  const at = asOf.toISOString();
  const today = new Date(asOf.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return sql`select co.id as company_id, co.credit_grade,
      extract(epoch from (${at}::timestamptz - coalesce(co.decided_at, co.created_at))) / 86400.0 as days_active,
      coalesce(st.staff_count, 0) as staff_count, coalesce(st.certified_staff, 0) as certified_staff,
      coalesce(st.staff_health_valid, 0) as staff_health_valid,
      coalesce(os.completed_count, 0) as completed_count, coalesce(os.follow_up_count, 0) as follow_up_count,
      coalesce(os.follow_up_sum, 0) as follow_up_sum, le.list as list,
      coalesce(fb.review_count, 0) as review_count, coalesce(fb.rating_sum, 0) as rating_sum,
      coalesce(fb.complaint_count, 0) as complaint_count, coalesce(fb.upheld_count, 0) as upheld_count,
      coalesce(fb.responded_count, 0) as responded_count,
      coalesce(fb.responded_in_sla_count, 0) as responded_in_sla_count,
      coalesce(fb.response_hours_sum, 0) as response_hours_sum,
      (select coalesce(array_agg(a.indicator order by a.indicator), '{}') from credit_appeal a
        where a.subject_type = 'company' and a.subject_id = co.id and a.state = 'upheld') as overrides
    from organization co
    left join (
      select e.company_id, count(*)::int as staff_count,
        count(*) filter (where c.state = 'active' and c.valid_until > ${at}::timestamptz)::int as certified_staff,
        count(*) filter (where exists (select 1 from worker_document d where d.worker_id = w.id and d.kind = 'health'
          and d.superseded_at is null and d.state = 'approved' and d.expires_on >= ${today}::date))::int as staff_health_valid
      from worker w join employment e on e.worker_id = w.id and e.ended_at is null
      left join certificate c on c.worker_id = w.id and c.state <> 'revoked'
      where w.status = 'active' group by e.company_id
    ) st on st.company_id = co.id
    left join (
      select o.company_id, count(distinct o.id) filter (where o.state in ('completed', 'closed'))::int as completed_count,
        count(f.satisfaction)::int as follow_up_count, coalesce(sum(f.satisfaction), 0)::int as follow_up_sum
      from service_order o left join follow_up f on f.order_id = o.id and f.state = 'done'
      where o.company_id is not null group by o.company_id
    ) os on os.company_id = co.id
    left join credit_list_entry le on le.subject_type = 'company' and le.subject_id = co.id and le.removed_at is null
    left join (${fb}) fb on fb.subject_type = 'company' and fb.subject_id = co.id
    where co.type = 'company' and co.status in ('active', 'suspended') order by co.id`;
}

interface Expected {
  type: 'worker' | 'company';
  id: string;
  centi: number;
  level: string;
  contributions: unknown;
  facts: WorkerFacts | CompanyFacts;
}

/** Every subject's expected score from the old queries, read now (after the recompute stored company levels). */
async function reference(config: ScorecardConfig): Promise<Expected[]> {
  const now = t.clock.now;
  const fb = t.app.services.feedback.statsSql(now);
  const out: Expected[] = [];
  for (const r of await rows<Record<string, unknown>>(oldCompanyFacts(now, fb))) {
    const facts: CompanyFacts = {
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
    const s = scoreCompany(facts, config);
    out.push({
      type: 'company',
      id: String(r.company_id),
      centi: s.centi,
      level: s.level,
      contributions: s.contributions,
      facts,
    });
  }
  for (const r of await rows<Record<string, unknown>>(oldWorkerFacts(now, fb))) {
    const facts: WorkerFacts = {
      companyId: (r.company_id as string | null) ?? null,
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
    const s = scoreWorker(facts, config);
    out.push({
      type: 'worker',
      id: String(r.worker_id),
      centi: s.centi,
      level: s.level,
      contributions: s.contributions,
      facts,
    });
  }
  return out;
}

async function stored() {
  const all = await t.database.db
    .select()
    .from(creditScore)
    .orderBy(asc(creditScore.subjectType), asc(creditScore.subjectId));
  return new Map(all.map((r) => [`${r.subjectType}:${r.subjectId}`, r]));
}

/** Compares every subject the reference rates with its stored row; returns the reference for further checks. */
async function expectEqualToReference() {
  const sc = await t.app.services.credit.activeScorecard();
  const expected = await reference(sc.config);
  const got = await stored();
  for (const e of expected) {
    const r = got.get(`${e.type}:${e.id}`);
    expect(r, `${e.type} ${e.id} is rated`).toBeDefined();
    expect({ id: e.id, centi: r!.scoreCenti, level: r!.level, scorecardId: r!.scorecardId }).toEqual({
      id: e.id,
      centi: e.centi,
      level: e.level,
      scorecardId: sc.id,
    });
    expect(r!.facts).toEqual(e.facts);
    // Contributions are not stored: the stored facts under the stored version must give back the reference's.
    const again =
      e.type === 'worker'
        ? scoreWorker(r!.facts as WorkerFacts, sc.config)
        : scoreCompany(r!.facts as CompanyFacts, sc.config);
    expect(again.contributions).toEqual(e.contributions);
    expect(again.centi).toBe(r!.scoreCenti);
  }
  // The company's grade is copied to its organization row.
  const grades = await rows<{ id: string; credit_grade: string | null }>(
    sql`select id, credit_grade from organization where type = 'company' and status in ('active', 'suspended')`,
  );
  for (const g of grades) expect(g.credit_grade).toBe(got.get(`company:${g.id}`)?.level ?? null);
  return expected;
}

const historyCount = async () =>
  num((await rows<{ n: number }>(sql`select count(*) as n from ${creditScoreHistory}`))[0]?.n);

describe('the set-based recompute equals the per-subject reference', () => {
  test('on the demo city: every worker and company, score, level, contributions and facts', async () => {
    const out = await t.app.services.credit.recomputeAll();
    const expected = await expectEqualToReference();
    expect(out.companies).toBe(expected.filter((e) => e.type === 'company').length);
    expect(out.workers).toBe(expected.filter((e) => e.type === 'worker').length);
    // The demo city holds the edge cases the reference must agree on.
    const facts = expected.map((e) => e.facts as unknown as Record<string, unknown>);
    expect(facts.some((f) => 'upheldCount' in f && num(f.upheldCount) > 0)).toBe(true);
    expect(facts.some((f) => 'completedOrders' in f && num(f.completedOrders) > 0)).toBe(true);
    expect(facts.some((f) => 'completedOrders' in f && num(f.completedOrders) === 0)).toBe(true);
    expect(facts.some((f) => Array.isArray(f.overrides) && f.overrides.length > 0)).toBe(true);
    expect(facts.some((f) => f.list === 'red')).toBe(true);
    expect(facts.some((f) => f.healthValid === false)).toBe(true);
    // The expelled company is not rated again, and its stored row stays as it was.
    const expelled = await rows<{ id: string }>(sql`select id from organization where status = 'expelled'`);
    expect(expelled.length).toBeGreaterThan(0);
    for (const e of expelled) expect(expected.some((x) => x.id === e.id)).toBe(false);
  });

  test('nothing changed: nothing is written (no row, no history, computed_at kept)', async () => {
    const before = await stored();
    const history = await historyCount();
    // A millisecond: a rewritten row would show it in computed_at (a minute can cross a company's day boundary).
    t.clock.advance(1);
    const out = await t.app.services.credit.recomputeAll();
    expect(out.changed).toEqual({ companies: 0, workers: 0 });
    expect(await historyCount()).toBe(history);
    expect(await stored()).toEqual(before);
  });

  test('a year later: expired documents and certificates; only changed rows written, history exactly where it moved', async () => {
    const before = await stored();
    const history = await historyCount();
    t.clock.advance(400 * DAY);
    const out = await t.app.services.credit.recomputeAll();
    const expected = await expectEqualToReference();
    expect(
      expected.some((e) => e.type === 'worker' && (e.facts as WorkerFacts).certificate === 'expired'),
    ).toBe(true);
    const after = await stored();
    let changed = 0;
    let moved = 0;
    for (const e of expected) {
      const key = `${e.type}:${e.id}`;
      const b = before.get(key)!;
      const a = after.get(key)!;
      const differs =
        b.scoreCenti !== a.scoreCenti ||
        b.level !== a.level ||
        b.scorecardId !== a.scorecardId ||
        !sameFacts(b.facts, a.facts as object);
      if (differs) changed++;
      if (b.scoreCenti !== a.scoreCenti || b.level !== a.level) moved++;
      // Written ⇔ changed: an unchanged row keeps its computed_at.
      expect(a.computedAt.getTime(), key).toBe(differs ? t.clock.now.getTime() : b.computedAt.getTime());
      const rowsNow = await t.database.db
        .select()
        .from(creditScoreHistory)
        .where(
          and(
            eq(creditScoreHistory.subjectType, e.type),
            eq(creditScoreHistory.subjectId, e.id),
            eq(creditScoreHistory.computedAt, t.clock.now),
          ),
        );
      expect(rowsNow.length, key).toBe(b.scoreCenti !== a.scoreCenti || b.level !== a.level ? 1 : 0);
    }
    expect(changed).toBeGreaterThan(0);
    expect(out.changed.companies + out.changed.workers).toBe(changed);
    expect(await historyCount()).toBe(history + moved);
  });

  test('every score changes (a new scorecard version moving grades): all written, equal to the reference; search rows equal a rebuild', async () => {
    // The projection as a full rebuild makes it, so what follows compares only what the recompute changes.
    await t.app.services.discovery.rebuildAll();
    const before = await stored();
    const history = await historyCount();
    const current = await t.app.services.credit.activeScorecard();
    const ww = current.config.worker.weights;
    const cw = current.config.company.weights;
    const config: ScorecardConfig = {
      ...current.config,
      worker: {
        // 10 points moved from rating: the weights still sum to 100.
        weights: { ...ww, rating: ww.rating - 10, identity: ww.identity + 5, health: ww.health + 5 },
        thresholds: [35, 50, 62, 80],
      },
      company: {
        weights: {
          ...cw,
          rating: cw.rating - 10,
          certified_staff: cw.certified_staff + 5,
          years_active: cw.years_active + 5,
        },
        thresholds: [20, 35, 50, 65],
      },
    };
    const published = await t.app.services.credit.publishScorecard(regulator, { config, note: 'all change' });
    t.clock.advance(1);
    const out = await t.app.services.credit.recomputeAll();
    const expected = await expectEqualToReference();
    // Every subject is written (new version), with a history row each.
    expect(out.changed).toEqual({ companies: out.companies, workers: out.workers });
    const after = await stored();
    for (const e of expected) {
      const a = after.get(`${e.type}:${e.id}`)!;
      expect(a.scorecardId).toBe(published.id);
      expect(a.computedAt.getTime()).toBe(t.clock.now.getTime());
    }
    expect(await historyCount()).toBe(history + expected.length);
    // Grades moved for several companies, and worker scores moved outside those companies too.
    const moved = expected.filter(
      (e) => e.type === 'company' && before.get(`company:${e.id}`)?.level !== e.level,
    );
    expect(moved.length).toBeGreaterThanOrEqual(2);
    const movedIds = new Set(moved.map((m) => m.id));
    expect(
      expected.some(
        (e) =>
          e.type === 'worker' &&
          !movedIds.has(String((e.facts as WorkerFacts).companyId)) &&
          Math.round(before.get(`worker:${e.id}`)!.scoreCenti / 100) !== Math.round(e.centi / 100),
      ),
    ).toBe(true);
    // The search rows the recompute left equal the rows a full re-projection makes.
    const projection = async () => ({
      workers: await rows<Record<string, unknown>>(sql`select * from worker_search order by worker_id`).then(
        (rs) => rs.map(({ updated_at: _, ...r }) => r),
      ),
      orgs: await rows<Record<string, unknown>>(sql`select * from org_search order by org_id`).then((rs) =>
        rs.map(({ updated_at: _, ...r }) => r),
      ),
    });
    const applied = await projection();
    expect(applied.workers.length).toBeGreaterThan(0);
    expect(applied.workers.some((w) => movedIds.has(String(w.company_id)))).toBe(true);
    await t.app.services.discovery.rebuildAll();
    expect(applied).toEqual(await projection());
  });
});

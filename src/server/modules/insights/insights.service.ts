import { createHash } from 'node:crypto';
import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import { CITY, districtByCode, districtCodes, districts } from '../../../shared/districts.js';
import { creditGrades, labelOf, serviceCategories, serviceModes } from '../../../shared/domain.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { liftStatementTimeout } from '../../platform/db/tx-hooks.js';
import { AppError, type FieldIssue } from '../../platform/errors.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import { type FileStorage, serverRendered } from '../../platform/storage/index.js';
import { parseCsv, parseXlsx } from '../../platform/tabular/tabular.js';
import type { ContractsService } from '../contracts/index.js';
import { certifiedColorInsightsSql } from '../discovery/index.js';
import { complaintInsightsSql } from '../feedback/index.js';
import { insuredWorkersInsightsSql } from '../insurance/index.js';
import { completedPriceInsightsSql, orderFlowInsightsSql, orderListInsightsSql } from '../orders/index.js';
import { companyInsightsSql, companyListInsightsSql } from '../orgs/index.js';
import { workerInsightsSql } from '../workers/index.js';
import type { ExportTable } from './export-file.js';
import {
  insightsComplaintMonth,
  insightsFlowMonth,
  insightsRefresh,
  insightsReport,
  insightsStock,
  wageSurveyEdition,
  wageSurveySample,
} from './insights.tables.js';
import {
  addMonths,
  monthsOf,
  resolvePeriod,
  shanghaiDay,
  shanghaiDayStart,
  shanghaiMonth,
} from './period.js';
import { renderReportPdf } from './report-pdf.js';
import {
  parsePosition,
  positionOf,
  unitOfPosition,
  type WagePosition,
  wagePositions,
} from './wage-positions.js';
import {
  type WageSurveyAction,
  wageSurveyActionsFor,
  type WageSurveyState,
  transitionWageSurvey,
} from './wage-survey-status.js';

/** Default privacy threshold: public cells with fewer samples are hidden. */
export const DEFAULT_MIN_SAMPLES = 5;
/** Longest survey period, in days. */
const MAX_SURVEY_DAYS = 366;
/** Most rows one import may carry. */
const MAX_IMPORT_ROWS = 5000;
/** Serialises refreshes across app processes (two jobs never rebuild the rollups at once). */
const REFRESH_LOCK = 727_110;

export interface InsightsDeps {
  db: Db;
  clock: () => Date;
  storage: FileStorage;
  contracts: Pick<ContractsService, 'wageSamples'>;
}

export interface DashboardFilters {
  district?: string | undefined;
  category?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface FlowTotals {
  ordersCreated: number;
  ordersCompleted: number;
  completedValueFen: number;
  satisfactionCount: number;
  satisfactionSum: number;
  demandsCreated: number;
}

export type RefreshTrigger = 'job' | 'manual' | 'seed';

const num = (v: unknown) => Number(v ?? 0);
// Raw rows: node-postgres and PGlite both answer `{ rows }`.
const rowsOf = (res: unknown): Record<string, unknown>[] =>
  (Array.isArray(res) ? res : (res as { rows: Record<string, unknown>[] }).rows) as Record<string, unknown>[];
const pct = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 10 : null);
const avg = (sum: number, n: number) => (n > 0 ? Math.round((sum / n) * 100) / 100 : null);
const districtName = (code: string) => districtByCode.get(code)?.name ?? (code ? code : '未填写');
const categoryName = (code: string) => labelOf(serviceCategories, code);
const modeName = (code: string) => labelOf(serviceModes, code);
const yuan = (fen: number) => (fen / 100).toFixed(2);

type Flow = FlowTotals & { key: string };

/** Dashboards, exports, monthly reports, the wage survey and open statistics, read from rollups refreshed by jobs. */
export function createInsightsService(deps: InsightsDeps) {
  const { db, clock, storage, contracts } = deps;

  // Scope ------------------------------------------------------------------------------------------------------

  /** The district the caller may see: a district regulator is held to theirs. */
  function scopeDistrict(ctx: RequestContext, district: string | undefined): string | undefined {
    const own = ctx.actor?.regulatorDistrict ?? null;
    if (!own) return district;
    if (district && district !== own) throw new AppError('INSIGHTS_DISTRICT_OUT_OF_SCOPE');
    return own;
  }

  // Refresh ----------------------------------------------------------------------------------------------------

  async function countOf(query: SQL): Promise<number> {
    return num(rowsOf(await db.execute(query))[0]?.n);
  }

  async function latestRefresh() {
    const [r] = await db.select().from(insightsRefresh).orderBy(desc(insightsRefresh.asOf)).limit(1);
    return r ?? null;
  }

  /** Rebuilds every rollup from the modules' own tables in one transaction (set-based; readers see old or new). */
  async function refresh(ctx: RequestContext, trigger: RefreshTrigger) {
    const started = performance.now();
    const asOf = clock();
    const today = shanghaiDay(asOf);
    const id = newId('irf');
    await db.transaction(async (tx) => {
      // Whole-city rollups run past a request's statement_timeout at Guangzhou scale.
      await liftStatementTimeout(tx);
      await tx.execute(sql`select pg_advisory_xact_lock(${REFRESH_LOCK})`);
      await tx.delete(insightsStock);
      await tx.delete(insightsFlowMonth);
      await tx.delete(insightsComplaintMonth);
      const w = workerInsightsSql();
      await tx.execute(sql`insert into ${insightsStock} (district, metric, dim, value)
        select coalesce(c.district, ''), 'companies', c.status || '|' || coalesce(c.credit_grade, ''), sum(c.companies)::int
        from (${companyInsightsSql()}) c group by 1, 3
        union all
        select coalesce(w.district, ''), 'workers_registered', '', count(*)::int from (${w}) w group by 1
        union all
        select coalesce(w.district, ''), 'workers_trained', '', count(*)::int from (${w}) w where w.trained group by 1
        union all
        select coalesce(w.district, ''), 'workers_certified', c.color, count(*)::int
        from (${certifiedColorInsightsSql()}) c join (${w}) w on w.worker_id = c.worker_id group by 1, 3
        union all
        select coalesce(w.district, ''), 'workers_insured', '', count(*)::int
        from (${insuredWorkersInsightsSql(today)}) i join (${w}) w on w.worker_id = i.worker_id group by 1`);
      await tx.execute(sql`insert into ${insightsFlowMonth} (month, district, category, mode, orders_created,
          orders_completed, completed_value_fen, satisfaction_count, satisfaction_sum, demands_created)
        select f.month, coalesce(f.district, ''), f.category, f.mode, sum(f.orders_created)::int,
          sum(f.orders_completed)::int, sum(f.completed_value_fen)::bigint, sum(f.satisfaction_count)::int,
          sum(f.satisfaction_sum)::int, sum(f.demands_created)::int
        from (${orderFlowInsightsSql()}) f group by 1, 2, 3, 4`);
      await tx.execute(sql`insert into ${insightsComplaintMonth} (month, district, filed, answered, answered_in_sla, sla_due)
        select c.month, coalesce(c.district, ''), sum(c.filed)::int, sum(c.answered)::int, sum(c.answered_in_sla)::int,
          sum(c.sla_due)::int
        from (${complaintInsightsSql(asOf)}) c group by 1, 2`);
      const durationMs = Math.round(performance.now() - started);
      await tx.insert(insightsRefresh).values({
        id,
        asOf,
        durationMs,
        trigger,
        actorId: ctx.actor?.userId ?? null,
      });
      if (trigger === 'manual')
        await appendAudit(
          tx,
          ctx,
          { action: 'insights.refresh', objectType: 'insights_refresh', objectId: id },
          asOf,
        );
    });
    const r = await latestRefresh();
    return { asOf: r!.asOf.toISOString(), durationMs: r!.durationMs, trigger: r!.trigger as RefreshTrigger };
  }

  /** The last refresh time; the first read after an empty start refreshes once so figures are never blank. */
  async function ensureRefreshed(): Promise<Date> {
    return (await lastRefreshRow()).asOf;
  }

  /** The last refresh (its id names the rollups' contents), refreshing once on an empty start. */
  async function lastRefreshRow() {
    const r = await latestRefresh();
    if (r) return r;
    await refresh({ actor: null, requestId: 'sys-insights-first', ip: null }, 'job');
    return (await latestRefresh())!;
  }

  /**
   * The dashboard's figures by (refresh, filters, period): the rollups change only in `refresh`, which writes a new
   * refresh row in the same transaction, so figures computed after a refresh stay exact until the next one. Every
   * process reads the last refresh per request, so one process's refresh is seen by all at once. Bounded: cleared
   * when a new refresh is seen, and at FIGURES_CACHE_MAX entries (the filters a regulator can combine are many).
   */
  const figuresCache = new Map<string, Promise<Figures>>();
  let figuresCacheRefresh: string | null = null;
  const FIGURES_CACHE_MAX = 256;
  function cachedFigures(
    refreshId: string,
    f: DashboardFilters & { district?: string | undefined },
    asOf: Date,
  ): Promise<Figures> {
    if (figuresCacheRefresh !== refreshId || figuresCache.size >= FIGURES_CACHE_MAX) {
      figuresCache.clear();
      figuresCacheRefresh = refreshId;
    }
    const period = resolvePeriod(clock(), f.from, f.to);
    const key = JSON.stringify([f.district ?? null, f.category ?? null, period.from, period.to]);
    let hit = figuresCache.get(key);
    if (!hit) {
      hit = figures(f, asOf);
      figuresCache.set(key, hit);
      // A failed read is not kept.
      hit.catch(() => {
        if (figuresCache.get(key) === hit) figuresCache.delete(key);
      });
    }
    return hit;
  }

  // Reading the rollups ----------------------------------------------------------------------------------------

  async function stock(district: string | undefined) {
    const rows = await db
      .select()
      .from(insightsStock)
      .where(district ? eq(insightsStock.district, district) : undefined);
    const companiesByGrade = new Map<string, number>();
    const companiesByStatus = new Map<string, number>();
    const companiesByDistrict = new Map<string, number>();
    const certified = { green: 0, yellow: 0, red: 0 };
    let registered = 0;
    let trained = 0;
    let insured = 0;
    let companies5A = 0;
    let activeCompanies = 0;
    const workersByDistrict = new Map<string, number>();
    for (const r of rows) {
      if (r.metric === 'companies') {
        const [status, grade] = r.dim.split('|') as [string, string];
        companiesByStatus.set(status, (companiesByStatus.get(status) ?? 0) + r.value);
        if (status === 'active') {
          activeCompanies += r.value;
          companiesByGrade.set(grade || 'none', (companiesByGrade.get(grade || 'none') ?? 0) + r.value);
          companiesByDistrict.set(r.district, (companiesByDistrict.get(r.district) ?? 0) + r.value);
          if (grade === '5A') companies5A += r.value;
        }
      } else if (r.metric === 'workers_registered') {
        registered += r.value;
        workersByDistrict.set(r.district, (workersByDistrict.get(r.district) ?? 0) + r.value);
      } else if (r.metric === 'workers_trained') trained += r.value;
      else if (r.metric === 'workers_insured') insured += r.value;
      else if (r.metric === 'workers_certified' && r.dim in certified)
        certified[r.dim as keyof typeof certified] += r.value;
    }
    return {
      companies: {
        active: activeCompanies,
        companies5A,
        byGrade: [...creditGrades, 'none'].map((g) => ({ grade: g, count: companiesByGrade.get(g) ?? 0 })),
        byStatus: ['active', 'pending', 'suspended', 'expelled'].map((s) => ({
          status: s,
          count: companiesByStatus.get(s) ?? 0,
        })),
      },
      workers: {
        registered,
        certified: { ...certified, total: certified.green + certified.yellow + certified.red },
        trained,
        insured,
      },
      companiesByDistrict,
      workersByDistrict,
    };
  }

  function flowWhere(
    f: { district?: string | undefined; category?: string | undefined },
    from: string,
    to: string,
  ) {
    const parts: SQL[] = [gte(insightsFlowMonth.month, from), lte(insightsFlowMonth.month, to)];
    if (f.district) parts.push(eq(insightsFlowMonth.district, f.district));
    if (f.category) parts.push(eq(insightsFlowMonth.category, f.category));
    return and(...parts);
  }

  /** Order flows grouped every way the dashboard shows them, in one pass over the rollup (grouping sets). */
  async function flows(
    f: { district?: string | undefined; category?: string | undefined },
    from: string,
    to: string,
  ) {
    const t = insightsFlowMonth;
    const res =
      await db.execute(sql`select grouping(${t.district}, ${t.category}, ${t.mode}, ${t.month})::int as g,
        ${t.district} as district, ${t.category} as category, ${t.mode} as mode, ${t.month} as month,
        sum(${t.ordersCreated})::int as orders_created, sum(${t.ordersCompleted})::int as orders_completed,
        sum(${t.completedValueFen})::float8 as completed_value_fen, sum(${t.satisfactionCount})::int as satisfaction_count,
        sum(${t.satisfactionSum})::int as satisfaction_sum, sum(${t.demandsCreated})::int as demands_created
      from ${t} where ${flowWhere(f, from, to)}
      group by grouping sets ((), (${t.category}), (${t.mode}), (${t.district}), (${t.month}), (${t.district}, ${t.category}))`);
    const sets = {
      total: [] as Flow[],
      category: [] as Flow[],
      mode: [] as Flow[],
      district: [] as Flow[],
      month: [] as Flow[],
      heat: [] as (Flow & { category: string })[],
    };
    for (const r of rowsOf(res)) {
      const v: FlowTotals = {
        ordersCreated: num(r.orders_created),
        ordersCompleted: num(r.orders_completed),
        completedValueFen: num(r.completed_value_fen),
        satisfactionCount: num(r.satisfaction_count),
        satisfactionSum: num(r.satisfaction_sum),
        demandsCreated: num(r.demands_created),
      };
      // grouping() bits: district 8, category 4, mode 2, month 1 (a set bit means "not grouped by").
      switch (num(r.g)) {
        case 15:
          sets.total.push({ key: '', ...v });
          break;
        case 11:
          sets.category.push({ key: String(r.category), ...v });
          break;
        case 13:
          sets.mode.push({ key: String(r.mode), ...v });
          break;
        case 7:
          sets.district.push({ key: String(r.district), ...v });
          break;
        case 14:
          sets.month.push({ key: String(r.month), ...v });
          break;
        case 3:
          sets.heat.push({ key: String(r.district), category: String(r.category), ...v });
          break;
      }
    }
    const zero: FlowTotals = {
      ordersCreated: 0,
      ordersCompleted: 0,
      completedValueFen: 0,
      satisfactionCount: 0,
      satisfactionSum: 0,
      demandsCreated: 0,
    };
    return { ...sets, totals: sets.total[0] ?? { key: '', ...zero } };
  }

  async function complaintRows(district: string | undefined, from: string, to: string) {
    const t = insightsComplaintMonth;
    const parts: SQL[] = [gte(t.month, from), lte(t.month, to)];
    if (district) parts.push(eq(t.district, district));
    const res =
      await db.execute(sql`select grouping(${t.district}, ${t.month})::int as g, ${t.district} as district,
        ${t.month} as month, sum(${t.filed})::int as filed, sum(${t.answered})::int as answered,
        sum(${t.answeredInSla})::int as answered_in_sla, sum(${t.slaDue})::int as sla_due
      from ${t} where ${and(...parts)} group by grouping sets ((), (${t.district}), (${t.month}))`);
    const out = {
      total: { filed: 0, answered: 0, answeredInSla: 0, slaDue: 0 },
      byDistrict: new Map<
        string,
        { filed: number; answered: number; answeredInSla: number; slaDue: number }
      >(),
      byMonth: new Map<string, number>(),
    };
    for (const r of rowsOf(res)) {
      const v = {
        filed: num(r.filed),
        answered: num(r.answered),
        answeredInSla: num(r.answered_in_sla),
        slaDue: num(r.sla_due),
      };
      const g = num(r.g);
      if (g === 3) out.total = v;
      else if (g === 1) out.byDistrict.set(String(r.district), v);
      else if (g === 2) out.byMonth.set(String(r.month), v.filed);
    }
    return out;
  }

  /** The dashboard's figures for a period, district and category, from the rollups only. */
  async function figures(f: DashboardFilters & { district?: string | undefined }, asOf: Date) {
    const period = resolvePeriod(clock(), f.from, f.to);
    const [s, fl, cp] = await Promise.all([
      stock(f.district),
      flows(f, period.from, period.to),
      complaintRows(f.district, period.from, period.to),
    ]);
    const byMonth = new Map(fl.month.map((m) => [m.key, m]));
    const districtRows = districts
      .filter((d) => !f.district || d.code === f.district)
      .map((d) => {
        const m = fl.district.find((x) => x.key === d.code);
        const c = cp.byDistrict.get(d.code);
        return {
          district: d.code,
          name: d.name,
          lon: d.lon,
          lat: d.lat,
          ordersCreated: m?.ordersCreated ?? 0,
          ordersCompleted: m?.ordersCompleted ?? 0,
          demandsCreated: m?.demandsCreated ?? 0,
          companies: s.companiesByDistrict.get(d.code) ?? 0,
          workers: s.workersByDistrict.get(d.code) ?? 0,
          complaints: c?.filed ?? 0,
          complaintsWithinSlaPct: c ? pct(c.answeredInSla, c.slaDue) : null,
        };
      });
    return {
      asOf: asOf.toISOString(),
      filters: {
        district: f.district ?? null,
        category: f.category ?? null,
        from: period.from,
        to: period.to,
      },
      companies: s.companies,
      workers: s.workers,
      orders: {
        created: fl.totals.ordersCreated,
        completed: fl.totals.ordersCompleted,
        completedValueFen: fl.totals.completedValueFen,
        demands: fl.totals.demandsCreated,
        byCategory: fl.category
          .map((c) => ({
            category: c.key,
            created: c.ordersCreated,
            completed: c.ordersCompleted,
            demands: c.demandsCreated,
            completedValueFen: c.completedValueFen,
          }))
          .sort((a, b) => b.created - a.created || a.category.localeCompare(b.category)),
        byMode: fl.mode
          .map((m) => ({
            mode: m.key,
            created: m.ordersCreated,
            completed: m.ordersCompleted,
            demands: m.demandsCreated,
            completedValueFen: m.completedValueFen,
          }))
          .sort((a, b) => b.created - a.created || a.mode.localeCompare(b.mode)),
        byDistrict: districtRows,
      },
      complaints: {
        ...cp.total,
        withinSlaPct: pct(cp.total.answeredInSla, cp.total.slaDue),
        byDistrict: [...cp.byDistrict.entries()]
          .map(([district, v]) => ({ district, ...v, withinSlaPct: pct(v.answeredInSla, v.slaDue) }))
          .sort((a, b) => a.district.localeCompare(b.district)),
      },
      followUps: {
        count: fl.totals.satisfactionCount,
        satisfactionAvg: avg(fl.totals.satisfactionSum, fl.totals.satisfactionCount),
      },
      trend: monthsOf(period.from, period.to).map((m) => {
        const r = byMonth.get(m);
        return {
          month: m,
          ordersCreated: r?.ordersCreated ?? 0,
          ordersCompleted: r?.ordersCompleted ?? 0,
          demands: r?.demandsCreated ?? 0,
          complaints: cp.byMonth.get(m) ?? 0,
          satisfactionAvg: r ? avg(r.satisfactionSum, r.satisfactionCount) : null,
        };
      }),
      heat: fl.heat
        .filter((h) => h.ordersCreated + h.demandsCreated > 0)
        .map((h) => ({ district: h.key, category: h.category, count: h.ordersCreated + h.demandsCreated })),
    };
  }

  type Figures = Awaited<ReturnType<typeof figures>>;

  /** Every exportable table of the dashboard, with Chinese headers. */
  function tablesOf(d: Figures): ExportTable[] {
    const scope = `${d.filters.district ? districtName(d.filters.district) : CITY.name}${d.filters.category ? ` · ${categoryName(d.filters.category)}` : ''} · ${d.filters.from} 至 ${d.filters.to}`;
    return [
      {
        key: 'summary',
        sheet: '主要指标',
        title: `主要指标（${scope}；数据截至 ${d.asOf}）`,
        header: ['指标', '数值'],
        rows: [
          ['在营企业数', d.companies.active],
          ['5A 级企业数', d.companies.companies5A],
          ['登记家政服务员', d.workers.registered],
          ['持证服务员（合计）', d.workers.certified.total],
          ['持证·绿码', d.workers.certified.green],
          ['持证·黄码', d.workers.certified.yellow],
          ['持证·红码', d.workers.certified.red],
          ['已培训服务员', d.workers.trained],
          ['在保服务员', d.workers.insured],
          ['新增订单', d.orders.created],
          ['完成订单', d.orders.completed],
          ['完成金额(元)', Number(yuan(d.orders.completedValueFen))],
          ['发布需求', d.orders.demands],
          ['投诉数', d.complaints.filed],
          ['时限内答复率(%)', d.complaints.withinSlaPct],
          ['回访数', d.followUps.count],
          ['回访满意度(1-5)', d.followUps.satisfactionAvg],
        ],
      },
      {
        key: 'companies-by-grade',
        sheet: '企业信用等级',
        title: `在营企业按信用等级（${scope}）`,
        header: ['信用等级', '企业数'],
        rows: d.companies.byGrade.map((g) => [g.grade === 'none' ? '未评级' : g.grade, g.count]),
      },
      {
        key: 'orders-by-district',
        sheet: '分区订单',
        title: `分区订单（${scope}）`,
        header: [
          '区代码',
          '区域',
          '新增订单',
          '完成订单',
          '发布需求',
          '在营企业',
          '登记服务员',
          '投诉数',
          '时限内答复率(%)',
        ],
        rows: d.orders.byDistrict.map((r) => [
          r.district,
          r.name,
          r.ordersCreated,
          r.ordersCompleted,
          r.demandsCreated,
          r.companies,
          r.workers,
          r.complaints,
          r.complaintsWithinSlaPct,
        ]),
      },
      {
        key: 'orders-by-category',
        sheet: '分类别订单',
        title: `分服务类别订单（${scope}）`,
        header: ['类别代码', '服务类别', '新增订单', '完成订单', '发布需求', '完成金额(元)'],
        rows: d.orders.byCategory.map((r) => [
          r.category,
          categoryName(r.category),
          r.created,
          r.completed,
          r.demands,
          Number(yuan(r.completedValueFen)),
        ]),
      },
      {
        key: 'orders-by-mode',
        sheet: '分服务方式订单',
        title: `分服务方式订单（${scope}）`,
        header: ['方式代码', '服务方式', '新增订单', '完成订单', '发布需求', '完成金额(元)'],
        rows: d.orders.byMode.map((r) => [
          r.mode,
          modeName(r.mode),
          r.created,
          r.completed,
          r.demands,
          Number(yuan(r.completedValueFen)),
        ]),
      },
      {
        key: 'trend',
        sheet: '月度趋势',
        title: `月度趋势（${scope}）`,
        header: ['月份', '新增订单', '完成订单', '发布需求', '投诉数', '回访满意度'],
        rows: d.trend.map((r) => [
          r.month,
          r.ordersCreated,
          r.ordersCompleted,
          r.demands,
          r.complaints,
          r.satisfactionAvg,
        ]),
      },
      {
        key: 'complaints-by-district',
        sheet: '投诉处理',
        title: `投诉处理（${scope}）`,
        header: ['区代码', '区域', '投诉数', '已答复', '时限内答复', '应答复数', '时限内答复率(%)'],
        rows: d.complaints.byDistrict.map((r) => [
          r.district,
          districtName(r.district),
          r.filed,
          r.answered,
          r.answeredInSla,
          r.slaDue,
          r.withinSlaPct,
        ]),
      },
    ];
  }

  // Wage survey ------------------------------------------------------------------------------------------------

  type EditionRow = typeof wageSurveyEdition.$inferSelect;

  async function editionById(id: string): Promise<EditionRow> {
    const [e] = await db.select().from(wageSurveyEdition).where(eq(wageSurveyEdition.id, id)).limit(1);
    if (!e) throw new AppError('NOT_FOUND');
    return e;
  }

  /** Cells per position × district and per position city-wide ('' district), with sample counts by source. */
  async function cellsOf(editionId: string) {
    const s = wageSurveySample;
    const res = await db.execute(sql`select ${s.position} as position, grouping(${s.district})::int as g,
        ${s.district} as district, count(*)::int as n,
        count(*) filter (where ${s.source} = 'contract')::int as n_contract,
        count(*) filter (where ${s.source} = 'order')::int as n_order,
        count(*) filter (where ${s.source} = 'import')::int as n_import,
        percentile_cont(0.25) within group (order by ${s.valueFen}) as p25,
        percentile_cont(0.5) within group (order by ${s.valueFen}) as p50,
        percentile_cont(0.75) within group (order by ${s.valueFen}) as p75
      from ${s} where ${s.editionId} = ${editionId}
      group by grouping sets ((${s.position}, ${s.district}), (${s.position}))`);
    const order = new Map(wagePositions.map((p, i) => [p.code as string, i]));
    return rowsOf(res)
      .map((r) => ({
        position: String(r.position) as WagePosition,
        district: num(r.g) === 1 ? '' : String(r.district),
        unit: unitOfPosition(String(r.position) as WagePosition),
        sampleCount: num(r.n),
        sources: { contract: num(r.n_contract), order: num(r.n_order), import: num(r.n_import) },
        p25Fen: Math.round(num(r.p25)),
        p50Fen: Math.round(num(r.p50)),
        p75Fen: Math.round(num(r.p75)),
      }))
      .sort(
        (a, b) =>
          (order.get(a.position) ?? 99) - (order.get(b.position) ?? 99) ||
          a.district.localeCompare(b.district),
      );
  }

  function editionView(e: EditionRow, sampleCount: number) {
    return {
      id: e.id,
      title: e.title,
      periodFrom: e.periodFrom,
      periodTo: e.periodTo,
      state: e.state as WageSurveyState,
      minSamples: e.minSamples,
      sampleCount,
      publishedAt: e.publishedAt?.toISOString() ?? null,
      createdAt: e.createdAt.toISOString(),
      actions: wageSurveyActionsFor(e.state as WageSurveyState),
    };
  }

  async function sampleCount(editionId: string) {
    const [r] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(wageSurveySample)
      .where(eq(wageSurveySample.editionId, editionId));
    return num(r?.n);
  }

  async function editionDetail(e: EditionRow) {
    const cells = await cellsOf(e.id);
    return {
      ...editionView(
        e,
        cells.filter((c) => c.district === '').reduce((n, c) => n + c.sampleCount, 0),
      ),
      cells: cells.map((c) => ({ ...c, belowThreshold: c.sampleCount < e.minSamples })),
    };
  }

  /** Samples of a period from filed contracts (wages) and completed orders (prices), mapped to positions. */
  async function collectSamples(periodFrom: string, periodTo: string) {
    const from = shanghaiDayStart(periodFrom);
    const to = new Date(shanghaiDayStart(periodTo).getTime() + 86_400_000);
    const out: {
      position: WagePosition;
      district: string;
      source: 'contract' | 'order';
      unit: string;
      valueFen: number;
    }[] = [];
    for (const c of await contracts.wageSamples(from, to)) {
      const position = positionOf(c.category, c.mode, 'month');
      if (position && position !== 'hourly' && c.monthlyWageFen > 0)
        out.push({
          position,
          district: c.district,
          source: 'contract',
          unit: 'month',
          valueFen: c.monthlyWageFen,
        });
    }
    const orders = await db.execute(sql`select * from (${completedPriceInsightsSql(from, to)}) p`);
    for (const r of rowsOf(orders)) {
      const unit = String(r.unit);
      if (unit === 'day' || unit === 'visit') continue;
      const position = positionOf(String(r.category), String(r.mode), unit);
      if (!position) continue;
      out.push({
        position,
        district: String(r.district),
        source: 'order',
        unit: unitOfPosition(position),
        valueFen: num(r.unit_price_fen),
      });
    }
    return out;
  }

  /** Reads an imported table: 岗位, 区域 (name or code), 金额(元); all rows valid or nothing. */
  async function readImport(data: Buffer, filename: string) {
    const isXlsx =
      filename.toLowerCase().endsWith('.xlsx') || data.subarray(0, 2).toString('latin1') === 'PK';
    let rows: string[][];
    try {
      rows = isXlsx ? await parseXlsx(data, MAX_IMPORT_ROWS + 2) : parseCsv(data.toString('utf8'));
    } catch (e) {
      throw new AppError('WAGE_SURVEY_IMPORT_INVALID', { cause: e });
    }
    rows = rows.filter((r) => r.some((c) => c.trim() !== ''));
    const header = (rows[0] ?? []).map((h) => h.trim());
    const col = (names: string[]) => header.findIndex((h) => names.includes(h));
    const ip = col(['岗位', 'position']);
    const id = col(['区域', '区', 'district']);
    const ia = col(['金额(元)', '金额（元）', 'amount_yuan']);
    if (ip < 0 || id < 0 || ia < 0 || rows.length < 2 || rows.length - 1 > MAX_IMPORT_ROWS)
      throw new AppError('WAGE_SURVEY_IMPORT_INVALID');
    const byName = new Map(districts.map((d) => [d.name, d.code]));
    const issues: FieldIssue[] = [];
    const out: { position: WagePosition; district: string; valueFen: number }[] = [];
    rows.slice(1).forEach((r, i) => {
      const line = i + 2;
      const position = parsePosition(r[ip] ?? '');
      const dRaw = (r[id] ?? '').trim();
      const district = districtCodes.includes(dRaw) ? dRaw : byName.get(dRaw);
      const amount = Number((r[ia] ?? '').trim());
      const valueFen = Math.round(amount * 100);
      if (!position) issues.push({ path: `row ${line}.岗位`, message: 'unknown position' });
      else if (!district) issues.push({ path: `row ${line}.区域`, message: 'unknown district' });
      else if (!Number.isFinite(amount) || valueFen <= 0 || amount > 1_000_000)
        issues.push({ path: `row ${line}.金额(元)`, message: 'amount must be a positive number of yuan' });
      else out.push({ position, district, valueFen });
    });
    if (issues.length) throw new AppError('WAGE_SURVEY_IMPORT_INVALID', { issues: issues.slice(0, 20) });
    return out;
  }

  async function insertSamples(
    tx: Parameters<Parameters<Db['transaction']>[0]>[0],
    editionId: string,
    rows: { position: WagePosition; district: string; source: string; unit: string; valueFen: number }[],
    at: Date,
  ) {
    for (let i = 0; i < rows.length; i += 1000)
      await tx
        .insert(wageSurveySample)
        .values(rows.slice(i, i + 1000).map((r) => ({ id: newId('wsp'), editionId, ...r, createdAt: at })));
  }

  // Public surface ---------------------------------------------------------------------------------------------

  return {
    refresh,

    /** The last refresh (null before the first). */
    async lastRefresh() {
      const r = await latestRefresh();
      return r
        ? { asOf: r.asOf.toISOString(), durationMs: r.durationMs, trigger: r.trigger as RefreshTrigger }
        : null;
    },

    /** The regulator dashboard's figures (rollups only); a district regulator sees their district. */
    async dashboard(ctx: RequestContext, f: DashboardFilters) {
      const district = scopeDistrict(ctx, f.district);
      const r = await lastRefreshRow();
      return cachedFigures(r.id, { ...f, district }, r.asOf);
    },

    /** Active companies for drill-down (public business facts), keyset by id, with the total that match. */
    async drillCompanies(
      ctx: RequestContext,
      q: {
        district?: string | undefined;
        grade?: string | undefined;
        status?: string | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ) {
      const district = scopeDistrict(ctx, q.district);
      const after = decodeCursor(q.cursor, idCursor);
      const parts: SQL[] = [sql`true`];
      if (district) parts.push(sql`c.district = ${district}`);
      if (q.status) parts.push(sql`c.status = ${q.status}`);
      if (q.grade)
        parts.push(q.grade === 'none' ? sql`c.credit_grade is null` : sql`c.credit_grade = ${q.grade}`);
      const total = await countOf(
        sql`select count(*)::int as n from (${companyListInsightsSql()}) c where ${sql.join(parts, sql` and `)}`,
      );
      if (after) parts.push(sql`c.id > ${after.id}`);
      const res = await db.execute(
        sql`select * from (${companyListInsightsSql()}) c where ${sql.join(parts, sql` and `)} order by c.id limit ${q.limit + 1}`,
      );
      const rows = rowsOf(res).map((r) => ({
        id: String(r.id),
        name: String(r.name),
        district: r.district ? String(r.district) : null,
        status: String(r.status),
        creditGrade: r.credit_grade ? String(r.credit_grade) : null,
      }));
      return { ...toPage(rows, q.limit, (r) => ({ id: r.id })), total };
    },

    /** Orders for drill-down (no parties or addresses), keyset by id, with the total that match. */
    async drillOrders(
      ctx: RequestContext,
      q: {
        district?: string | undefined;
        category?: string | undefined;
        mode?: string | undefined;
        month?: string | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ) {
      const district = scopeDistrict(ctx, q.district);
      const after = decodeCursor(q.cursor, idCursor);
      const parts: SQL[] = [sql`true`];
      if (district) parts.push(sql`o.district = ${district}`);
      if (q.category) parts.push(sql`o.category = ${q.category}`);
      if (q.mode) parts.push(sql`o.mode = ${q.mode}`);
      if (q.month) parts.push(sql`o.month = ${q.month}`);
      const total = await countOf(
        sql`select count(*)::int as n from (${orderListInsightsSql()}) o where ${sql.join(parts, sql` and `)}`,
      );
      if (after) parts.push(sql`o.id > ${after.id}`);
      const res = await db.execute(
        sql`select * from (${orderListInsightsSql()}) o where ${sql.join(parts, sql` and `)} order by o.id limit ${q.limit + 1}`,
      );
      const rows = rowsOf(res).map((r) => ({
        id: String(r.id),
        number: String(r.number),
        category: String(r.category),
        mode: String(r.mode),
        district: String(r.district),
        state: String(r.state),
        totalFen: num(r.total_fen),
        createdAt: new Date(String(r.created_at)).toISOString(),
      }));
      return { ...toPage(rows, q.limit, (r) => ({ id: r.id })), total };
    },

    /** One exported table (or, for xlsx, all of them) of the dashboard's figures under the same filters. */
    async exportTables(ctx: RequestContext, f: DashboardFilters, table: string) {
      const district = scopeDistrict(ctx, f.district);
      const asOf = await ensureRefreshed();
      const all = tablesOf(await figures({ ...f, district }, asOf));
      if (table === 'all') return all;
      const one = all.find((t) => t.key === table);
      if (!one) throw new AppError('NOT_FOUND');
      return [one];
    },

    /** Open statistics: the city's headline figures (companies and workers now, orders all time, SLA over 12 months). */
    async publicStats() {
      const asOf = await ensureRefreshed();
      const s = await stock(undefined);
      const [o] = await db
        .select({ completed: sql<number>`coalesce(sum(${insightsFlowMonth.ordersCompleted}), 0)::int` })
        .from(insightsFlowMonth);
      const since = addMonths(shanghaiMonth(clock()), -11);
      const [c] = await db
        .select({
          inSla: sql<number>`coalesce(sum(${insightsComplaintMonth.answeredInSla}), 0)::int`,
          due: sql<number>`coalesce(sum(${insightsComplaintMonth.slaDue}), 0)::int`,
        })
        .from(insightsComplaintMonth)
        .where(gte(insightsComplaintMonth.month, since));
      return {
        asOf: asOf.toISOString(),
        companies: s.companies.active,
        companies5A: s.companies.companies5A,
        workers: s.workers.registered,
        certifiedWorkers: s.workers.certified.total,
        trainedWorkers: s.workers.trained,
        insuredWorkers: s.workers.insured,
        ordersCompleted: num(o?.completed),
        complaintsWithinSlaPct: pct(num(c?.inSla), num(c?.due)),
      };
    },

    // Monthly reports -------------------------------------------------------------------------------------------

    /** Renders and stores the city's report for a month (replacing an earlier one of that month). */
    async generateReport(ctx: RequestContext, month: string, trigger: RefreshTrigger) {
      if (month > shanghaiMonth(clock()))
        throw new AppError('INSIGHTS_RANGE_REVERSED', { en: 'The month has not begun' });
      const asOf = await ensureRefreshed();
      const d = await figures({ from: month, to: month }, asOf);
      const t = await figures({ from: addMonths(month, -11), to: month }, asOf);
      const now = clock();
      const pdf = await renderReportPdf({
        month,
        cityName: CITY.name,
        asOf,
        createdAt: now,
        headline: [
          { label: '在营企业', value: String(d.companies.active) },
          { label: '5A 级企业', value: String(d.companies.companies5A) },
          { label: '登记服务员', value: String(d.workers.registered) },
          {
            label: '持证服务员（绿/黄/红）',
            value: `${d.workers.certified.green}/${d.workers.certified.yellow}/${d.workers.certified.red}`,
          },
          { label: '已培训', value: String(d.workers.trained) },
          { label: '在保', value: String(d.workers.insured) },
          { label: '本月新增订单', value: String(d.orders.created) },
          { label: '本月完成订单', value: String(d.orders.completed) },
          { label: '完成金额(元)', value: yuan(d.orders.completedValueFen) },
          { label: '本月投诉', value: String(d.complaints.filed) },
          {
            label: '时限内答复率',
            value: d.complaints.withinSlaPct === null ? '—' : `${d.complaints.withinSlaPct}%`,
          },
          {
            label: '回访满意度',
            value: d.followUps.satisfactionAvg === null ? '—' : String(d.followUps.satisfactionAvg),
          },
        ],
        byDistrict: d.orders.byDistrict.map((r) => ({
          label: r.name.replace(/区$/, ''),
          created: r.ordersCreated,
          completed: r.ordersCompleted,
        })),
        trend: t.trend.map((r) => ({
          month: r.month,
          created: r.ordersCreated,
          completed: r.ordersCompleted,
        })),
        byCategory: d.orders.byCategory.map((r) => ({
          label: categoryName(r.category),
          created: r.created,
          completed: r.completed,
          valueYuan: yuan(r.completedValueFen),
        })),
        complaints: d.complaints.byDistrict.map((r) => ({
          label: districtName(r.district),
          filed: r.filed,
          answeredInSla: r.answeredInSla,
          slaDue: r.slaDue,
          pct: r.withinSlaPct === null ? '—' : `${r.withinSlaPct}%`,
        })),
      });
      const fileKey = `insights/reports/${month}.pdf`;
      await storage.put(fileKey, serverRendered(pdf));
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      const row = await db.transaction(async (tx) => {
        const [r] = await tx
          .insert(insightsReport)
          .values({
            id: newId('irp'),
            month,
            fileKey,
            bytes: pdf.length,
            sha256,
            asOf,
            trigger,
            generatedBy: ctx.actor?.userId ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: insightsReport.month,
            set: {
              fileKey,
              bytes: pdf.length,
              sha256,
              asOf,
              trigger,
              generatedBy: ctx.actor?.userId ?? null,
              updatedAt: now,
            },
          })
          .returning();
        await appendAudit(
          tx,
          ctx,
          {
            action: 'insights.report_generated',
            objectType: 'insights_report',
            objectId: r!.id,
            detail: { month, sha256 },
          },
          now,
        );
        return r!;
      });
      return reportView(row);
    },

    /** Stored monthly reports, newest month first (keyset on month). */
    async listReports(q: { cursor?: string | undefined; limit: number }) {
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(insightsReport)
        .where(after ? lt(insightsReport.month, after.id) : undefined)
        .orderBy(desc(insightsReport.month))
        .limit(q.limit + 1);
      return toPage(rows.map(reportView), q.limit, (r) => ({ id: r.month }));
    },

    /** A stored report's PDF bytes. */
    async reportPdf(id: string) {
      const [r] = await db.select().from(insightsReport).where(eq(insightsReport.id, id)).limit(1);
      if (!r) throw new AppError('NOT_FOUND');
      return { month: r.month, pdf: await storage.get(r.fileKey) };
    },

    /** The monthly job: the report of the month that just ended. */
    async runMonthlyReport() {
      const month = addMonths(shanghaiMonth(clock()), -1);
      await refresh({ actor: null, requestId: 'sys-insights-report', ip: null }, 'job');
      return this.generateReport({ actor: null, requestId: 'sys-insights-report', ip: null }, month, 'job');
    },

    // Wage survey -------------------------------------------------------------------------------------------------

    /** Creates a draft edition with samples from contracts filed and orders completed in the period. */
    async createEdition(
      ctx: RequestContext,
      input: { title: string; periodFrom: string; periodTo: string; minSamples?: number | undefined },
    ) {
      if (input.periodTo < input.periodFrom) throw new AppError('INSIGHTS_RANGE_REVERSED');
      const days = (Date.parse(input.periodTo) - Date.parse(input.periodFrom)) / 86_400_000 + 1;
      if (days > MAX_SURVEY_DAYS) throw new AppError('INSIGHTS_RANGE_TOO_LARGE');
      const samples = await collectSamples(input.periodFrom, input.periodTo);
      const now = clock();
      const id = newId('wse');
      await db.transaction(async (tx) => {
        await tx.insert(wageSurveyEdition).values({
          id,
          title: input.title,
          periodFrom: input.periodFrom,
          periodTo: input.periodTo,
          state: 'draft',
          minSamples: input.minSamples ?? DEFAULT_MIN_SAMPLES,
          createdBy: ctx.actor?.userId ?? null,
          createdAt: now,
          updatedAt: now,
        });
        await insertSamples(tx, id, samples, now);
        await appendAudit(
          tx,
          ctx,
          {
            action: 'insights.wage_survey_created',
            objectType: 'wage_survey_edition',
            objectId: id,
            detail: { samples: samples.length },
          },
          now,
        );
      });
      return editionDetail(await editionById(id));
    },

    /** Editions, newest first (keyset on id). */
    async listEditions(q: { cursor?: string | undefined; limit: number }) {
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(wageSurveyEdition)
        .where(after ? lt(wageSurveyEdition.id, after.id) : undefined)
        .orderBy(desc(wageSurveyEdition.id))
        .limit(q.limit + 1);
      const items = [];
      for (const e of rows) items.push(editionView(e, await sampleCount(e.id)));
      return toPage(items, q.limit, (r) => ({ id: r.id }));
    },

    /** The regulator's view of an edition: every cell, small ones flagged (`belowThreshold`) but shown. */
    async getEdition(id: string) {
      return editionDetail(await editionById(id));
    },

    /** Adds imported survey rows (CSV or .xlsx: 岗位, 区域, 金额(元)) to a draft; all rows or none. */
    async importSamples(ctx: RequestContext, id: string, file: { data: Buffer; filename: string }) {
      const e = await editionById(id);
      if (e.state !== 'draft') throw new AppError('WAGE_SURVEY_INVALID_TRANSITION');
      const rows = await readImport(file.data, file.filename);
      const now = clock();
      await db.transaction(async (tx) => {
        const [locked] = await tx
          .select({ state: wageSurveyEdition.state })
          .from(wageSurveyEdition)
          .where(eq(wageSurveyEdition.id, id))
          .for('update');
        if (locked?.state !== 'draft') throw new AppError('WAGE_SURVEY_INVALID_TRANSITION');
        await insertSamples(
          tx,
          id,
          rows.map((r) => ({ ...r, source: 'import', unit: unitOfPosition(r.position) })),
          now,
        );
        await tx.update(wageSurveyEdition).set({ updatedAt: now }).where(eq(wageSurveyEdition.id, id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'insights.wage_survey_imported',
            objectType: 'wage_survey_edition',
            objectId: id,
            detail: { rows: rows.length },
          },
          now,
        );
      });
      return { imported: rows.length, edition: await editionDetail(await editionById(id)) };
    },

    /** Publishes, discards or withdraws an edition (wage-survey-status.ts). */
    async changeEdition(ctx: RequestContext, id: string, action: WageSurveyAction) {
      const now = clock();
      await db.transaction(async (tx) => {
        const [e] = await tx
          .select()
          .from(wageSurveyEdition)
          .where(eq(wageSurveyEdition.id, id))
          .for('update');
        if (!e) throw new AppError('NOT_FOUND');
        const to = transitionWageSurvey(e.state as WageSurveyState, action);
        if (!to) throw new AppError('WAGE_SURVEY_INVALID_TRANSITION');
        await tx
          .update(wageSurveyEdition)
          .set({
            state: to,
            updatedAt: now,
            ...(action === 'publish' ? { publishedAt: now, publishedBy: ctx.actor?.userId ?? null } : {}),
          })
          .where(eq(wageSurveyEdition.id, id));
        await appendAudit(
          tx,
          ctx,
          {
            action: `insights.wage_survey_${action}`,
            objectType: 'wage_survey_edition',
            objectId: id,
            detail: { from: e.state, to },
          },
          now,
        );
      });
      return editionDetail(await editionById(id));
    },

    /** The edition's cells as an export table (regulator: every cell). */
    async editionTable(id: string): Promise<ExportTable> {
      const d = await editionDetail(await editionById(id));
      return {
        key: 'wage-survey',
        sheet: '工资价位',
        title: `${d.title}（${d.periodFrom} 至 ${d.periodTo}；样本少于 ${d.minSamples} 的格子公开时隐藏）`,
        header: [
          '岗位',
          '区域',
          '单位',
          '样本数',
          '合同样本',
          '订单样本',
          '调查导入',
          'P25(元)',
          'P50(元)',
          'P75(元)',
          '低于公开阈值',
        ],
        rows: d.cells.map((c) => [
          wagePositions.find((p) => p.code === c.position)!.zh,
          c.district ? districtName(c.district) : '全市',
          c.unit === 'hour' ? '元/小时' : '元/月',
          c.sampleCount,
          c.sources.contract,
          c.sources.order,
          c.sources.import,
          Number(yuan(c.p25Fen)),
          Number(yuan(c.p50Fen)),
          Number(yuan(c.p75Fen)),
          c.belowThreshold ? '是' : '否',
        ]),
      };
    },

    /** The public survey: the latest published edition (or the one asked for), small cells hidden. */
    async publicWageSurvey(editionId?: string) {
      let e: EditionRow | undefined;
      if (editionId) {
        [e] = await db.select().from(wageSurveyEdition).where(eq(wageSurveyEdition.id, editionId)).limit(1);
        if (e?.state !== 'published') throw new AppError('NOT_FOUND');
      } else {
        [e] = await db
          .select()
          .from(wageSurveyEdition)
          .where(eq(wageSurveyEdition.state, 'published'))
          .orderBy(desc(wageSurveyEdition.publishedAt))
          .limit(1);
        if (!e) throw new AppError('NOT_FOUND');
      }
      const editions = await db
        .select({
          id: wageSurveyEdition.id,
          title: wageSurveyEdition.title,
          publishedAt: wageSurveyEdition.publishedAt,
        })
        .from(wageSurveyEdition)
        .where(eq(wageSurveyEdition.state, 'published'))
        .orderBy(desc(wageSurveyEdition.publishedAt))
        .limit(20);
      const cells = await cellsOf(e.id);
      return {
        id: e.id,
        title: e.title,
        periodFrom: e.periodFrom,
        periodTo: e.periodTo,
        publishedAt: e.publishedAt!.toISOString(),
        minSamples: e.minSamples,
        positions: wagePositions.map((p) => ({ code: p.code, zh: p.zh, en: p.en, unit: p.unit })),
        cells: cells.map((c) => {
          const hidden = c.sampleCount < e.minSamples;
          return {
            position: c.position,
            district: c.district,
            unit: c.unit,
            hidden,
            sampleCount: hidden ? null : c.sampleCount,
            p25Fen: hidden ? null : c.p25Fen,
            p50Fen: hidden ? null : c.p50Fen,
            p75Fen: hidden ? null : c.p75Fen,
          };
        }),
        editions: editions.map((x) => ({
          id: x.id,
          title: x.title,
          publishedAt: x.publishedAt!.toISOString(),
        })),
      };
    },
  };

  function reportView(r: typeof insightsReport.$inferSelect) {
    return {
      id: r.id,
      month: r.month,
      bytes: r.bytes,
      sha256: r.sha256,
      asOf: r.asOf.toISOString(),
      trigger: r.trigger as RefreshTrigger,
      generatedAt: r.updatedAt.toISOString(),
    };
  }
}

export type InsightsService = ReturnType<typeof createInsightsService>;

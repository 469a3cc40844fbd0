import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, company } from '../../../../../test/factories/workers.js';
import { districts } from '../../../../shared/districts.js';
import { DEMO_SEED, seedSteps } from '../../../seed/demo.js';
import { createRandom } from '../../../seed/random.js';
import type { InsightsService } from '../insights.service.js';
import { addMonths, shanghaiDay, shanghaiMonth } from '../period.js';

// The dashboard against the demo city: every figure must equal a direct count over the modules' own tables on
// the same data; filters, scope and bad input; exports that open and hold the rows; open statistics.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
let from: string;
let to: string;

beforeAll(async () => {
  t = await buildTestApp();
  const ctx = { app: t.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} } as Parameters<
    (typeof seedSteps)[number]['run']
  >[0];
  for (const step of seedSteps) await step.run(ctx);
  regulator = await account(t, [{ role: 'regulator' }]);
  to = shanghaiMonth(new Date());
  from = addMonths(to, -35);
}, 600_000);
afterAll(async () => t?.close());

const get = (url: string, cookie?: string) =>
  t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const post = (url: string, cookie: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

/** One number from a direct SQL count. */
async function count(query: ReturnType<typeof sql>): Promise<number> {
  const res = (await t.database.db.execute(query)) as unknown as { rows: { n: number | string | null }[] };
  return Number(res.rows[0]?.n ?? 0);
}
const monthOf = (col: string) => sql.raw(`to_char(${col} at time zone 'Asia/Shanghai', 'YYYY-MM')`);

describe('dashboard figures equal direct counts', () => {
  let d: Awaited<ReturnType<InsightsService['dashboard']>>;
  beforeAll(async () => {
    expect((await post('/api/v1/insights/refresh', regulator.cookie)).statusCode).toBe(200);
    const res = await get(`/api/v1/insights/dashboard?from=${from}&to=${to}`, regulator.cookie);
    expect(res.statusCode, res.body).toBe(200);
    d = res.json();
  });

  test('the seed made data worth counting', () => {
    expect(d.workers.registered).toBeGreaterThan(10);
    expect(d.orders.created).toBeGreaterThan(3);
    expect(d.companies.active).toBeGreaterThan(3);
  });

  test('companies by status and grade', async () => {
    expect(d.companies.active).toBe(
      await count(sql`select count(*)::int n from organization where type = 'company' and status = 'active'`),
    );
    for (const g of d.companies.byGrade as { grade: string; count: number }[])
      expect(g.count, g.grade).toBe(
        await count(
          g.grade === 'none'
            ? sql`select count(*)::int n from organization where type = 'company' and status = 'active' and credit_grade is null`
            : sql`select count(*)::int n from organization where type = 'company' and status = 'active' and credit_grade = ${g.grade}`,
        ),
      );
    for (const s of d.companies.byStatus as { status: string; count: number }[])
      expect(s.count, s.status).toBe(
        await count(
          sql`select count(*)::int n from organization where type = 'company' and status = ${s.status}`,
        ),
      );
  });

  test('workers registered, certified by colour, trained, insured', async () => {
    expect(d.workers.registered).toBe(
      await count(sql`select count(*)::int n from worker where status = 'active'`),
    );
    for (const c of ['green', 'yellow', 'red'] as const)
      expect(d.workers.certified[c], c).toBe(
        await count(sql`select count(*)::int n from worker_search s join worker w on w.id = s.worker_id
          where w.status = 'active' and s.color = ${c}`),
      );
    expect(d.workers.trained).toBe(
      await count(sql`select count(*)::int n from worker w where w.status = 'active'
        and exists (select 1 from pre_job_training p where p.worker_id = w.id and p.passed)`),
    );
    const today = shanghaiDay(new Date());
    expect(d.workers.insured).toBe(
      await count(sql`select count(distinct p.worker_id)::int n from insurance_policy p join worker w on w.id = p.worker_id
        where w.status = 'active' and p.state = 'active' and p.starts_on <= ${today}::date and p.ends_on >= ${today}::date`),
    );
    expect(d.workers.insured).toBeGreaterThan(0);
  });

  test('orders created and completed, by category, mode and district, and value', async () => {
    const created = sql`${monthOf('created_at')} between ${from} and ${to}`;
    const completed = sql`state in ('completed', 'closed') and completed_at is not null and ${monthOf('completed_at')} between ${from} and ${to}`;
    expect(d.orders.created).toBe(
      await count(sql`select count(*)::int n from service_order where ${created}`),
    );
    expect(d.orders.completed).toBe(
      await count(sql`select count(*)::int n from service_order where ${completed}`),
    );
    expect(d.orders.completedValueFen).toBe(
      await count(sql`select coalesce(sum(total_fen), 0)::int n from service_order where ${completed}`),
    );
    expect(d.orders.completed).toBeGreaterThan(0);
    for (const c of d.orders.byCategory)
      expect(c.created, c.category).toBe(
        await count(
          sql`select count(*)::int n from service_order where ${created} and category = ${c.category}`,
        ),
      );
    for (const m of d.orders.byMode)
      expect(m.completed, m.mode).toBe(
        await count(sql`select count(*)::int n from service_order where ${completed} and mode = ${m.mode}`),
      );
    expect(d.orders.byDistrict).toHaveLength(districts.length);
    for (const r of d.orders.byDistrict) {
      expect(r.ordersCreated, r.district).toBe(
        await count(
          sql`select count(*)::int n from service_order where ${created} and district = ${r.district}`,
        ),
      );
      expect(r.workers, r.district).toBe(
        await count(
          sql`select count(*)::int n from worker where status = 'active' and district = ${r.district}`,
        ),
      );
    }
    expect(d.orders.demands).toBe(
      await count(
        sql`select count(*)::int n from demand where ${monthOf('created_at')} between ${from} and ${to}`,
      ),
    );
    // The heat map is orders plus demands per district × category: its cells add up to both totals.
    const heat = (d.heat as { count: number }[]).reduce((n, h) => n + h.count, 0);
    expect(heat).toBe(d.orders.created + d.orders.demands);
  });

  test('complaints within SLA and follow-up satisfaction', async () => {
    const filed = sql`${monthOf('filed_at')} between ${from} and ${to}`;
    expect(d.complaints.filed).toBe(await count(sql`select count(*)::int n from complaint where ${filed}`));
    expect(d.complaints.filed).toBeGreaterThan(0);
    const inSla = await count(
      sql`select count(*)::int n from complaint where ${filed} and responded_at is not null and responded_at <= respond_by`,
    );
    const due = await count(
      sql`select count(*)::int n from complaint where ${filed} and (responded_at is not null or respond_by < now())`,
    );
    expect(d.complaints.answeredInSla).toBe(inSla);
    expect(d.complaints.slaDue).toBe(due);
    expect(d.complaints.withinSlaPct).toBe(due ? Math.round((inSla / due) * 1000) / 10 : null);
    const done = sql`state = 'done' and satisfaction is not null and ${monthOf('recorded_at')} between ${from} and ${to}`;
    const n = await count(sql`select count(*)::int n from follow_up where ${done}`);
    const sum = await count(sql`select coalesce(sum(satisfaction), 0)::int n from follow_up where ${done}`);
    expect(d.followUps.count).toBe(n);
    expect(d.followUps.satisfactionAvg).toBe(n ? Math.round((sum / n) * 100) / 100 : null);
  });

  test('trend months add up to the period totals', () => {
    expect(d.trend).toHaveLength(36);
    expect(d.trend.reduce((s: number, m: { ordersCreated: number }) => s + m.ordersCreated, 0)).toBe(
      d.orders.created,
    );
    expect(d.trend.reduce((s: number, m: { complaints: number }) => s + m.complaints, 0)).toBe(
      d.complaints.filed,
    );
  });

  test('district and category filters equal direct counts', async () => {
    const top = (d.orders.byDistrict as { district: string; ordersCreated: number }[]).sort(
      (a, b) => b.ordersCreated - a.ordersCreated,
    )[0]!;
    const cat = d.orders.byCategory[0]!.category;
    const res = await get(
      `/api/v1/insights/dashboard?district=${top.district}&category=${cat}&from=${from}&to=${to}`,
      regulator.cookie,
    );
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f.filters).toMatchObject({ district: top.district, category: cat });
    expect(f.orders.created).toBe(
      await count(sql`select count(*)::int n from service_order where district = ${top.district} and category = ${cat}
        and ${monthOf('created_at')} between ${from} and ${to}`),
    );
    expect(f.workers.registered).toBe(
      await count(
        sql`select count(*)::int n from worker where status = 'active' and district = ${top.district}`,
      ),
    );
    expect(f.orders.byDistrict).toHaveLength(1);
  });

  test('rollups, not live scans: new data shows only after a refresh', async () => {
    const before = d.companies.byStatus.find((s) => s.status === 'active')!.count;
    await company(t, '刷新前新增家政公司', { district: '440103' });
    const stale = (await get(`/api/v1/insights/dashboard?from=${from}&to=${to}`, regulator.cookie)).json();
    expect(stale.companies.active).toBe(before);
    expect(stale.asOf).toBe(d.asOf);
    t.clock.advance(60_000);
    await post('/api/v1/insights/refresh', regulator.cookie);
    const fresh = (await get(`/api/v1/insights/dashboard?from=${from}&to=${to}`, regulator.cookie)).json();
    expect(fresh.companies.active).toBe(before + 1);
    expect(fresh.asOf > d.asOf).toBe(true);
  });

  test('computed once per refresh and filters: a rollup row changed behind the service is not read again', async () => {
    const url = `/api/v1/insights/dashboard?from=${from}&to=${to}`;
    const first = (await get(url, regulator.cookie)).json();
    await t.database.db.execute(
      sql`update insights_stock set value = value + 1000 where metric = 'workers_registered'`,
    );
    // The same refresh and filters: the figures computed before.
    expect((await get(url, regulator.cookie)).json()).toEqual(first);
    // Other filters are computed from the rollups as they are now.
    const other = (
      await get(`/api/v1/insights/dashboard?from=${from}&to=${to}&district=440103`, regulator.cookie)
    ).json();
    const direct = await count(
      sql`select coalesce(sum(value), 0) as n from insights_stock where metric = 'workers_registered' and district = '440103'`,
    );
    expect(other.workers.registered).toBe(direct);
    // A refresh rebuilds the rollups from the modules' tables and names new figures.
    t.clock.advance(60_000);
    await post('/api/v1/insights/refresh', regulator.cookie);
    const fresh = (await get(url, regulator.cookie)).json();
    expect(fresh.asOf > first.asOf).toBe(true);
    expect(fresh.workers.registered).toBe(first.workers.registered);
  });
});

describe('drill-down lists', () => {
  test('orders page by id, every page carries the total, and a page asked again is the same page', async () => {
    const all = await count(sql`select count(*)::int n from service_order`);
    const seen: string[] = [];
    const pages: { cursor: string; ids: string[] }[] = [];
    let cursor = '';
    for (let i = 0; i < 50; i++) {
      const res = await get(
        `/api/v1/insights/drill/orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        regulator.cookie,
      );
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.total).toBe(all);
      const ids = page.items.map((o: { id: string }) => o.id);
      pages.push({ cursor, ids });
      seen.push(...ids);
      expect(Object.keys(page.items[0] ?? {})).not.toContain('address');
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(all);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toHaveLength(Math.ceil(all / 3));
    // Going back (the web keeps the cursors it saw) gives exactly the earlier page.
    const back = pages[1]!;
    const again = await get(`/api/v1/insights/drill/orders?limit=3&cursor=${back.cursor}`, regulator.cookie);
    expect(again.json().items.map((o: { id: string }) => o.id)).toEqual(back.ids);
  });

  test("a district's orders: the total counts only that district", async () => {
    const res = await get('/api/v1/insights/drill/orders?district=440106&limit=2', regulator.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(
      await count(sql`select count(*)::int n from service_order where district = '440106'`),
    );
    expect(res.json().items.length).toBe(Math.min(2, res.json().total));
  });

  test('companies by grade', async () => {
    const res = await get(
      '/api/v1/insights/drill/companies?status=active&grade=5A&limit=100',
      regulator.cookie,
    );
    expect(res.statusCode).toBe(200);
    const n = await count(
      sql`select count(*)::int n from organization where type = 'company' and status = 'active' and credit_grade = '5A'`,
    );
    expect(res.json().items.length).toBe(n);
    expect(res.json().total).toBe(n);
  });
});

describe('refused clearly', () => {
  test('unknown filter, reversed or too long period, bad district', async () => {
    const unknown = await get('/api/v1/insights/dashboard?colour=red', regulator.cookie);
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('VALIDATION_FAILED');
    const reversed = await get('/api/v1/insights/dashboard?from=2026-05&to=2026-01', regulator.cookie);
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json()).toMatchObject({ code: 'INSIGHTS_RANGE_REVERSED' });
    expect(reversed.json().message['zh-CN']).toContain('结束月份');
    const long = await get('/api/v1/insights/dashboard?from=2020-01&to=2026-01', regulator.cookie);
    expect(long.statusCode).toBe(422);
    expect(long.json().code).toBe('INSIGHTS_RANGE_TOO_LARGE');
    expect((await get('/api/v1/insights/dashboard?district=110101', regulator.cookie)).statusCode).toBe(422);
    expect((await get('/api/v1/insights/dashboard?from=2026-13', regulator.cookie)).statusCode).toBe(422);
  });

  test('a company asking for market-wide data gets 403; anonymous 401', async () => {
    const co = await company(t, '想看全市数据的家政公司');
    for (const url of [
      '/api/v1/insights/dashboard',
      '/api/v1/insights/drill/orders',
      '/api/v1/insights/exports/summary',
      '/api/v1/insights/wage-survey/editions',
    ]) {
      expect((await get(url, co.cookie)).statusCode, url).toBe(403);
      expect((await get(url)).statusCode, url).toBe(401);
    }
  });

  test('a district regulator sees only their district', async () => {
    const tianhe = await account(t, [{ role: 'regulator', district: '440106' }]);
    const res = await get('/api/v1/insights/dashboard', tianhe.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json().filters.district).toBe('440106');
    expect(res.json().orders.byDistrict.map((r: { district: string }) => r.district)).toEqual(['440106']);
    const other = await get('/api/v1/insights/dashboard?district=440103', tianhe.cookie);
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('INSIGHTS_DISTRICT_OUT_OF_SCOPE');
    expect((await get('/api/v1/insights/drill/orders?district=440103', tianhe.cookie)).statusCode).toBe(403);
  });
});

describe('exports', () => {
  test('xlsx of all tables opens with Chinese headers and the dashboard rows', async () => {
    const res = await get(`/api/v1/insights/exports/all?from=${from}&to=${to}`, regulator.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '主要指标',
      '企业信用等级',
      '分区订单',
      '分类别订单',
      '分服务方式订单',
      '月度趋势',
      '投诉处理',
    ]);
    const d = (await get(`/api/v1/insights/dashboard?from=${from}&to=${to}`, regulator.cookie)).json();
    const byDistrict = wb.getWorksheet('分区订单')!;
    expect(byDistrict.getRow(2).getCell(2).text).toBe('区域');
    expect(byDistrict.rowCount).toBe(2 + districts.length);
    for (let r = 3; r <= byDistrict.rowCount; r++) {
      const code = byDistrict.getRow(r).getCell(1).text;
      const row = d.orders.byDistrict.find((x: { district: string }) => x.district === code);
      expect(Number(byDistrict.getRow(r).getCell(3).value)).toBe(row.ordersCreated);
    }
    const summary = wb.getWorksheet('主要指标')!;
    const cell = (label: string) => {
      for (let r = 3; r <= summary.rowCount; r++)
        if (summary.getRow(r).getCell(1).text === label) return summary.getRow(r).getCell(2).value;
      return undefined;
    };
    expect(cell('登记家政服务员')).toBe(d.workers.registered);
    expect(cell('新增订单')).toBe(d.orders.created);
  });

  test('CSV has a BOM, Chinese headers and one line per row; all-tables CSV is refused', async () => {
    const res = await get(
      `/api/v1/insights/exports/trend?format=csv&from=${from}&to=${to}`,
      regulator.cookie,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('月份,新增订单,完成订单,发布需求,投诉数,回访满意度');
    expect(lines).toHaveLength(37);
    const bad = await get('/api/v1/insights/exports/all?format=csv', regulator.cookie);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('INSIGHTS_EXPORT_FORMAT');
    expect((await get('/api/v1/insights/exports/people', regulator.cookie)).statusCode).toBe(422);
  });
});

describe('open statistics', () => {
  test('public, cacheable, the fixed shape, equal to the rollups', async () => {
    const res = await get('/api/v1/public/stats');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const s = res.json();
    expect(Object.keys(s).sort()).toEqual(
      [
        'asOf',
        'companies',
        'companies5A',
        'workers',
        'certifiedWorkers',
        'trainedWorkers',
        'insuredWorkers',
        'ordersCompleted',
        'complaintsWithinSlaPct',
      ].sort(),
    );
    expect(s.workers).toBe(await count(sql`select count(*)::int n from worker where status = 'active'`));
    expect(s.ordersCompleted).toBe(
      await count(
        sql`select count(*)::int n from service_order where state in ('completed', 'closed') and completed_at is not null`,
      ),
    );
    expect(s.companies5A).toBe(
      await count(
        sql`select count(*)::int n from organization where type = 'company' and status = 'active' and credit_grade = '5A'`,
      ),
    );
    expect(new Date(s.asOf).toISOString()).toBe(s.asOf);
  });
});

describe('the demo seed', () => {
  test('published a survey with hidden thin cells and stored a report', async () => {
    const pub = await get('/api/v1/public/wage-survey');
    expect(pub.statusCode).toBe(200);
    const cells = pub.json().cells as { hidden: boolean; sampleCount: number | null }[];
    expect(cells.some((c) => c.hidden)).toBe(true);
    expect(cells.some((c) => !c.hidden && (c.sampleCount ?? 0) >= 5)).toBe(true);
    const reports = (await get('/api/v1/insights/reports', regulator.cookie)).json();
    expect(reports.items).toHaveLength(1);
    const pdf = await get(`/api/v1/insights/reports/${reports.items[0].id}/pdf`, regulator.cookie);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

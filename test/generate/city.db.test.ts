import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, test } from 'vitest';
import { generateCity, scales } from '../../scripts/generate/city.js';
import { buildTestApp, type TestApp } from '../app.js';

// The benchmark generator (issue 13) at its tiny scale: deterministic from the seed, consistent rows.
const NOW = new Date('2026-11-20T04:00:00Z');

async function generated(seed: number) {
  const t = await buildTestApp();
  t.clock.now = NOW;
  const out = await generateCity(t.app, { scale: scales.tiny!, seed, now: NOW });
  return { t, out };
}

const rowsOf = async <T>(t: TestApp, q: ReturnType<typeof sql>) =>
  ((await t.app.database.db.execute(q)) as unknown as { rows: T[] }).rows;

/** What the seed decides (ids are random per run, so they are left out). */
async function fingerprint(t: TestApp) {
  return {
    workers: await rowsOf(
      t,
      sql`select name, birth_date, sex, district, categories, base_lon, base_lat from worker order by birth_date, sex, district, name`,
    ),
    certificates: await rowsOf(
      t,
      sql`select number, state, district, issued_at from certificate order by number`,
    ),
    orders: await rowsOf(
      t,
      sql`select number, state, category, mode, total_fen, visits, service_start from service_order order by number`,
    ),
    search: await rowsOf(
      t,
      sql`select color, count(*)::int n from worker_search group by color order by color`,
    ),
  };
}

describe('generateCity --scale=tiny', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  test('the same seed builds the same city, with consistent rows', async () => {
    const a = await generated(7);
    const b = await generated(7);
    apps.push(a.t, b.t);
    const tiny = scales.tiny!;
    expect(a.out.dataset).toEqual(b.out.dataset);
    expect(await fingerprint(a.t)).toEqual(await fingerprint(b.t));

    const d = a.out.dataset;
    expect(d.companies).toBe(tiny.companies);
    expect(d.workers).toBe(tiny.workers);
    // Realistic colours: most certified green, some yellow (expired health certificate), a few revoked (red).
    expect(d.certificates).toBeGreaterThan(tiny.workers / 2);
    expect(d.certificates_yellow_health).toBeGreaterThan(0);
    expect(d.certificates_revoked).toBeGreaterThan(0);
    expect(d.certificates_yellow_health! + d.certificates_revoked!).toBeLessThan(d.certificates! / 3);
    expect(d.orders).toBeGreaterThan(tiny.orders * 0.9);
    expect(d.worker_search).toBe(d.certificates);

    const t = a.t;
    const [counts] = await rowsOf<Record<string, number>>(
      t,
      sql`select
      (select count(*)::int from worker) workers,
      (select count(*)::int from service_order) orders,
      (select count(distinct state)::int from service_order) states,
      (select count(distinct mode)::int from service_order) modes,
      (select count(*)::int from certificate c left join worker w on w.id = c.worker_id where w.id is null) orphan_certs,
      (select count(*)::int from service_order o left join worker w on w.id = o.worker_id
         where o.worker_id is not null and w.id is null) orphan_orders,
      (select count(*)::int from worker_booking a join worker_booking b
         on a.worker_id = b.worker_id and a.id < b.id and a.active and b.active
         and a.starts_at < b.ends_at and b.starts_at < a.ends_at) overlapping,
      (select count(*)::int from service_order o where not exists
         (select 1 from order_event e where e.order_id = o.id and e.to_state = o.state)) no_history,
      (select count(*)::int from service_order o join employment e on e.worker_id = o.worker_id
         where e.company_id <> o.company_id) wrong_company`,
    );
    expect(counts).toMatchObject({
      workers: tiny.workers,
      orders: d.orders,
      orphan_certs: 0,
      orphan_orders: 0,
      overlapping: 0,
      no_history: 0,
      wrong_company: 0,
    });
    expect(counts!.states).toBeGreaterThanOrEqual(6);
    expect(counts!.modes).toBeGreaterThanOrEqual(3);

    // The bulk certificates and the batch rebuild agree with the per-worker status the verify page computes.
    const projected = await rowsOf<{ worker_id: string; color: string }>(
      t,
      sql`select worker_id, color from worker_search`,
    );
    // Every yellow and red row and a sample of green ones (per-worker status is a query set each).
    const sample = [
      ...projected.filter((r) => r.color !== 'green'),
      ...projected.filter((r) => r.color === 'green').slice(0, 20),
    ];
    for (const r of sample) {
      const st = await t.app.services.certification.workerStatus(r.worker_id);
      expect(st.status.color, r.worker_id).toBe(r.color);
    }
    // The batch facts (six queries for many workers) equal the per-worker facts.
    const many = await t.app.services.workers.trustFactsMany(sample.map((r) => r.worker_id));
    for (const r of sample)
      expect(many.get(r.worker_id)).toEqual(await t.app.services.workers.trustFacts(r.worker_id));
    // The bulk rebuild (reads run ahead, rebuild-bulk.ts) leaves exactly what the service's own rebuild leaves.
    const projection = async () => ({
      workers: await rowsOf(t, sql`select * from worker_search order by worker_id`),
      orgs: await rowsOf(t, sql`select * from org_search order by org_id`),
    });
    const strip = (p: Awaited<ReturnType<typeof projection>>) => ({
      workers: p.workers.map((r) => ({ ...(r as object), updated_at: null })),
      orgs: p.orgs.map((r) => ({ ...(r as object), updated_at: null })),
    });
    const bulk = strip(await projection());
    await t.app.services.discovery.rebuildAll({ batchSize: 50 });
    expect(bulk).toEqual(strip(await projection()));
    expect(bulk.workers.length).toBe(d.worker_search);

    const colors = new Set(projected.map((r) => r.color));
    expect([...colors].sort()).toEqual(['green', 'red', 'yellow']);
  });
});

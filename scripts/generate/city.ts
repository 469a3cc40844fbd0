// Benchmark data generator (issue 13): a whole city, deterministic from a seed, through the modules' own bulk
// functions (orgs.bulkInsert, generateAccounts, generateWorkers, createCertificateGenerator, seedCatalog,
// createOrderGenerator), then the discovery projection is rebuilt. Row contents follow the seed; ids are
// time-ordered random ids (newId), so they differ between runs. Rows go by COPY through one background writer
// (platform/db/bulk.ts), so a chunk is generated while the previous one is written; into an empty database the
// big tables' secondary indexes and constraints are dropped for the load and rebuilt once after it.
import { getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { FastifyInstance } from 'fastify';
import { districts } from '../../src/shared/districts.js';
import {
  type CreditGrade,
  creditGrades,
  type ServiceCategory,
  serviceCategoryCodes,
} from '../../src/shared/domain.js';
import { makeUscc } from '../../src/shared/validators/index.js';
import { createBulkWriter, deferIndexes, tablesEmpty } from '../../src/server/platform/db/bulk.js';
import { newId } from '../../src/server/platform/db/ids.js';
import { seedCatalog } from '../../src/server/modules/catalog/index.js';
import { rebuildAllBulk } from '../../src/server/modules/discovery/index.js';
import {
  certificationBulkTables,
  createCertificateGenerator,
} from '../../src/server/modules/certification/index.js';
import { generateAccounts } from '../../src/server/modules/identity/index.js';
import {
  createOrderGenerator,
  type GenerateItem,
  ordersBulkTables,
} from '../../src/server/modules/orders/index.js';
import type { NewOrganization } from '../../src/server/modules/orgs/index.js';
import { generateWorkers, workersBulkTables } from '../../src/server/modules/workers/index.js';
import { createRandom } from '../../src/server/seed/random.js';

export interface Scale {
  companies: number;
  stations: number;
  workers: number;
  orders: number;
  residents: number;
}

/** Guangzhou (gz): ~530 companies, 176 stations, 264k workers, ~400k traced orders (issue 13). */
export const scales: Record<string, Scale> = {
  tiny: { companies: 4, stations: 2, workers: 240, orders: 400, residents: 40 },
  small: { companies: 40, stations: 22, workers: 6_000, orders: 9_000, residents: 2_000 },
  gz: { companies: 530, stations: 176, workers: 264_000, orders: 400_000, residents: 100_000 },
  '1m': { companies: 2_000, stations: 176, workers: 1_000_000, orders: 1_500_000, residents: 300_000 },
};

export const BENCH_PASSWORD = 'Anxin@2026';
/** Accounts that sign in during the benchmark: residents and the admins of the first companies. */
export const benchResidentPhone = (k: number) => `1380000${String(k).padStart(4, '0')}`;
export const benchAdminPhone = (k: number) => `1381000${String(k).padStart(4, '0')}`;
export const BENCH_RESIDENTS = 4;
export const BENCH_COMPANIES = 8;

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const companyWords = ['安心', '好帮手', '贴心', '家佳', '粤嫂', '羊城', '康乐', '喜洋洋', '金牌', '美家'];
const companyKinds = ['家政服务有限公司', '家庭服务有限公司', '母婴护理服务中心', '养老护理服务有限公司'];
const surnames = ['陈', '李', '黄', '张', '梁', '刘', '林', '何', '王', '吴', '罗', '郑'];
const givenNames = ['志强', '丽华', '建国', '晓敏', '美玲', '国梁', '秀英', '伟明', '嘉欣', '俊杰'];
const WORKER_CHUNK = 5_000;
const ORDER_CHUNK = 10_000;

export interface GenerateResult {
  seconds: number;
  dataset: Record<string, number>;
  steps: Record<string, number>;
}

export async function generateCity(
  app: FastifyInstance,
  opts: { scale: Scale; seed: number; now?: Date; log?: (line: string) => void },
): Promise<GenerateResult> {
  const log = opts.log ?? (() => {});
  const { scale } = opts;
  const now = opts.now ?? new Date();
  const random = createRandom(opts.seed);
  const db = app.database.db;
  const { orgs, identity, catalog } = app.services;
  const started = Date.now();
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    const cpu = process.cpuUsage();
    const out = await run();
    steps[name] = (Date.now() - t) / 1000;
    // The process's CPU meanwhile: on a shared machine the wall time alone says little.
    const used = process.cpuUsage(cpu);
    log(
      `✓ ${name} in ${steps[name].toFixed(1)} s (process CPU ${((used.user + used.system) / 1e6).toFixed(1)} s)`,
    );
    return out;
  };
  // A step that runs beside the next ones (index builds on their own connections); awaited before the end.
  const background = <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    const p = run().then((out) => {
      steps[name] = (Date.now() - t) / 1000;
      log(`✓ ${name} in ${steps[name].toFixed(1)} s (in the background)`);
      return out;
    });
    p.catch(() => {});
    return p;
  };
  const person = () => `${random.pick(surnames)}${random.pick(givenNames)}`;
  // COPY in the background: the next chunk is generated while the previous one is written.
  const writer = createBulkWriter(db);
  // An empty database (not --force into an existing city): secondary indexes and constraints of the big tables
  // are dropped for the load and rebuilt once after it, which is far cheaper than maintaining them per row. Two
  // groups, each rebuilt as soon as its tables are loaded, beside the next step (2 cores: the generator's Node
  // on one, the index builds on the other): the workers' while the orders are generated, the orders' (with the
  // no-double-booking constraint) while the discovery projection is rebuilt.
  const workerTables = [...workersBulkTables, ...certificationBulkTables];
  const fresh = await tablesEmpty(db, [...workerTables, ...ordersBulkTables]);
  const restores: Promise<void>[] = [];
  let restoreWorkerIndexes = fresh ? await deferIndexes(db, workerTables, { log }) : null;
  let restoreOrderIndexes = fresh ? await deferIndexes(db, ordersBulkTables, { log }) : null;
  // Rebuilds one group's indexes, then analyzes its tables (fresh statistics before anything reads them).
  const rebuild = (restore: () => Promise<void>, tables: PgTable[]) => async () => {
    await restore();
    for (const t of tables) await db.execute(sql`analyze ${t}`);
  };
  try {
    // Organizations: companies with grades (a fifth unrated), stations spread over the districts, one regulator.
    const companies: { id: string; district: string }[] = [];
    await step('organizations', async () => {
      const rows: NewOrganization[] = [];
      for (let i = 0; i < scale.companies; i++) {
        const d = districts[i % districts.length]!;
        const id = newId('org');
        const loc = random.near(d.lon, d.lat, 5);
        let subject = '';
        for (let k = 0; k < 9; k++) subject += USCC_CHARS[random.int(0, 30)];
        const cats = new Set<ServiceCategory>(['hourly']);
        const n = random.int(2, 5);
        while (cats.size < n) cats.add(random.pick(serviceCategoryCodes));
        const grade: CreditGrade | null = random.chance(0.2) ? null : random.pick(creditGrades);
        const name = `${d.name.slice(0, 2)}${random.pick(companyWords)}${random.pick(companyKinds)}${i + 1}号`;
        rows.push({
          id,
          type: 'company',
          name,
          district: d.code,
          status: 'active',
          applicationStatus: 'approved',
          uscc: makeUscc(`91${d.code}${subject}`),
          legalRepresentative: person(),
          model: random.chance(0.6) ? 'employee' : 'agency',
          address: `广东省广州市${d.name}${random.int(1, 399)}号`,
          lon: loc.lon,
          lat: loc.lat,
          serviceCategories: [...cats],
          contactName: person(),
          contactPhoneEnc: orgs.sealContactPhone(
            `13${random.int(5, 9)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
          ),
          creditGrade: grade,
          description: `${name}，持证上岗，服务全市。`,
          submittedAt: new Date(now.getTime() - 400 * 86_400_000),
          decidedAt: new Date(now.getTime() - 398 * 86_400_000),
        });
        companies.push({ id, district: d.code });
      }
      for (let i = 0; i < scale.stations; i++) {
        const d = districts[i % districts.length]!;
        const loc = random.near(d.lon, d.lat, 6);
        rows.push({
          id: newId('org'),
          type: 'station',
          name: `${d.name}第${Math.floor(i / districts.length) + 1}家政服务站`,
          district: d.code,
          status: 'active',
          address: `广东省广州市${d.name}${random.int(1, 399)}号`,
          lon: loc.lon,
          lat: loc.lat,
          contactName: person(),
          contactPhoneEnc: orgs.sealContactPhone(`020-${random.int(3000_0000, 8999_9999)}`),
        });
      }
      await orgs.bulkInsert(rows);
    });

    // Accounts: a regulator (issuer of the certificates), the benchmark's residents and company admins (real
    // credentials), and the residents behind the generated orders (bulk, no credentials).
    const residentIds: string[] = [];
    let regulatorId: string | null = null;
    await step('accounts', async () => {
      regulatorId = await identity.createAccount({
        phone: '13800009999',
        password: BENCH_PASSWORD,
        name: '基准监管员',
        roles: [{ role: 'regulator' }],
      });
      for (let k = 1; k <= BENCH_RESIDENTS; k++)
        residentIds.push(
          await identity.createAccount({
            phone: benchResidentPhone(k),
            password: BENCH_PASSWORD,
            name: person(),
            roles: [{ role: 'resident' }],
          }),
        );
      for (let k = 1; k <= Math.min(BENCH_COMPANIES, companies.length); k++) {
        const userId = await identity.createAccount({
          phone: benchAdminPhone(k),
          password: BENCH_PASSWORD,
          name: person(),
          roles: [],
        });
        await orgs.addMember(db, { orgId: companies[k - 1]!.id, userId, role: 'admin' });
      }
      const rows = [];
      for (let i = 0; i < scale.residents; i++)
        rows.push({ name: person(), phone: `137${String(i).padStart(8, '0')}`, role: 'resident' as const });
      // A loop, not push(...ids): 300,000 ids as call arguments overflow V8's stack at 1M.
      for (const id of await generateAccounts(db, rows, now, writer)) residentIds.push(id);
      await writer.flush();
    });

    // Workers in chunks, each chunk certified right away from the facts the workers generator returns.
    const certs = await createCertificateGenerator({ db, pii: app.pii, issuedBy: regulatorId, now, writer });
    const green = new Map<string, Map<string, { id: string; district: string }[]>>();
    const counts = { workers: 0, workerRows: 0, certificates: 0, yellow: 0, revoked: 0 };
    await step('workers+certificates', async () => {
      for (let from = 0; from < scale.workers; from += WORKER_CHUNK) {
        const count = Math.min(WORKER_CHUNK, scale.workers - from);
        const out = await generateWorkers({
          db,
          pii: app.pii,
          storage: app.storage,
          random,
          companies,
          from,
          count,
          now,
          writer,
        });
        const issued = await certs.issue(out.facts, now, random);
        const live = new Set(issued.greenWorkerIds);
        for (const f of out.facts) {
          if (!live.has(f.workerId) || !f.companyId) continue;
          const byCat = green.get(f.companyId) ?? new Map<string, { id: string; district: string }[]>();
          for (const c of f.categories) {
            const list = byCat.get(c) ?? [];
            list.push({ id: f.workerId, district: f.district ?? '440100' });
            byCat.set(c, list);
          }
          green.set(f.companyId, byCat);
        }
        counts.workers += count;
        counts.workerRows += out.rows;
        counts.certificates += issued.issued;
        counts.yellow += issued.healthExpired;
        counts.revoked += issued.revoked;
        log(`  workers ${counts.workers}/${scale.workers}, certificates ${counts.certificates}`);
      }
      await certs.finish();
    });
    let workerIndexes: Promise<void> = Promise.resolve();
    if (restoreWorkerIndexes) {
      workerIndexes = background('worker indexes', rebuild(restoreWorkerIndexes, workerTables));
      restoreWorkerIndexes = null;
      restores.push(workerIndexes);
    }

    const prices = await step('catalog', () =>
      seedCatalog(db, { companyIds: companies.map((c) => c.id), regulatorUserId: regulatorId, random, now }),
    );

    let orderCount = 0;
    let orderRows = 0;
    await step('orders', async () => {
      const withItems = [];
      for (const c of companies) {
        const items: GenerateItem[] = (await catalog.publicItems(c.id))
          .filter((i) => i.active && i.current)
          .map((i) => ({
            id: i.id,
            companyId: c.id,
            category: i.category,
            mode: i.mode,
            unit: i.unit,
            priceFen: i.priceFen,
            title: i.title,
            guideFlag: i.guideFlag,
          }));
        withItems.push({ id: c.id, items, workers: green.get(c.id) ?? new Map() });
      }
      const gen = await createOrderGenerator({
        db,
        pii: app.pii,
        random,
        now,
        companies: withItems,
        residentIds,
        ordersPerWorker: scale.orders / Math.max(1, counts.certificates),
        writer,
      });
      for (let done = 0; done < scale.orders; done += ORDER_CHUNK) {
        const out = await gen.generate(Math.min(ORDER_CHUNK, scale.orders - done));
        orderCount += out.orders;
        orderRows += out.rows;
        log(`  orders ${orderCount}/${scale.orders}`);
      }
      await gen.finish();
    });

    let orderIndexes: Promise<void> = Promise.resolve();
    if (restoreOrderIndexes) {
      orderIndexes = background('order indexes', rebuild(restoreOrderIndexes, ordersBulkTables));
      restoreOrderIndexes = null;
      restores.push(orderIndexes);
    }
    // The rebuild reads the workers' tables by worker id: their indexes and statistics first.
    await step('worker indexes (wait)', () => workerIndexes);
    // The discovery service's rebuild with its reads run ahead of its writes (rebuild-bulk.ts).
    const projected = await step('discovery rebuild', () =>
      rebuildAllBulk(
        {
          db,
          clock: () => new Date(),
          workers: app.services.workers,
          certification: app.services.certification,
          orgs,
          catalog,
          credit: app.services.credit,
        },
        { log },
      ),
    );
    await step('order indexes (wait)', () => orderIndexes);
    await step('analyze', async () => {
      if (!fresh) return void (await db.execute(sql`analyze`));
      // The loaded tables were analyzed after their indexes and the projections by the rebuild: only the rest.
      const done = new Set<string>(['worker_search', 'org_search']);
      for (const t of [...workerTables, ...ordersBulkTables]) done.add(getTableName(t));
      const res = (await db.execute(
        sql`select tablename from pg_tables where schemaname = 'public' order by 1`,
      )) as unknown as { rows: { tablename: string }[] };
      for (const { tablename } of res.rows)
        if (!done.has(tablename)) await db.execute(sql.raw(`analyze "${tablename.replaceAll('"', '""')}"`));
    });

    return {
      seconds: (Date.now() - started) / 1000,
      steps,
      dataset: {
        companies: companies.length,
        stations: scale.stations,
        residents: residentIds.length,
        workers: counts.workers,
        worker_rows: counts.workerRows,
        certificates: counts.certificates,
        certificates_yellow_health: counts.yellow,
        certificates_revoked: counts.revoked,
        price_items: prices.items,
        orders: orderCount,
        order_rows: orderRows,
        worker_search: projected.workers,
        org_search: projected.orgs,
      },
    };
  } finally {
    // A failed load still gets its indexes and constraints back (the error that stopped it is what surfaces).
    await writer.flush().catch(() => {});
    await Promise.allSettled(restores);
    if (restoreWorkerIndexes) await restoreWorkerIndexes().catch(() => {});
    if (restoreOrderIndexes) await restoreOrderIndexes().catch(() => {});
  }
}

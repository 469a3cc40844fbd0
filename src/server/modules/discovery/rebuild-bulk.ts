import { sql } from 'drizzle-orm';
import { createBulkWriter, deferIndexes, tablesEmpty } from '../../platform/db/bulk.js';
import type { Db } from '../../platform/db/client.js';
import { createDiscoveryService, type DiscoveryDeps, type WorkerRowSink } from './discovery.service.js';
import { orgSearch, workerSearch } from './discovery.tables.js';

type Sources = Awaited<ReturnType<DiscoveryDeps['workers']['searchSources']>>;
type Statuses = ReturnType<DiscoveryDeps['certification']['workerStatuses']>;
type Credits = ReturnType<NonNullable<DiscoveryDeps['credit']>['workerCredits']>;

interface Page {
  sources: Promise<Sources>;
  /** The id after which the next page starts, once this page is read; null when it was the last. */
  next?: string | null;
}

/** A promise kept for later whose rejection is not "unhandled" meanwhile (the consumer still sees it). */
const kept = <T>(p: Promise<T>) => {
  p.catch(() => {});
  return p;
};

/**
 * Rewrites the freshly loaded projection's rows in the order of a GiST index on their location (CLUSTER), before
 * its secondary indexes are built: a nearest-first search then finds the rows it reads on fewer, neighbouring heap
 * pages instead of one page per row (they went in by worker id, which says nothing of place). At 1M workers that
 * took the database's CPU per search from 0.77–0.78 to 0.66–0.72 ms (docs/performance.md, "Rows in the order of
 * the map"). The index used is a temporary one: the projection's own are built after, from the ordered heap.
 */
export async function orderByLocation(db: Db, log?: (line: string) => void): Promise<void> {
  const started = Date.now();
  // One transaction: a failure leaves neither the temporary index nor a half-done rewrite.
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    await tx.execute(sql`create index worker_search_load_order on worker_search using gist (location)`);
    await tx.execute(sql`cluster worker_search using worker_search_load_order`);
    await tx.execute(sql`drop index worker_search_load_order`);
    // CLUSTER moved the table's mark to the temporary index: back to the location index, when it is there (a bulk
    // load marks it once it is built again).
    const { rows } = (await tx.execute(
      sql`select to_regclass('worker_search_location_gist') is not null as there`,
    )) as unknown as { rows: { there: boolean }[] };
    if (rows[0]?.there)
      await tx.execute(sql`alter table worker_search cluster on worker_search_location_gist`);
  });
  log?.(`  worker_search in location order in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The search projections rebuilt after a bulk load (the city generator, issue 13): the discovery service's own
 * `rebuildAll` — same projection, same rows — with its reads run ahead. While one page of workers is projected
 * and written, the next `ahead` pages' sources, certificate statuses and credits are read on other pool
 * connections, so the database's reads and the writes overlap instead of taking turns. When the projection is
 * empty (a fresh load) its secondary indexes are dropped, the rows go in by COPY from a background writer
 * instead of page-sized upserts, the rows are put in the order of the map (`orderByLocation`), and the indexes are built
 * once at the end, two at a time; `CLUSTER worker_search` (docs/operations.md) orders them again later by the
 * location index.
 */
export async function rebuildAllBulk(
  deps: DiscoveryDeps,
  opts: { batchSize?: number; ahead?: number; log?: (line: string) => void } = {},
): Promise<{ workers: number; orgs: number }> {
  const limit = opts.batchSize ?? 2000;
  const ahead = opts.ahead ?? 2;
  const pages = new Map<string, Page>();
  const statuses = new Map<string, Statuses>();
  const credits = new Map<string, Credits>();
  const keyOf = (ids: string[]) => `${ids[0]}|${ids[ids.length - 1]}|${ids.length}`;

  // Reads the page after `afterId` (and its statuses and credits) unless it is already being read.
  const prefetch = (afterId: string | undefined) => {
    const key = afterId ?? '';
    if (pages.has(key)) return;
    const page: Page = {
      sources: kept(
        deps.workers.searchSources({ ...(afterId === undefined ? {} : { afterId }), limit }).then((s) => {
          page.next = s.length ? s[s.length - 1]!.id : null;
          if (s.length) {
            const ids = s.map((x) => x.id);
            statuses.set(keyOf(ids), kept(deps.certification.workerStatuses(ids)));
            if (deps.credit) credits.set(keyOf(ids), kept(deps.credit.workerCredits(ids)));
          }
          fill();
          return s;
        }),
      ),
    };
    pages.set(key, page);
  };
  // Keeps `ahead` pages in flight: follows the chain of read pages to its end and starts the next one.
  let head = '';
  const fill = () => {
    let key = head;
    for (let n = 0; n < ahead; n++) {
      const page = pages.get(key);
      if (!page) return prefetch(key === '' ? undefined : key);
      if (page.next === undefined || page.next === null) return;
      key = page.next;
    }
  };

  const service = createDiscoveryService({
    ...deps,
    workers: {
      async searchSources(q) {
        if (q.ids) return deps.workers.searchSources(q);
        const key = q.afterId ?? '';
        prefetch(q.afterId);
        const page = pages.get(key)!;
        const s = await page.sources;
        pages.delete(key);
        // Keep the window full: the pages after this one are being read while this one is projected.
        head = s.length ? s[s.length - 1]!.id : key;
        if (s.length) fill();
        return s;
      },
    },
    certification: {
      ...deps.certification,
      workerStatuses(ids) {
        const key = keyOf(ids);
        const p = statuses.get(key);
        statuses.delete(key);
        return p ?? deps.certification.workerStatuses(ids);
      },
    },
    ...(deps.credit
      ? {
          credit: {
            workerCredits(ids: string[]) {
              const key = keyOf(ids);
              const p = credits.get(key);
              credits.delete(key);
              return p ?? deps.credit!.workerCredits(ids);
            },
          },
        }
      : {}),
  });
  if (!(await tablesEmpty(deps.db, [workerSearch, orgSearch])))
    return service.rebuildAll({ batchSize: limit });
  const deferred = await deferIndexes(deps.db, [workerSearch], opts.log ? { log: opts.log } : {});
  const restore = async () => {
    await deferred();
    // Deferring the indexes dropped the mark migration 0036 set: a plain `CLUSTER worker_search` uses this index.
    await deps.db.execute(sql`alter table worker_search cluster on worker_search_location_gist`);
  };
  const writer = createBulkWriter(deps.db);
  let restored = false;
  const sink: WorkerRowSink = {
    write: (rows) => writer.write(workerSearch, rows),
    async finish() {
      await writer.flush();
      await orderByLocation(deps.db, opts.log);
      restored = true;
      await restore();
    },
  };
  try {
    return await service.rebuildAll({ batchSize: limit, sink });
  } finally {
    // A failed rebuild still leaves the projection with its indexes (the failure is what surfaces).
    if (!restored) {
      await writer.flush().catch(() => {});
      await restore().catch(() => {});
    }
  }
}

// P9 / 等保 L3-CES1-12 (coverage) and L3-CES1-15 (fail-closed): every state-changing API request that succeeded
// during the assure run left an audit row carrying its request id, unless test/audit-exempt.ts lists its route with
// a reason. Drills: removing one request's audit rows (rolled back) must be caught, and an audit insert that fails
// must take the business write down with it.
import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { DbOrTx } from '../../src/server/platform/db/client.js';
import { auditExempt } from '../../test/audit-exempt.js';
import { company } from '../../test/factories/workers.js';
import { count, inject, type Suite } from './support.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Fastify's handler tracing channel: its start message carries the request (with its id) and the matched route. */
const HANDLER_START = 'tracing:fastify.request.handler:start';

export interface RecordedWrite {
  /** `METHOD /route/:pattern`, as test/authz-matrix.ts keys it. */
  route: string;
  status: number;
  /** The server's request id (what audit_log.request_id holds); null when the handler was never reached. */
  requestId: string | null;
  /** Answered from the idempotency store (`idempotent-replayed`): the original request did the write. */
  replayed: boolean;
  /** The suite that sent it ('setup' before the first suite). */
  suite: string;
  /**
   * What the write changes: for a POST that answers with an object's id, the path and that id (a new object each
   * time; get-or-create answers the same id again); otherwise the method and concrete path for an action on an
   * object the URL names (`POST /grants/g1/revoke`, `DELETE …`), or the path and a hash of the body (PATCH/PUT:
   * another body is another change). Two writes with one target are a repeat (see checkCompleteness).
   */
  target: string;
}

interface Recorder {
  writes: RecordedWrite[];
  suite: string;
  stop(): void;
}

const recorders = new WeakMap<FastifyInstance, Recorder>();

/**
 * Wraps `app.inject` so every write request any suite sends through it is recorded: route pattern, status, request
 * id. The request id is not a response header; Fastify's handler tracing channel names it (with the matched route)
 * for the raw request object that light-my-request hands back on the response. Requests over real sockets (the
 * load and faults suites' separate server process) are not seen.
 */
export function recordWrites(app: FastifyInstance): Recorder {
  const seen = new WeakMap<object, { id: string; route: string }>();
  const onStart = (message: unknown) => {
    const m = message as { request?: { id: unknown; raw: object }; route?: { url: string; method: string } };
    if (m.request && m.route) seen.set(m.request.raw, { id: String(m.request.id), route: m.route.url });
  };
  subscribe(HANDLER_START, onStart);
  const original = app.inject.bind(app) as (opts?: InjectOptions | string, cb?: unknown) => unknown;
  const recorder: Recorder = {
    writes: [],
    suite: 'setup',
    stop() {
      unsubscribe(HANDLER_START, onStart);
      (app as { inject: unknown }).inject = original;
      recorders.delete(app);
    },
  };
  const wrapped = (opts?: InjectOptions | string, cb?: unknown): unknown => {
    // The chain and callback forms are passed through unrecorded (no suite uses them).
    if (opts === undefined || cb !== undefined) return original(opts, cb);
    return (original(opts) as Promise<LightMyRequestResponse>).then((res) => {
      const method = (typeof opts === 'string' ? 'GET' : (opts.method ?? 'GET')).toUpperCase();
      const url = typeof opts === 'string' ? opts : String(opts.url ?? opts.path ?? '');
      if (WRITE_METHODS.has(method) && url.startsWith('/api/')) {
        const hit = seen.get(res.raw.req as object);
        const path = url.split('?')[0]!;
        const namesObject = (hit?.route ?? '').includes('/:') && (method === 'POST' || method === 'DELETE');
        const body = typeof opts === 'string' ? '' : String(JSON.stringify(opts.payload ?? null));
        // A create that answers with an object's id names that object (get-or-create: the same id again is the
        // same object, whatever the body said).
        const created = (() => {
          try {
            const j = JSON.parse(res.body) as { id?: unknown } | null;
            return j && typeof j.id === 'string' ? j.id : null;
          } catch {
            return null;
          }
        })();
        recorder.writes.push({
          target:
            created && method === 'POST'
              ? `${method} ${path} → ${created}`
              : namesObject
                ? `${method} ${path}`
                : `${method} ${path} ${createHash('sha256').update(body).digest('hex').slice(0, 16)}`,
          route: `${method} ${hit?.route ?? url.split('?')[0]}`,
          status: res.statusCode,
          requestId: hit?.id ?? null,
          replayed: res.headers['idempotent-replayed'] !== undefined,
          suite: recorder.suite,
        });
      }
      return res;
    });
  };
  (app as { inject: unknown }).inject = wrapped;
  recorders.set(app, recorder);
  return recorder;
}

/** Names the suite whose requests are recorded next. */
export function recordingSuite(app: FastifyInstance, suite: string): void {
  const r = recorders.get(app);
  if (r) r.suite = suite;
}

export interface Completeness {
  /** Successful (2xx) write requests, not replays. */
  writes: number;
  routes: number;
  audited: number;
  exempt: number;
  exemptRoutes: number;
  replayed: number;
  /**
   * 2xx writes without an audit row that repeat an earlier audited write's target (revoking a revoked grant, joining
   * a joined interview, the same create again): the state did not change, so nothing was recorded. Not gaps.
   */
  repeats: RecordedWrite[];
  /** 2xx writes with no audit row and no exemption. */
  unaudited: RecordedWrite[];
  /** 2xx writes whose request id the tracing channel did not give (the check would be blind to them). */
  untraced: RecordedWrite[];
  /** Exempt routes that did write audit rows in this run (the exemption is wrong or stale). */
  exemptButAudited: string[];
  /** Exempt keys that name no registered route. */
  exemptStale: string[];
}

/** Checks the recorded successful writes against the audit rows visible to `db` (a rolled-back drill passes a tx). */
export async function checkCompleteness(
  db: DbOrTx,
  writes: readonly RecordedWrite[],
  registered: ReadonlySet<string>,
  exempt: Readonly<Record<string, string>> = auditExempt,
): Promise<Completeness> {
  const ok = writes.filter((w) => w.status >= 200 && w.status < 300);
  const replayed = ok.filter((w) => w.replayed);
  const fresh = ok.filter((w) => !w.replayed);
  const untraced = fresh.filter((w) => w.requestId === null);
  const traced = fresh.filter((w) => w.requestId !== null);
  const result = await db.execute<{ request_id: string }>(
    sql`select distinct request_id from audit_log where request_id like 'req-%'`,
  );
  const rows = Array.isArray(result) ? result : (result as { rows: { request_id: string }[] }).rows;
  const withRows = new Set(rows.map((r) => r.request_id));
  const unaudited: RecordedWrite[] = [];
  const repeats: RecordedWrite[] = [];
  const exemptButAudited = new Set<string>();
  const auditedTargets = new Set<string>();
  let audited = 0;
  let exemptCount = 0;
  const exemptRoutes = new Set<string>();
  // In the order sent: a repeat is only a repeat of an earlier write that was audited.
  for (const w of traced) {
    const has = withRows.has(w.requestId!);
    if (w.route in exempt) {
      exemptCount++;
      exemptRoutes.add(w.route);
      if (has) exemptButAudited.add(w.route);
    } else if (has) {
      audited++;
      auditedTargets.add(w.target);
    } else if (auditedTargets.has(w.target)) repeats.push(w);
    else unaudited.push(w);
  }
  return {
    writes: fresh.length,
    routes: new Set(fresh.map((w) => w.route)).size,
    audited,
    exempt: exemptCount,
    exemptRoutes: exemptRoutes.size,
    replayed: replayed.length,
    repeats,
    unaudited,
    untraced,
    exemptButAudited: [...exemptButAudited],
    exemptStale: Object.keys(exempt).filter((k) => !registered.has(k)),
  };
}

class RollbackDrill extends Error {}

/**
 * Drill: one audited request's audit rows are deleted (append-only triggers off, in a transaction rolled back
 * afterwards) and the completeness check run inside that transaction must name exactly that request.
 */
async function skippedAuditDrill(
  app: FastifyInstance,
  writes: readonly RecordedWrite[],
  registered: ReadonlySet<string>,
  before: Completeness,
): Promise<{ target: string; caught: boolean }> {
  const unaudited = new Set(before.unaudited.map((w) => w.requestId));
  const victim = writes.find(
    (w) =>
      w.status >= 200 &&
      w.status < 300 &&
      !w.replayed &&
      w.requestId &&
      !(w.route in auditExempt) &&
      !unaudited.has(w.requestId),
  );
  if (!victim) return { target: 'none', caught: false };
  let caught = false;
  await app.database.db
    .transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`delete from audit_log where request_id = ${victim.requestId}`);
      const r = await checkCompleteness(tx, writes, registered);
      const named = r.unaudited.filter((w) => !unaudited.has(w.requestId));
      // The victim, and with it any later repeat of its target (a repeat is one only of an audited write).
      caught =
        named.some((w) => w.requestId === victim.requestId) &&
        named.every((w) => w.requestId === victim.requestId || w.target === victim.target);
      throw new RollbackDrill();
    })
    .catch((e) => {
      if (!(e instanceof RollbackDrill)) throw e;
    });
  return { target: `${victim.route} (${victim.requestId})`, caught };
}

/**
 * Drill (L3-CES1-15): a database trigger makes every audit insert fail for one real write (a company publishing a
 * price item); the request must fail with a 5xx and leave no business row. Without the trigger the same request
 * then succeeds with its audit row, so the drill is known to exercise an audited write.
 */
async function failClosedDrill(
  t: Parameters<Suite>[0]['t'],
): Promise<{ passed: boolean; line: string; details: string[] }> {
  const co = await company(t, '审计失败演练家政');
  const items = () => count(t, 'select count(*) as n from service_item where company_id = $1', [co.orgId]);
  const publish = () =>
    inject(t, 'POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
      category: 'cleaning',
      mode: 'hourly',
      priceFen: 4800,
      title: '审计失败演练',
    });
  const raw = t.app.database.raw;
  const details: string[] = [];
  await raw.query(`create or replace function assure_refuse_audit() returns trigger language plpgsql as $$
    begin raise exception 'assure drill: audit write refused'; end $$`);
  await raw.query(
    `create trigger assure_refuse_audit before insert on audit_log for each row execute function assure_refuse_audit()`,
  );
  let refused: LightMyRequestResponse;
  try {
    refused = await publish();
  } finally {
    await raw.query('drop trigger if exists assure_refuse_audit on audit_log');
    await raw.query('drop function if exists assure_refuse_audit()');
  }
  const left = await items();
  const accepted = await publish();
  const after = await items();
  const acceptedId = (() => {
    try {
      return (accepted.json() as { id?: string }).id;
    } catch {
      return undefined;
    }
  })();
  const auditedAfter = acceptedId
    ? await count(t, 'select count(*) as n from audit_log where object_id = $1', [acceptedId])
    : 0;
  if (refused.statusCode < 500)
    details.push(`audit insert failure answered ${refused.statusCode}, expected 5xx`);
  if (left !== 0) details.push(`audit insert failure left ${left} business row(s)`);
  if (accepted.statusCode !== 201 || after !== 1)
    details.push(`control write answered ${accepted.statusCode}`);
  if (auditedAfter === 0) details.push('control write left no audit row naming its object');
  return {
    passed: details.length === 0,
    line: `audit-insert failure → ${refused.statusCode}, business rows ${left} (control ${accepted.statusCode}, audited ${auditedAfter > 0 ? 'yes' : 'NO'})`,
    details,
  };
}

/** Recorded writes grouped by route, routes in first-seen order. */
function byRoute(writes: readonly RecordedWrite[]): [string, RecordedWrite[]][] {
  const m = new Map<string, RecordedWrite[]>();
  for (const w of writes) m.set(w.route, [...(m.get(w.route) ?? []), w]);
  return [...m];
}

export const auditTrail: Suite = async ({ t }) => {
  const recorder = recorders.get(t.app);
  if (!recorder) throw new Error('audit-trail: app.inject is not recorded (recordWrites in runSuites)');
  const failClosed = await failClosedDrill(t);
  const writes = [...recorder.writes];
  const registered = new Set(t.app.routeRegistry.map((r) => `${r.method} ${r.url}`));
  const c = await checkCompleteness(t.app.database.db, writes, registered);
  const drill = await skippedAuditDrill(t.app, writes, registered, c);
  const details = [
    ...byRoute(c.unaudited).map(
      ([route, ws]) =>
        `unaudited ${route} × ${ws.length} (e.g. ${ws[0]!.status} ${ws[0]!.requestId}; suites ${[...new Set(ws.map((w) => w.suite))].join(', ')})`,
    ),
    ...c.untraced.map((w) => `untraced ${w.route} → ${w.status} (suite ${w.suite}): no request id seen`),
    ...c.exemptButAudited.map((k) => `exempt in test/audit-exempt.ts but audited: ${k}`),
    ...c.exemptStale.map((k) => `test/audit-exempt.ts names no route: ${k}`),
    ...(drill.caught ? [] : [`skipped-audit drill on ${drill.target} was not caught`]),
    ...failClosed.details,
  ];
  const passed =
    c.unaudited.length === 0 &&
    c.untraced.length === 0 &&
    c.exemptButAudited.length === 0 &&
    c.exemptStale.length === 0 &&
    drill.caught &&
    failClosed.passed;
  return {
    name: 'audit-trail',
    passed,
    line: `writes ${c.writes} (2xx via inject, ${c.routes} routes; sockets of load/faults not seen): audited ${c.audited}, repeats of an audited write ${c.repeats.length} (${byRoute(c.repeats).length} routes; no change, no row), exempt ${c.exempt} (${c.exemptRoutes} routes, test/audit-exempt.ts), unaudited ${c.unaudited.length}, untraced ${c.untraced.length}; replays ${c.replayed}; skipped-audit drill caught ${Number(drill.caught)}/1; fail-closed: ${failClosed.line}`,
    figures: {
      writes: c.writes,
      routes: c.routes,
      audited: c.audited,
      exempt: c.exempt,
      unaudited: c.unaudited.length,
      untraced: c.untraced.length,
      replayed: c.replayed,
      drillCaught: Number(drill.caught),
      failClosed: Number(failClosed.passed),
    },
    details,
  };
};

// The audit-trail suite of `npm run assure` (等保 L3-CES1-12/15): every recorded successful write has an audit row
// with its request id or an exemption; a write whose audit rows are gone is named, an unlisted unaudited route is
// named, a listed route that audits is named, and an audit insert that fails takes the business write down.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditTrail, checkCompleteness, recordWrites } from '../scripts/assure/audit-trail.js';
import type { Ctx } from '../scripts/assure/support.js';
import { auditExempt } from './audit-exempt.js';
import { buildTestApp, type TestApp } from './app.js';
import { company, selfWorker } from './factories/workers.js';
import { routeKey } from './support/authz-walk.js';
import { createPrincipals, type PrincipalWorld } from './support/principals.js';

let t: TestApp;
let world: PrincipalWorld;
let trail: ReturnType<typeof recordWrites>;
beforeAll(async () => {
  t = await buildTestApp();
  trail = recordWrites(t.app);
  world = await createPrincipals(t.app);
});
afterAll(async () => {
  trail?.stop();
  await t?.close();
});

const PUBLISH = 'POST /api/v1/orgs/:orgId/service-items';
const SAVE_SEARCH = 'POST /api/v1/workers/me/recruitment/saved-searches';
const registered = () => new Set(t.app.routeRegistry.map(routeKey));

class Rollback extends Error {}

describe('assurance suite: audit-trail', () => {
  test('an audited write and an exempt write pass; each kind of gap is named', async () => {
    const co = await company(t, '审计完整性测试家政');
    const published = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${co.orgId}/service-items`,
      headers: { cookie: co.cookie },
      payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁' },
    });
    expect(published.statusCode).toBe(201);
    const w = await selfWorker(t);
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workers/me/recruitment/saved-searches',
      headers: { cookie: w.cookie },
      payload: { name: '天河保洁', categories: ['cleaning'], modes: ['hourly'], alerts: false },
    });
    expect(saved.statusCode).toBe(201);

    const writes = [...trail.writes];
    const publish = writes.find((x) => x.route === PUBLISH && x.status === 201)!;
    expect(publish.requestId).toMatch(/^req-/);
    expect(writes.find((x) => x.route === SAVE_SEARCH)).toMatchObject({ status: 201, replayed: false });

    // As shipped: nothing unaudited, the saved search counted as exempt.
    const clean = await checkCompleteness(t.app.database.db, writes, registered());
    expect(clean.unaudited).toEqual([]);
    expect(clean.untraced).toEqual([]);
    expect(clean.exemptButAudited).toEqual([]);
    expect(clean.exemptStale).toEqual([]);
    expect(clean.exempt).toBeGreaterThanOrEqual(1);
    expect(clean.audited).toBeGreaterThanOrEqual(1);

    // Without its exemption the saved search is an unaudited write; exempting an audited route, or a route that does
    // not exist, is named too.
    const { [SAVE_SEARCH]: _, ...withoutSaved } = auditExempt;
    const strict = await checkCompleteness(t.app.database.db, writes, registered(), {
      ...withoutSaved,
      [PUBLISH]: 'wrongly exempt',
      'POST /api/v1/nowhere': 'stale',
    });
    expect(strict.unaudited.map((x) => x.route)).toEqual([SAVE_SEARCH]);
    expect(strict.exemptButAudited).toEqual([PUBLISH]);
    expect(strict.exemptStale).toEqual(['POST /api/v1/nowhere']);

    // A write that repeats an earlier audited write's target (same object, same change) and left no row changed
    // nothing: a repeat, not a gap. Another target without a row is a gap, and so is a "repeat" sent before the
    // audited write it would repeat.
    const again = { ...publish, requestId: 'req-repeat' };
    const other = { ...publish, requestId: 'req-other', target: `${publish.target} (another body)` };
    const repeated = await checkCompleteness(t.app.database.db, [...writes, again, other], registered());
    expect(repeated.repeats.map((x) => x.requestId)).toEqual(['req-repeat']);
    expect(repeated.unaudited.map((x) => x.requestId)).toEqual(['req-other']);
    const early = await checkCompleteness(t.app.database.db, [again, ...writes], registered());
    expect(early.unaudited.map((x) => x.requestId)).toEqual(['req-repeat']);

    // A skipped audit write: the publication's rows removed (rolled back) leave it named.
    let named: string[] = [];
    await t.app.database.db
      .transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`delete from audit_log where request_id = ${publish.requestId}`);
        named = (await checkCompleteness(tx, writes, registered())).unaudited.map((x) => x.requestId!);
        throw new Rollback();
      })
      .catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
    expect(named).toEqual([publish.requestId]);
    expect((await checkCompleteness(t.app.database.db, writes, registered())).unaudited).toEqual([]);
  });

  test('the suite passes, with its skipped-audit drill caught and audit failure rolling the write back', async () => {
    const ctx: Ctx = {
      t,
      world,
      full: false,
      seed: 1,
      engine: 'pglite',
      walk: () => Promise.reject(new Error('not used')),
    };
    const r = await auditTrail(ctx);
    expect(r.details).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.figures.unaudited).toBe(0);
    expect(r.figures.drillCaught).toBe(1);
    expect(r.figures.failClosed).toBe(1);
    expect(r.line).toMatch(
      /skipped-audit drill caught 1\/1; fail-closed: audit-insert failure → 5\d\d, business rows 0/,
    );
    // The drill's trigger is gone: writes are audited again.
    const [{ n }] = (await t.app.database.raw.query<{ n: string | number }>(
      `select count(*) as n from pg_trigger where tgname = 'assure_refuse_audit'`,
    )) as [{ n: string | number }];
    expect(Number(n)).toBe(0);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  account,
  certifiedWorker,
  company,
  day,
  selfWorker,
  upload,
} from '../../../../../test/factories/workers.js';
import { coverOf, coverUntilSql } from '../../insurance/index.js';
import { companyVerifyJsonSql } from '../../orgs/index.js';
import { workerStarsSql } from '../../credit/index.js';
import { trustFactsFromJson, workerTrustFactsJsonSql } from '../../workers/index.js';
import { type CertificationDeps, createCertificationService } from '../certification.service.js';

// workerStatus as one prepared statement (the booking check) against the reference path (the workers module's
// facts, then the live certificate, then the newest issued), on workers built through the real routes.
let t: TestApp;
let regulator: { cookie: string };

function node(over: Partial<CertificationDeps> = {}) {
  const s = t.app.services;
  return createCertificationService({
    db: t.database.db,
    clock: () => t.clock.now,
    pii: t.app.pii,
    storage: t.app.storage,
    workers: s.workers,
    orgs: s.orgs,
    notifications: s.notifications,
    publicUrl: 'https://anxin.example',
    verifySql: {
      workerFacts: workerTrustFactsJsonSql,
      decodeWorkerFacts: trustFactsFromJson,
      company: companyVerifyJsonSql,
      coverUntil: coverUntilSql,
      coverOf,
      creditLevel: workerStarsSql,
    },
    ...over,
  });
}

async function ok(res: Promise<{ statusCode: number; body: string }>) {
  const r = await res;
  if (r.statusCode >= 300) throw new Error(r.body);
  return r;
}
const post = (url: string, payload: object) =>
  ok(t.app.inject({ method: 'POST', url, payload, headers: { cookie: regulator.cookie } }));
async function certId(workerId: string) {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/workers/${workerId}/certification`,
    headers: { cookie: regulator.cookie },
  });
  return (r.json().certificate as { id: string }).id;
}

beforeAll(async () => {
  t = await buildTestApp({ PUBLIC_URL: 'https://anxin.example' });
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t.close());

describe('one-statement worker status', () => {
  test('gives exactly the reference status for every certificate history and colour', async () => {
    const employer = await company(t);
    const green = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer });
    const suspended = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer });
    const revoked = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer });
    const reissued = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer });
    const twiceRevoked = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer });
    const notIssued = await certifiedWorker(t, { regulatorCookie: regulator.cookie, issue: false });
    const pendingSkill = await certifiedWorker(t, { regulatorCookie: regulator.cookie, healthDays: 60 });
    const withdrawn = await certifiedWorker(t, { regulatorCookie: regulator.cookie, healthDays: 60 });
    const uncertified = await selfWorker(t);

    await post(`/api/v1/certificates/${await certId(suspended.w.workerId)}/suspend`, {
      reason: '投诉核查中',
    });
    await post(`/api/v1/certificates/${await certId(revoked.w.workerId)}/revoke`, { reason: '虚假材料' });
    // Revoked, then issued again: the live one is the latest; twice revoked: the newest revoked one.
    for (const w of [reissued, twiceRevoked]) {
      await post(`/api/v1/certificates/${await certId(w.w.workerId)}/revoke`, { reason: '虚假材料' });
      t.clock.advance(60_000);
      expect((await post(`/api/v1/workers/${w.w.workerId}/certificate`, {})).statusCode).toBe(201);
    }
    t.clock.advance(60_000);
    await post(`/api/v1/certificates/${await certId(twiceRevoked.w.workerId)}/revoke`, {
      reason: '再次违规',
    });
    expect(
      (await upload(t, pendingSkill.w.cookie, { kind: 'skill', issuedOn: day(t, -10) })).statusCode,
    ).toBe(201);
    await ok(
      t.app.inject({
        method: 'POST',
        url: '/api/v1/workers/me/consent/withdraw',
        payload: {},
        headers: { cookie: withdrawn.w.cookie },
      }),
    );

    const fast = node();
    const ref = node({ verifySql: undefined });
    const ids = [green, suspended, revoked, reissued, twiceRevoked, notIssued, pendingSkill, withdrawn].map(
      (w) => w.w.workerId,
    );
    ids.push(uncertified.workerId);
    const colours = new Set<string>();
    const start = t.clock.now;
    try {
      // Now; after the 30-day health certificates lapsed; after every certificate expired.
      for (const days of [0, 31, 400]) {
        t.clock.now = new Date(start.getTime() + days * 86_400_000);
        for (const id of ids) {
          const a = await fast.workerStatus(id);
          const b = await ref.workerStatus(id);
          expect(a).toEqual(b);
          colours.add(`${a.status.color}:${a.certificate?.state ?? 'none'}`);
        }
      }
    } finally {
      t.clock.now = start;
    }
    // The crafted data reaches every colour and certificate state.
    expect([...colours].sort()).toEqual(
      expect.arrayContaining([
        'green:active',
        'red:revoked',
        'red:suspended',
        'yellow:active',
        'yellow:none',
      ]),
    );
    const live = await fast.workerStatus(reissued.w.workerId);
    expect(live.certificate?.state).toBe('active');
    const gone = await fast.workerStatus(twiceRevoked.w.workerId);
    expect(gone.certificate?.state).toBe('revoked');
    expect(gone.certificate?.stateReason).toBe('再次违规');
  });

  test("the latest-certificate pick reads the worker's certificates through an index, revoked ones included", async () => {
    // The only worker_id index used to be the partial live one (state <> 'revoked'), which this pick cannot use:
    // every booking check scanned the whole table (a parallel seq scan, 23 ms at Guangzhou scale). With sequential
    // scans priced out, the plan must name an index on worker_id.
    const plan = await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const res = (await tx.execute(
        sql`explain select c.id from certificate c where c.worker_id = ${'wk_probe'}
            order by c.state = 'revoked', c.issued_at desc, c.id desc limit 1`,
      )) as unknown as { rows: Record<string, string>[] };
      return res.rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toMatch(
      /Index (Only )?Scan using certificate_worker_idx|Bitmap Index Scan on certificate_worker_idx/,
    );
  });

  test('an unknown worker is NOT_FOUND on both paths', async () => {
    await expect(node().workerStatus('wk_unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(node({ verifySql: undefined }).workerStatus('wk_unknown')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, cookieFrom, type TestApp } from '../../../../../test/app.js';
import {
  account,
  certifiedWorker,
  company,
  day,
  PASSWORD,
  selfWorker,
  upload,
} from '../../../../../test/factories/workers.js';
import { coverOf, coverUntilSql } from '../../insurance/index.js';
import { companyVerifyJsonSql } from '../../orgs/index.js';
import { workerStarsSql } from '../../credit/index.js';
import { trustFactsFromJson, workerTrustFactsJsonSql } from '../../workers/index.js';
import { sampleVerifyTokens } from '../certification.generate.js';
import { type CertificationDeps, createCertificationService } from '../certification.service.js';
import { certificateVerificationCount } from '../certification.tables.js';
import { peekQrPayload } from '../qr-token.js';
import { shanghaiDay } from '../trust-status.js';

// The scan hot path (one statement, decrypted keys cached, counts flushed from memory) against the reference
// path (one lookup per module), on workers built through the real routes.
let t: TestApp;
let regulator: { cookie: string };
const verifySql = {
  workerFacts: workerTrustFactsJsonSql,
  decodeWorkerFacts: trustFactsFromJson,
  company: companyVerifyJsonSql,
  coverUntil: coverUntilSql,
  coverOf,
  creditLevel: workerStarsSql,
};

/** Another app node on the same database: the same wiring as app.ts, its own memory. */
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
    insuranceOf: (id) => s.insurance.verificationStatus(id),
    creditStarsOf: (id) => s.credit.workerStars(id),
    verifySql,
    ...over,
  });
}
/** The reference: each module asked in turn, as before the one-statement read. */
const reference = () => node({ verifySql: undefined });

const post = (url: string, payload: object, cookie: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers: { cookie, ...headers } });
async function ok(res: Promise<{ statusCode: number; body: string }>) {
  const r = await res;
  if (r.statusCode >= 300) throw new Error(r.body);
  return r;
}

async function certificateOf(workerId: string) {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/workers/${workerId}/certification`,
    headers: { cookie: regulator.cookie },
  });
  return r.json().certificate as { id: string; number: string };
}

async function tokensById() {
  const m = new Map<string, string>();
  for (const { token } of await sampleVerifyTokens(t.database.db, t.app.pii, 1000))
    m.set(peekQrPayload(token)!.certificateId, token);
  return m;
}

/** An insurer that covers the worker from today for 12 months (enrolled by the employer, confirmed). */
async function insure(co: { orgId: string; cookie: string }, workerId: string) {
  const { orgs } = t.app.services;
  const orgId = await orgs.createOrganization(t.database.db, {
    type: 'insurer',
    name: '测试保险',
    status: 'active',
  });
  const a = await account(t, [], '保险专员');
  await orgs.addMember(t.database.db, { orgId, userId: a.userId, role: 'admin' });
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/password',
    payload: { phone: a.phone, password: PASSWORD },
  });
  const cookie = cookieFrom(login);
  const product = await ok(
    post(
      `/api/v1/insurers/${orgId}/products`,
      {
        title: '家政服务人员意外险',
        kind: 'combined',
        coverage: [
          { code: 'accident_death', amountFen: 50_000_000 },
          { code: 'liability_property', amountFen: 1_000_000 },
        ],
        premiumFen: 10_000,
        periodMonths: 12,
        categories: ['cleaning', 'maternity'],
        subsidyShareBp: 5_000,
        subsidyCapFen: 10_000,
        waitingDays: 0,
      },
      cookie,
    ),
  );
  const enrolled = await ok(
    post(
      `/api/v1/companies/${co.orgId}/insurance/enrolments`,
      { productId: JSON.parse(product.body).id, startsOn: day(t), workerIds: [workerId] },
      co.cookie,
      { 'idempotency-key': `k-${Math.random()}` },
    ),
  );
  const policyId = JSON.parse(enrolled.body).policies[0].id as string;
  await ok(post(`/api/v1/insurance/policies/${policyId}/confirm`, {}, cookie));
}

beforeAll(async () => {
  t = await buildTestApp({ PUBLIC_URL: 'https://anxin.example' });
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t.close());

describe('one-statement verification', () => {
  test('gives exactly the reference view, for certificates of every colour and reason, by token and by number', async () => {
    const employer = await company(t);
    const green = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer });
    await insure(employer, green.w.workerId);
    const suspended = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer });
    const revoked = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer });
    const risky = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
    const pendingSkill = await certifiedWorker(t, { regulatorCookie: regulator.cookie, healthDays: 60 });
    const withdrawn = await certifiedWorker(t, { regulatorCookie: regulator.cookie, healthDays: 60 });
    const uncertified = await selfWorker(t);

    const certOf = async (w: { w: { workerId: string } }) => certificateOf(w.w.workerId);
    await ok(
      post(
        `/api/v1/certificates/${(await certOf(suspended)).id}/suspend`,
        { reason: '投诉核查中' },
        regulator.cookie,
      ),
    );
    await ok(
      post(
        `/api/v1/certificates/${(await certOf(revoked)).id}/revoke`,
        { reason: '提供虚假健康证明' },
        regulator.cookie,
      ),
    );
    // A later record decides over the earlier clear check; a failed retake does not undo a passed exam.
    t.clock.advance(60_000);
    await ok(
      post(
        `/api/v1/regulator/workers/${risky.w.workerId}/background-checks`,
        { state: 'record_found', checkedOn: day(t, -1) },
        regulator.cookie,
      ),
    );
    await ok(
      post(
        `/api/v1/regulator/workers/${risky.w.workerId}/training`,
        { courseName: '家政服务员岗前培训', passed: false, score: 40, examDate: day(t, -1) },
        regulator.cookie,
      ),
    );
    // A new skill certificate awaiting review replaces the approved one: checks incomplete.
    expect(
      (await upload(t, pendingSkill.w.cookie, { kind: 'skill', issuedOn: day(t, -10) })).statusCode,
    ).toBe(201);
    await ok(post('/api/v1/workers/me/consent/withdraw', {}, withdrawn.w.cookie));
    // The employer of `withdrawn` stops being active: the page no longer names it.
    await t.database.db.execute(
      sql`update organization set status = 'suspended' where id = ${withdrawn.co.orgId}`,
    );
    await t.app.services.credit.recomputeAll();

    const fast = node();
    const ref = reference();
    const tokens = await tokensById();
    const workers = [green, suspended, revoked, risky, pendingSkill, withdrawn];
    const certs = await Promise.all(workers.map(certOf));
    const seen = new Set<string>();
    const start = t.clock.now;
    try {
      // Now; after the 30-day health certificates lapsed; after every certificate expired.
      for (const days of [0, 31, 400]) {
        t.clock.now = new Date(start.getTime() + days * 86_400_000);
        for (const c of certs) {
          const token = tokens.get(c.id)!;
          const want = await ref.verifyToken(token);
          expect(want).not.toBeNull();
          expect(await fast.verifyToken(token)).toEqual(want);
          expect(await fast.verifyNumber(c.number)).toEqual(await ref.verifyNumber(c.number));
          const photo = await fast.photoForToken(token);
          expect(photo?.length).toBeGreaterThan(0);
          expect(photo).toEqual(await ref.photoForToken(token));
          seen.add(`${want!.color}:${want!.reason}`);
        }
      }
      t.clock.now = start;
      const greenView = await fast.verifyToken(tokens.get(certs[0]!.id)!);
      expect(greenView).toMatchObject({
        color: 'green',
        insurance: { status: 'insured' },
        company: { name: '安心测试家政公司' },
      });
      expect(greenView!.creditStars).toEqual(expect.any(Number));
      expect((await fast.verifyToken(tokens.get(certs[5]!.id)!))!.company).toBeNull();
    } finally {
      t.clock.now = start;
    }
    expect([...seen].sort()).toEqual(
      [
        'green:ok',
        'red:background_risk',
        'red:revoked',
        'red:suspended',
        'yellow:certificate_expired',
        'yellow:health_expired',
        'yellow:incomplete',
      ].sort(),
    );

    // The facts themselves, also for a worker without a certificate (not_certified) and an unknown id.
    const today = shanghaiDay(t.clock.now);
    for (const id of [...workers.map((w) => w.w.workerId), uncertified.workerId, 'wk_missing']) {
      const { rows } = (await t.database.db.execute(
        sql`select ${workerTrustFactsJsonSql(sql`${id}`)} as f`,
      )) as unknown as { rows: { f: unknown }[] };
      expect(trustFactsFromJson(rows[0]!.f, today)).toEqual(await t.app.services.workers.trustFacts(id));
    }
  });

  test('a forged, altered or unknown token and an unknown number are refused as before', async () => {
    const w = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
    const c = await certificateOf(w.w.workerId);
    const token = (await tokensById()).get(c.id)!;
    const [kid, payload, sig] = token.split('.') as [string, string, string];
    const fast = node();
    const ref = reference();
    const other = Buffer.from(JSON.stringify({ c: c.id, t: 1 })).toString('base64url');
    for (const bad of [
      `${kid}.${payload}.${sig.slice(0, -2)}AA`,
      `${kid}.${other}.${sig}`,
      `kzz9999.${payload}.${sig}`,
      `${kid}.${payload}`,
      'x'.repeat(500),
    ]) {
      expect(await fast.verifyToken(bad)).toBeNull();
      expect(await ref.verifyToken(bad)).toBeNull();
    }
    await expect(fast.verifyNumber('AX440106-2026-999999-0')).rejects.toMatchObject({
      code: expect.any(String),
    });
  });
});

describe('signing keys cached in memory', () => {
  test('rotation keeps old cards valid; a key retired on another node is refused at once by a node that cached it', async () => {
    const w = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
    const c = await certificateOf(w.w.workerId);
    const token = (await tokensById()).get(c.id)!;
    const a = node();
    const b = node();
    const admin = await account(t, [{ role: 'platform_admin' }]);
    expect(await a.verifyToken(token)).not.toBeNull(); // a now holds the decrypted key
    await ok(post('/api/v1/admin/qr-keys/rotate', {}, admin.cookie));
    expect(await a.verifyToken(token)).not.toBeNull();
    expect(await b.verifyToken(token)).not.toBeNull();
    await ok(post(`/api/v1/admin/qr-keys/${token.split('.')[0]}/retire`, {}, admin.cookie));
    expect(await a.verifyToken(token)).toBeNull();
    expect(await b.verifyToken(token)).toBeNull();
    const page = await t.app.inject({ method: 'GET', url: `/v/${token}` });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('无效的验证码');
    // The wallet re-keys the certificate with the active key; the new token verifies everywhere.
    const wallet = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workers/me/certificate',
      headers: { cookie: w.w.cookie },
    });
    const fresh = (wallet.json().verifyUrl as string).split('/v/')[1]!;
    expect(fresh).not.toBe(token);
    expect(await a.verifyToken(fresh)).not.toBeNull();
  });
});

describe('verification counts', () => {
  const stored = async (certificateId: string) => {
    const { rows } = (await t.database.db.execute(
      sql`select channel, sum(count)::int as n from ${certificateVerificationCount}
          where certificate_id = ${certificateId} group by channel order by channel`,
    )) as unknown as { rows: { channel: string; n: number }[] };
    return Object.fromEntries(rows.map((r) => [r.channel, Number(r.n)]));
  };

  test('two nodes count in memory and add up in the table when they flush', async () => {
    const w = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
    const c = await certificateOf(w.w.workerId);
    const token = (await tokensById()).get(c.id)!;
    const a = node({ verificationFlushMs: 3_600_000 });
    const b = node({ verificationFlushMs: 3_600_000 });
    for (let i = 0; i < 3; i++) await a.verifyToken(token);
    for (let i = 0; i < 2; i++) await b.verifyToken(token);
    await b.verifyNumber(c.number);
    await a.verifyToken(`${token.slice(0, -2)}AA`); // refused: not counted
    expect(await stored(c.id)).toEqual({});
    expect(await a.verificationCount(c.id)).toBe(3); // its own scans, before any flush
    await Promise.all([a.flushVerifications(), b.flushVerifications()]);
    expect(await stored(c.id)).toEqual({ number: 1, qr: 5 });
    await a.verifyToken(token);
    await a.flushVerifications();
    await a.flushVerifications(); // nothing held: adds nothing
    expect(await stored(c.id)).toEqual({ number: 1, qr: 6 });
    expect(await b.verificationCount(c.id)).toBe(7);
  });

  test('counts reach the table by themselves after the flush interval', async () => {
    const w = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
    const c = await certificateOf(w.w.workerId);
    const a = node({ verificationFlushMs: 20 });
    await a.verifyNumber(c.number);
    for (let i = 0; i < 100 && !(await stored(c.id)).number; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await stored(c.id)).toEqual({ number: 1 });
  });

  test('a graceful shutdown loses no scan: the app flushes on close', async () => {
    const t2 = await buildTestApp({ PUBLIC_URL: 'https://anxin.example' });
    try {
      const reg = await account(t2, [{ role: 'regulator' }]);
      const w = await certifiedWorker(t2, { regulatorCookie: reg.cookie });
      const wallet = await t2.app.inject({
        method: 'GET',
        url: '/api/v1/workers/me/certificate',
        headers: { cookie: w.w.cookie },
      });
      const path = new URL(wallet.json().verifyUrl as string).pathname;
      const number = wallet.json().certificate.number as string;
      for (let i = 0; i < 4; i++)
        expect((await t2.app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
      const json = await t2.app.inject({
        method: 'GET',
        url: `/api/v1/public/certificates/verify?number=${number}`,
      });
      expect(json.statusCode).toBe(200);
      await t2.app.close();
      const { rows } = (await t2.database.db.execute(
        sql`select channel, count from ${certificateVerificationCount} order by channel`,
      )) as unknown as { rows: { channel: string; count: number }[] };
      expect(rows.map((r) => [r.channel, Number(r.count)])).toEqual([
        ['number', 1],
        ['qr', 4],
      ]);
    } finally {
      await t2.database.drop();
    }
  });
});

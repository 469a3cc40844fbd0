import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { creditScore, creditScoreHistory, creditScorecard } from '../credit.tables.js';
import { defaultScorecard } from '../scorecard.js';

// Credit through the real app: scores follow outbox events (reviews, complaints, certificates, orders), the full
// set-based recompute agrees with them, explanations add up, appeals and lists move scores, expulsion has effects.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }], '监管员');
});
afterAll(async () => t?.close());

const HOUR = 3600_000;
const inject = (method: 'GET' | 'POST', url: string, cookie?: string, payload?: object, headers = {}) =>
  t.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    ...(payload ? { payload } : {}),
  });

/** Delivers every pending outbox event (the dispatcher is off in tests); a failing handler fails the test. */
async function drain() {
  for (;;) {
    const r = await t.app.platform.outbox.drainOnce();
    expect(r.retried + r.failed).toBe(0);
    if (!r.claimed) return;
  }
}

function slot(hours: number): string {
  const q = 15 * 60_000;
  return new Date(Math.ceil((t.clock.now.getTime() + hours * HOUR) / q) * q).toISOString();
}

type Co = Awaited<ReturnType<typeof company>>;
async function staffed(name: string, workers = 1) {
  const co = await company(t, name);
  const ws = [];
  for (let i = 0; i < workers; i++)
    ws.push((await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co })).w);
  const item = await inject('POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
    category: 'cleaning',
    mode: 'hourly',
    priceFen: 5000,
    title: '日常保洁',
  });
  expect(item.statusCode).toBe(201);
  return { co, ws, itemId: item.json().id as string };
}

async function completedOrder(p: { co: Co; itemId: string }, w: { workerId: string; cookie: string }) {
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  const res = await inject('POST', '/api/v1/orders', resident.cookie, {
    priceItemId: p.itemId,
    workerId: w.workerId,
    schedule: { mode: 'hourly', startAt: slot(1.5), hours: 2 },
    address: '广州市天河区林和西路100号3栋1201',
    district: '440106',
  });
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;
  expect((await inject('POST', `/api/v1/orders/${id}/accept`, p.co.cookie, {})).statusCode).toBe(200);
  expect((await inject('POST', `/api/v1/orders/${id}/start`, w.cookie, {})).statusCode).toBe(200);
  expect((await inject('POST', `/api/v1/orders/${id}/confirm`, resident.cookie, {})).statusCode).toBe(200);
  t.clock.advance(4 * HOUR);
  return { orderId: id, resident };
}

async function upheldComplaint(p: { co: Co }, o: { orderId: string; resident: { cookie: string } }) {
  const filed = await inject(
    'POST',
    '/api/v1/complaints',
    o.resident.cookie,
    { orderId: o.orderId, subject: 'worker', category: 'service_quality', description: '打扫不干净，态度差' },
    { 'idempotency-key': `cmp-${o.orderId}` },
  );
  expect(filed.statusCode).toBe(201);
  const id = filed.json().id as string;
  expect(
    (await inject('POST', `/api/v1/complaints/${id}/respond`, p.co.cookie, { reason: '已核实' })).statusCode,
  ).toBe(200);
  expect(
    (await inject('POST', `/api/v1/complaints/${id}/refuse`, o.resident.cookie, { reason: '不满意' }))
      .statusCode,
  ).toBe(200);
  expect(
    (await inject('POST', `/api/v1/complaints/${id}/investigate`, regulator.cookie, {})).statusCode,
  ).toBe(200);
  const up = await inject('POST', `/api/v1/complaints/${id}/uphold`, regulator.cookie, {
    reason: '经调查属实',
  });
  expect(up.statusCode).toBe(200);
}

async function snapshot() {
  const rows = await t.database.db
    .select()
    .from(creditScore)
    .orderBy(asc(creditScore.subjectType), asc(creditScore.subjectId));
  return rows.map((r) => ({
    type: r.subjectType,
    id: r.subjectId,
    centi: r.scoreCenti,
    level: r.level,
    scorecardId: r.scorecardId,
    facts: r.facts,
  }));
}
const historyCount = async () =>
  (await t.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(creditScoreHistory))[0]!.n;
const scoreOf = async (type: 'worker' | 'company', id: string) =>
  (
    await t.database.db
      .select()
      .from(creditScore)
      .where(and(eq(creditScore.subjectType, type), eq(creditScore.subjectId, id)))
  )[0];

let world: Awaited<ReturnType<typeof buildWorld>>;
async function buildWorld() {
  const a = await staffed('信用甲家政', 2);
  await drain();
  const b = await staffed('信用乙家政', 1);
  await drain();
  const [w1, w2] = a.ws as [(typeof a.ws)[0], (typeof a.ws)[0]];
  const o1 = await completedOrder(a, w1);
  await drain();
  const rev = await inject('POST', '/api/v1/reviews', o1.resident.cookie, {
    orderId: o1.orderId,
    ratings: { quality: 5, punctuality: 5, attitude: 5, skill: 5 },
    text: '阿姨很细心，准时到达',
  });
  expect(rev.statusCode).toBe(201);
  await drain();
  const o2 = await completedOrder(a, w2);
  await drain();
  await upheldComplaint(a, o2);
  await drain();
  const o3 = await completedOrder(b, b.ws[0]!);
  await drain();
  const rev3 = await inject('POST', '/api/v1/reviews', o3.resident.cookie, {
    orderId: o3.orderId,
    ratings: { quality: 3, punctuality: 4, attitude: 3, skill: 4 },
    text: '一般',
  });
  expect(rev3.statusCode).toBe(201);
  await drain();
  return { a, b, w1, w2, w3: b.ws[0]! };
}

describe('scores follow events, and the full recompute agrees', () => {
  test('recompute equals incremental updates (every score, level, contribution and fact; no new history)', async () => {
    world = await buildWorld();
    const incremental = await snapshot();
    const subjects = incremental.map((r) => `${r.type}:${r.id}`);
    for (const w of [world.w1, world.w2, world.w3]) expect(subjects).toContain(`worker:${w.workerId}`);
    for (const c of [world.a.co, world.b.co]) expect(subjects).toContain(`company:${c.orgId}`);
    // The events reached the scores: the upheld complaint and the reviews are in the facts.
    const w2 = incremental.find((r) => r.id === world.w2.workerId)!;
    expect(w2.facts).toMatchObject({ upheldCount: 1, completedOrders: 1 });
    const w1 = incremental.find((r) => r.id === world.w1.workerId)!;
    expect(w1.facts).toMatchObject({ reviewCount: 1, ratingSum: 5, upheldCount: 0 });
    expect(w1.centi).toBeGreaterThan(w2.centi);
    const coA = incremental.find((r) => r.id === world.a.co.orgId)!;
    expect(coA.facts).toMatchObject({ staffCount: 2, certifiedStaff: 2, completedOrders: 2, upheldCount: 1 });
    // The company's grade is on its organization row (what search and company pages show).
    const org = await t.app.services.orgs.getOrganization(world.a.co.orgId);
    expect(org?.creditGrade).toBe(coA.level);

    const before = await historyCount();
    const res = await inject('POST', '/api/v1/regulator/credit/recompute', regulator.cookie, {});
    expect(res.statusCode).toBe(200);
    expect(res.json().workers).toBeGreaterThanOrEqual(3);
    expect(await snapshot()).toEqual(incremental);
    expect(await historyCount()).toBe(before);
  });

  test('the search projection carries the worker’s score and rating', async () => {
    const res = await inject('GET', `/api/v1/workers/${world.w1.workerId}/public`);
    expect(res.statusCode).toBe(200);
    const s = await scoreOf('worker', world.w1.workerId);
    expect(res.json()).toMatchObject({
      workerCreditScore: Math.round(s!.scoreCenti / 100),
      ratingAvg: 5,
      ratingCount: 1,
    });
  });
});

describe('the regulator’s recompute', () => {
  test('is audited in the request: who ran it, the scorecard, and what it rated and changed', async () => {
    const audited = () =>
      t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'credit.recomputed'), eq(auditLog.actorId, regulator.userId)))
        .orderBy(asc(auditLog.seq));
    const before = (await audited()).length;
    const res = await inject('POST', '/api/v1/regulator/credit/recompute', regulator.cookie, {});
    expect(res.statusCode).toBe(200);
    const rows = await audited();
    expect(rows).toHaveLength(before + 1);
    const body = res.json();
    expect(rows.at(-1)).toMatchObject({
      outcome: 'ok',
      objectType: 'credit_scorecard',
      detail: { companies: body.companies, workers: body.workers, changed: body.changed },
    });
    expect(rows.at(-1)!.requestId).toMatch(/^req-/);
  });
});

describe('explanations', () => {
  test('the worker sees every indicator; the points add up to the score; history and improvements', async () => {
    const res = await inject('GET', '/api/v1/credit/me', world.w2.cookie);
    expect(res.statusCode).toBe(200);
    const e = res.json();
    expect(e.indicators).toHaveLength(10);
    const sum = e.indicators.reduce((a: number, i: { points: number }) => a + Math.round(i.points * 100), 0);
    expect(sum).toBe(Math.round(e.score * 100));
    expect(e.scorecardVersion).toBe(1);
    expect(e.history.length).toBeGreaterThanOrEqual(1);
    expect(e.history.at(-1).score).toBe(e.score);
    const complaints = e.indicators.find((i: { key: string }) => i.key === 'complaints');
    expect(complaints).toMatchObject({ weight: 10, value: 0.75, points: 7.5 });
    expect(e.improvements.map((i: { key: string }) => i.key)).toContain('complaints');
  });

  test('a company sees its own explanation; another company’s member and a resident do not', async () => {
    const own = await inject('GET', `/api/v1/companies/${world.a.co.orgId}/credit`, world.a.co.cookie);
    expect(own.statusCode).toBe(200);
    const e = own.json();
    expect(e.indicators.map((i: { dimension: string }) => i.dimension)).toEqual(
      expect.arrayContaining(['strength', 'service', 'management', 'public_credit', 'comprehensive']),
    );
    const sum = e.indicators.reduce((a: number, i: { points: number }) => a + Math.round(i.points * 100), 0);
    expect(sum).toBe(Math.round(e.score * 100));
    const other = await inject('GET', `/api/v1/companies/${world.a.co.orgId}/credit`, world.b.co.cookie);
    expect(other.statusCode).toBe(404);
    const anon = await inject('GET', `/api/v1/companies/${world.a.co.orgId}/credit`);
    expect(anon.statusCode).toBe(401);
    const reg = await inject(
      'GET',
      `/api/v1/regulator/credit/subjects/company/${world.a.co.orgId}`,
      regulator.cookie,
    );
    expect(reg.json().score).toBe(e.score);
  });
});

describe('appeals', () => {
  test('one open appeal per indicator; an upheld appeal counts the indicator in full; decided twice is refused', async () => {
    const before = (await scoreOf('worker', world.w2.workerId))!;
    const bad = await inject('POST', '/api/v1/credit/me/appeals', world.w2.cookie, {
      indicator: 'nonsense',
      reason: 'x',
    });
    expect(bad.statusCode).toBe(422);
    const filed = await inject('POST', '/api/v1/credit/me/appeals', world.w2.cookie, {
      indicator: 'complaints',
      reason: '投诉所述情况与事实不符',
      evidence: '订单现场照片与业主聊天记录',
    });
    expect(filed.statusCode).toBe(201);
    expect(filed.json()).toMatchObject({
      state: 'submitted',
      indicator: 'complaints',
      subjectId: world.w2.workerId,
    });
    const again = await inject('POST', '/api/v1/credit/me/appeals', world.w2.cookie, {
      indicator: 'complaints',
      reason: '再次',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CREDIT_APPEAL_OPEN');

    const queue = await inject('GET', '/api/v1/regulator/credit/appeals?state=submitted', regulator.cookie);
    expect(queue.json().items.map((a: { id: string }) => a.id)).toContain(filed.json().id);
    const byWorker = await inject(
      'POST',
      `/api/v1/regulator/credit/appeals/${filed.json().id}/decision`,
      world.w2.cookie,
      {
        decision: 'uphold',
        note: 'x',
      },
    );
    expect(byWorker.statusCode).toBe(403);
    const decided = await inject(
      'POST',
      `/api/v1/regulator/credit/appeals/${filed.json().id}/decision`,
      regulator.cookie,
      {
        decision: 'uphold',
        note: '证据充分',
      },
    );
    expect(decided.statusCode).toBe(200);
    expect(decided.json().state).toBe('upheld');
    const after = (await scoreOf('worker', world.w2.workerId))!;
    expect(after.scoreCenti - before.scoreCenti).toBe(250); // complaints 7.5 → 10 of 10
    const twice = await inject(
      'POST',
      `/api/v1/regulator/credit/appeals/${filed.json().id}/decision`,
      regulator.cookie,
      {
        decision: 'reject',
        note: 'x',
      },
    );
    expect(twice.json().code).toBe('CREDIT_APPEAL_DECIDED');
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, filed.json().id));
    expect(audits.map((a) => a.action).sort()).toEqual(['credit.appeal_decided', 'credit.appeal_filed']);
  });
});

describe('scorecard versions', () => {
  const versions = async () =>
    (await t.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(creditScorecard))[0]!.n;

  test('weights that do not sum to 100 or thresholds out of order are refused clearly; nothing stored', async () => {
    const n = await versions();
    const heavy = structuredClone(defaultScorecard);
    heavy.worker.weights.rating = 40;
    const r1 = await inject('POST', '/api/v1/regulator/credit/scorecards', regulator.cookie, {
      config: heavy,
    });
    expect(r1.statusCode).toBe(422);
    expect(r1.json().code).toBe('CREDIT_SCORECARD_INVALID');
    expect(r1.json().errors ?? r1.json().issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'config.worker.weights' })]),
    );
    const unordered = structuredClone(defaultScorecard);
    unordered.company.thresholds = [45, 80, 75, 88];
    const r2 = await inject('POST', '/api/v1/regulator/credit/scorecards', regulator.cookie, {
      config: unordered,
    });
    expect(r2.statusCode).toBe(422);
    expect(JSON.stringify(r2.json())).toContain('config.company.thresholds.2');
    const missing = await inject('POST', '/api/v1/regulator/credit/scorecards', regulator.cookie, {
      config: { worker: {} },
    });
    expect(missing.statusCode).toBe(422);
    const notRegulator = await inject('POST', '/api/v1/regulator/credit/scorecards', world.a.co.cookie, {
      config: defaultScorecard,
    });
    expect(notRegulator.statusCode).toBe(403);
    expect(await versions()).toBe(n);
  });

  test('a new version rescored everyone, and each score records the version it used', async () => {
    const next = structuredClone(defaultScorecard);
    next.worker.weights.rating = 20;
    next.worker.weights.complaints = 15;
    const res = await inject('POST', '/api/v1/regulator/credit/scorecards', regulator.cookie, {
      config: next,
      note: '加重投诉权重',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().version).toBe(2);
    await drain();
    const all = await snapshot();
    expect(new Set(all.map((r) => r.scorecardId))).toEqual(new Set([res.json().id]));
    const pub = await inject('GET', '/api/v1/credit/scorecard');
    expect(pub.json()).toMatchObject({ version: 2 });
  });
});

describe('red and black lists', () => {
  test('a black-listed worker is held at one star and shows on the public list, masked; removal restores', async () => {
    const res = await inject('POST', '/api/v1/regulator/credit/lists', regulator.cookie, {
      subjectType: 'worker',
      subjectId: world.w3.workerId,
      list: 'black',
      reason: '伪造健康证明',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toMatch(/^.\*\*$/u);
    expect((await scoreOf('worker', world.w3.workerId))!.level).toBe('1');
    const dup = await inject('POST', '/api/v1/regulator/credit/lists', regulator.cookie, {
      subjectType: 'worker',
      subjectId: world.w3.workerId,
      list: 'red',
      reason: 'x',
    });
    expect(dup.json().code).toBe('CREDIT_ALREADY_LISTED');
    const pub = await inject('GET', '/api/v1/credit/lists/black');
    expect(pub.statusCode).toBe(200);
    expect(pub.json().items[0]).toMatchObject({ id: res.json().id, reason: '伪造健康证明' });
    expect(JSON.stringify(pub.json())).not.toContain('张秀芳');
    const removed = await inject(
      'POST',
      `/api/v1/regulator/credit/lists/${res.json().id}/remove`,
      regulator.cookie,
      {},
    );
    expect(removed.json().removedAt).not.toBeNull();
    expect((await scoreOf('worker', world.w3.workerId))!.level).not.toBe('1');
    const gone = await inject('GET', '/api/v1/credit/lists/black');
    expect(gone.json().items.map((i: { id: string }) => i.id)).not.toContain(res.json().id);
  });
});

describe('evaluation and expulsion (清退)', () => {
  test('serious violation: the company leaves search, takes no orders, its open orders are listed, workers are freed and told', async () => {
    const c = await staffed('将被清退家政', 1);
    await drain();
    const w = c.ws[0]!;
    const resident = await account(t, [{ role: 'resident' }], '林先生');
    const open = await inject('POST', '/api/v1/orders', resident.cookie, {
      priceItemId: c.itemId,
      workerId: w.workerId,
      schedule: { mode: 'hourly', startAt: slot(30), hours: 2 },
      address: '广州市天河区体育西路1号',
      district: '440106',
    });
    expect(open.statusCode).toBe(201);
    expect((await inject('GET', `/api/v1/companies/${c.co.orgId}/public`)).statusCode).toBe(200);

    const notDue = await inject(
      'POST',
      '/api/v1/regulator/credit/expulsions',
      regulator.cookie,
      { companyId: c.co.orgId, ground: 'persistent_failure', reason: '持续不达标' },
      { 'idempotency-key': `exp-nd-${c.co.orgId}` },
    );
    expect(notDue.statusCode).toBe(409);
    expect(notDue.json().code).toBe('CREDIT_EXPULSION_NOT_DUE');
    const noReason = await inject('POST', '/api/v1/regulator/credit/expulsions', regulator.cookie, {
      companyId: c.co.orgId,
      ground: 'serious_violation',
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(422);

    const res = await inject(
      'POST',
      '/api/v1/regulator/credit/expulsions',
      regulator.cookie,
      { companyId: c.co.orgId, ground: 'serious_violation', reason: '雇佣无证人员上门服务' },
      { 'idempotency-key': `exp-${c.co.orgId}` },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ companyName: '将被清退家政', ground: 'serious_violation' });
    expect(res.json().openOrders.map((o: { id: string }) => o.id)).toEqual([open.json().id]);
    const again = await inject(
      'POST',
      '/api/v1/regulator/credit/expulsions',
      regulator.cookie,
      { companyId: c.co.orgId, ground: 'serious_violation', reason: '再次' },
      { 'idempotency-key': `exp2-${c.co.orgId}` },
    );
    expect(again.json().code).toBe('CREDIT_ALREADY_EXPELLED');
    await drain();

    // Gone from public pages and search; no new orders.
    expect((await inject('GET', `/api/v1/companies/${c.co.orgId}/public`)).statusCode).toBe(404);
    const search = await inject('GET', '/api/v1/search/companies?district=440106&limit=100');
    expect(JSON.stringify(search.json())).not.toContain(c.co.orgId);
    const refused = await inject('POST', '/api/v1/orders', resident.cookie, {
      priceItemId: c.itemId,
      schedule: { mode: 'hourly', startAt: slot(60), hours: 2 },
      address: '广州市天河区体育西路1号',
      district: '440106',
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    // On the public black list with its reason; the record lists what the regulator must handle.
    const black = await inject('GET', '/api/v1/credit/lists/black');
    expect(black.json().items).toContainEqual(
      expect.objectContaining({
        subjectId: c.co.orgId,
        name: '将被清退家政',
        reason: '雇佣无证人员上门服务',
      }),
    );
    const record = await inject('GET', `/api/v1/regulator/credit/expulsions/${c.co.orgId}`, regulator.cookie);
    expect(record.json()).toMatchObject({ workersReleased: 1 });
    // The worker was told and is free to join another company.
    const notes = await inject('GET', '/api/v1/me/notifications', w.cookie);
    expect(JSON.stringify(notes.json())).toContain('credit.company_expelled');
    const other = await company(t, '接收家政');
    const hire = await t.app.inject({
      method: 'POST',
      url: `/api/v1/companies/${other.orgId}/workers/${w.workerId}/employment`,
      headers: { cookie: other.cookie },
      payload: { idNumber: w.idNumber },
    });
    expect(hire.statusCode).toBeLessThan(300);
  });

  test('a cycle warns companies below the line; an overdue warning allows expulsion for persistent failure', async () => {
    const strict = structuredClone(defaultScorecard);
    strict.evaluation = { warnBelow: 99, deadlineDays: 10 };
    expect(
      (await inject('POST', '/api/v1/regulator/credit/scorecards', regulator.cookie, { config: strict }))
        .statusCode,
    ).toBe(201);
    await drain();
    const run = await inject('POST', '/api/v1/regulator/credit/evaluations', regulator.cookie, {});
    expect(run.statusCode).toBe(201);
    expect(run.json().warned).toBeGreaterThanOrEqual(2);
    const warnings = await inject(
      'GET',
      '/api/v1/regulator/credit/warnings?state=open&limit=100',
      regulator.cookie,
    );
    const mine = warnings.json().items.find((w: { companyId: string }) => w.companyId === world.b.co.orgId);
    expect(mine).toMatchObject({ overdue: false, state: 'open' });
    // A second cycle does not warn twice.
    const rerun = await inject('POST', '/api/v1/regulator/credit/evaluations', regulator.cookie, {});
    expect(rerun.json().warned).toBe(0);
    const early = await inject('POST', '/api/v1/regulator/credit/expulsions', regulator.cookie, {
      companyId: world.b.co.orgId,
      ground: 'persistent_failure',
      reason: '整改期满仍不达标',
    });
    expect(early.json().code).toBe('CREDIT_EXPULSION_NOT_DUE');
    t.clock.advance(11 * 24 * HOUR);
    const overdue = await inject(
      'GET',
      '/api/v1/regulator/credit/warnings?state=open&limit=100',
      regulator.cookie,
    );
    expect(
      overdue.json().items.find((w: { companyId: string }) => w.companyId === world.b.co.orgId).overdue,
    ).toBe(true);
    const expelled = await inject('POST', '/api/v1/regulator/credit/expulsions', regulator.cookie, {
      companyId: world.b.co.orgId,
      ground: 'persistent_failure',
      reason: '整改期满仍不达标',
    });
    expect(expelled.statusCode).toBe(201);
    const closed = await inject('GET', '/api/v1/regulator/credit/warnings?state=expelled', regulator.cookie);
    expect(closed.json().items.map((w: { companyId: string }) => w.companyId)).toContain(world.b.co.orgId);
    await drain();
  });

  test('the 5A list shows active 5A companies only', async () => {
    const lenient = structuredClone(defaultScorecard);
    lenient.company.thresholds = [10, 20, 30, 40];
    expect(
      (await inject('POST', '/api/v1/regulator/credit/scorecards', regulator.cookie, { config: lenient }))
        .statusCode,
    ).toBe(201);
    await drain();
    const res = await inject('GET', '/api/v1/credit/5a?limit=100');
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((i: { companyId: string }) => i.companyId);
    expect(ids).toContain(world.a.co.orgId);
    expect(ids).not.toContain(world.b.co.orgId); // expelled above
    expect((await t.app.services.orgs.getOrganization(world.a.co.orgId))?.creditGrade).toBe('5A');
  });
});

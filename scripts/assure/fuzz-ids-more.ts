// More of the fuzz suite's fixture world (fuzz-ids.ts): objects for routes whose lookups the pool cannot learn from
// answers alone, staged through the real routes as the principals the fuzz uses: training (exams, attempts, a class
// to check in at), organization people (members, invitations), inactive QR keys, workers to hire, the regulator's
// guide prices, news, credit lists, expulsions and likely workers, the insurer's batch confirmation and a spare
// partner client. Where the lookup key is not a prefixed id (`:kid`), is a secret sent in the body (a check-in token,
// an ID number), is not an `…Id` field (`ids`), names a kind only another field tells (`subjectId` and `subjectType`)
// or must pair with another (an item and its attachment), the values are pinned to the route (IdPool.pin). Spare
// accounts are protected from the security admin's routes.
import type { RouteEntry } from '../../src/server/platform/http/authz.js';
import type { Principal } from '../../test/authz-matrix.js';
import { account, company, day, selfWorker, upload } from '../../test/factories/workers.js';
import { routeKey } from '../../test/support/authz-walk.js';
import type { IdPool } from './fuzz-ids.js';
import type { Ctx } from './support.js';
import { inject, must } from './support.js';

/** The registered route with this key (`POST /api/v1/…`); staging fails loudly when it is gone. */
function routeOf(ctx: Ctx, key: string): RouteEntry {
  const r = ctx.t.app.routeRegistry.find((x) => routeKey(x) === key);
  if (!r) throw new Error(`fuzz fixture: no route ${key}`);
  return r;
}

/**
 * A spare company (its admin signed in) or self-registered worker. Their accounts are protected: the security admin's
 * `:id` takes the newest accounts it was shown, which must stay the spare staff accounts stageIdentity gives keys to.
 */
async function spareCompany(ctx: Ctx, pool: IdPool, name: string) {
  const c = await company(ctx.t, name);
  pool.protectedIds.add(c.userId);
  return c;
}
async function spareWorker(ctx: Ctx, pool: IdPool) {
  const w = await selfWorker(ctx.t);
  pool.protectedIds.add(w.userId);
  return w;
}

/** The checkin token a class's check-in URL (`…/worker/training/checkin/<token>`) carries. */
export const checkinTokenOf = (url: string): string => {
  const token = new URL(url, 'http://x').pathname.split('/').filter(Boolean).pop() ?? '';
  if (!/^[A-Za-z0-9_-]{8,100}$/.test(token)) throw new Error(`fuzz fixture: no check-in token in ${url}`);
  return token;
};

/**
 * The training principal's question bank and exams, and the staged worker's learning: eight published exams (the
 * worker's attempts are open on the first four; the route starting attempts is pinned to the other four), four drafts
 * the exam action route is pinned to, a class running today that the worker is enrolled in, whose check-in token
 * the check-in route is pinned to, and three online lessons of the published course, which the route marking a lesson
 * finished is pinned to.
 */
export async function stageTraining(ctx: Ctx, pool: IdPool, workerCookie: string): Promise<void> {
  const { t, world } = ctx;
  const staff = world.cookies.get('training_staff');
  if (!staff) return;
  const post = (url: string, cookie: string, body: object = {}) => inject(t, 'POST', url, cookie, body);
  const bank = must(
    await post('/api/v1/training/banks', staff, { name: '家政服务员安全知识题库' }),
    201,
    'question bank',
  ).json().id;
  for (let i = 0; i < 6; i++)
    must(
      await post(`/api/v1/training/banks/${bank}/questions`, staff, {
        type: 'single',
        stem: `使用燃气热水器时，下列做法正确的是（第${i + 1}题）`,
        options: ['保持通风', '关闭门窗', '无人看管'],
        answer: [0],
        category: 'housework',
        topic: 'safety',
        difficulty: 'easy',
      }),
      201,
      'question',
    );
  const exam = async (title: string) =>
    must(
      await post('/api/v1/training/exams', staff, {
        title,
        bankId: bank,
        kind: 'course',
        rules: [{ topic: 'safety', difficulty: 'easy', count: 3 }],
        timeLimitMinutes: 600,
        passScore: 60,
        maxAttempts: 20,
        cooldownMinutes: 0,
      }),
      201,
      'exam',
    ).json().id;
  const published: string[] = [];
  for (let i = 0; i < 8; i++) {
    const id = await exam(`居家安全知识测验${i + 1}`);
    must(await post(`/api/v1/training/exams/${id}/publish`, staff), 200, 'exam publish');
    published.push(id);
  }
  for (const id of published.slice(0, 4)) {
    const attempt = must(
      await post(`/api/v1/workers/me/training/exams/${id}/attempts`, workerCookie),
      201,
      'exam attempt',
    );
    pool.harvest(attempt.body, '/api/v1/workers/me/training/attempts/:id', 'worker');
  }
  const drafts: string[] = [];
  for (let i = 0; i < 4; i++) drafts.push(await exam(`家务服务技能测验草稿${i + 1}`));
  pool.pin(routeOf(ctx, 'POST /api/v1/workers/me/training/exams/:id/attempts'), {
    params: { id: published.slice(4) },
  });
  pool.pin(routeOf(ctx, 'POST /api/v1/training/exams/:id/:action'), { params: { id: drafts } });

  const course = must(
    await post('/api/v1/training/courses', staff, {
      title: '家务服务技能提升班',
      category: 'housework',
      kind: 'skill',
      requiredMinutes: 120,
    }),
    201,
    'course',
  ).json().id;
  const cls = must(
    await post('/api/v1/training/classes', staff, {
      courseId: course,
      title: '家务服务技能提升班（天河）',
      startsOn: day(t),
      endsOn: day(t, 7),
      minutesPerDay: 120,
      venue: '广州市天河区体育西路 1 号培训中心 3 楼',
      capacity: 30,
    }),
    201,
    'training class',
  ).json().id;
  const detail = must(await inject(t, 'GET', `/api/v1/training/classes/${cls}`, staff), 200, 'class detail');
  const token = checkinTokenOf((detail.json() as unknown as { checkinUrl: string }).checkinUrl);
  must(await post(`/api/v1/workers/me/training/classes/${cls}/enrol`, workerCookie), 200, 'class enrolment');
  pool.pin(routeOf(ctx, 'POST /api/v1/workers/me/training/checkin'), { body: { token: [token] } });
  // Online lessons of the course, published, for the route that marks a lesson finished (without them every valid
  // request named a lesson no course has: 404 on all of them with some seeds).
  const lessons: string[] = [];
  for (let i = 0; i < 3; i++)
    lessons.push(
      must(
        await post(`/api/v1/training/courses/${course}/lessons`, staff, {
          kind: 'text',
          title: `第${i + 1}课 家居清洁安全`,
          bodyHtml: `<p>第${i + 1}课：清洁剂不混用，高处作业有人扶梯。</p>`,
          minutes: 20,
        }),
        201,
        'lesson',
      ).json().id,
    );
  must(await post(`/api/v1/training/courses/${course}/publish`, staff), 200, 'course publish');
  pool.pin(routeOf(ctx, 'POST /api/v1/workers/me/training/lessons/:id/complete'), {
    params: { id: lessons },
  });
}

/**
 * People of the company principal's organization: four spare accounts invited and accepted as staff (the route ending
 * a membership is pinned to their memberships, never the principal's own), and a spare invitee with pending
 * invitations from the company and three more companies, two for the accept route and two for the decline route, which
 * run with the invitee's cookie (the matrix's first principal, a resident, would otherwise join organizations).
 * Returns those route cookies.
 */
export async function stageOrgPeople(ctx: Ctx, pool: IdPool): Promise<Map<string, string>> {
  const { t, world } = ctx;
  const out = new Map<string, string>();
  const admin = world.cookies.get('company_admin');
  const orgId = [...(pool.ownOrgs.get('company_admin') ?? [])][0];
  if (!admin || !orgId) return out;
  const invite = async (org: string, cookie: string, phone: string) =>
    must(
      await inject(t, 'POST', `/api/v1/orgs/${org}/invitations`, cookie, { phone, role: 'staff' }),
      201,
      'invitation',
    ).json().id;

  const spares: string[] = [];
  for (let i = 0; i < 4; i++) {
    const a = await account(t, [{ role: 'resident' }], `备用员工${i + 1}`);
    pool.protectedIds.add(a.userId);
    const inv = await invite(orgId, admin, a.phone);
    must(await inject(t, 'POST', `/api/v1/me/invitations/${inv}/accept`, a.cookie), 200, 'invitation accept');
    spares.push(a.userId);
  }
  const members = must(
    await inject(t, 'GET', `/api/v1/orgs/${orgId}/members`, admin),
    200,
    'member list',
  ).json() as unknown as { items: { id: string; userId: string }[] };
  const memberships = members.items.filter((m) => spares.includes(m.userId)).map((m) => m.id);
  if (memberships.length !== spares.length) throw new Error('fuzz fixture: spare memberships not listed');
  pool.pin(routeOf(ctx, 'POST /api/v1/orgs/:orgId/members/:membershipId/end'), {
    params: { orgId: [orgId], membershipId: memberships },
  });

  const invitee = await account(t, [{ role: 'resident' }], '受邀人');
  pool.protectedIds.add(invitee.userId);
  const invitations = [await invite(orgId, admin, invitee.phone)];
  for (let i = 0; i < 3; i++) {
    const other = await spareCompany(ctx, pool, `安心备用家政公司${i + 1}`);
    invitations.push(await invite(other.orgId, other.cookie, invitee.phone));
  }
  for (const [verb, ids] of [
    ['accept', invitations.slice(0, 2)],
    ['decline', invitations.slice(2)],
  ] as const) {
    const key = `POST /api/v1/me/invitations/:id/${verb}`;
    pool.pin(routeOf(ctx, key), { params: { id: [...ids] } });
    out.set(key, invitee.cookie);
  }
  return out;
}

/**
 * Four QR signing keys that never signed anything, inactive: five rotations, keeping each new key but the last (the
 * active one) and not the key active before (it signed the staged certificates). The retire route is pinned to them.
 */
export async function stageQrKeys(ctx: Ctx, pool: IdPool): Promise<void> {
  const admin = ctx.world.cookies.get('platform_admin');
  if (!admin) return;
  const kids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = must(
      await inject(ctx.t, 'POST', '/api/v1/admin/qr-keys/rotate', admin, {}),
      201,
      'QR key rotation',
    ).json() as unknown as { kid: string };
    kids.push(res.kid);
  }
  pool.pin(routeOf(ctx, 'POST /api/v1/admin/qr-keys/:kid/retire'), { params: { kid: kids.slice(0, 4) } });
}

/**
 * Four self-registered workers no company employs, for the hire route: its lookup is the worker's id together with
 * their ID number (a bare id reveals nothing), so both are pinned, pairwise. Staged before the certified worker, so
 * that worker stays the newest the pool offers to other routes.
 */
export async function stageHires(ctx: Ctx, pool: IdPool, by: Principal = 'company_admin'): Promise<void> {
  const orgId = [...(pool.ownOrgs.get(by) ?? [])][0];
  if (!orgId) return;
  const spares = [];
  for (let i = 0; i < 4; i++) spares.push(await spareWorker(ctx, pool));
  pool.pin(routeOf(ctx, 'POST /api/v1/companies/:companyId/workers/:workerId/employment'), {
    params: { companyId: [orgId], workerId: spares.map((s) => s.workerId) },
    body: { idNumber: spares.map((s) => s.idNumber) },
  });
}

/**
 * The regulator principal's objects: four guide prices (districts other than the staged company's, so its prices and
 * bookings stay inside any guide), four draft news items with an attachment each (the edit route takes item and
 * attachment as a pair), red-list entries on two spare workers and two spare companies (the list route is pinned to
 * the same subjects, the removal route to the entries), two spare companies for the expulsion route, and four spare
 * workers who saved a job search and agreed to be contacted (当家政), for the likely-worker invitation.
 */
export async function stageRegulatorWork(ctx: Ctx, pool: IdPool): Promise<void> {
  const { t, world } = ctx;
  const reg = world.cookies.get('regulator');
  if (!reg) return;
  const post = (url: string, cookie: string, body: object = {}) => inject(t, 'POST', url, cookie, body);

  const guides: string[] = [];
  for (const district of ['440103', '440104', '440105', '440111'])
    guides.push(
      must(
        await post('/api/v1/regulator/guide-prices', reg, {
          category: 'cleaning',
          district,
          unit: 'hour',
          minFen: 3000,
          maxFen: 8000,
          note: '日常保洁指导价',
        }),
        201,
        'guide price',
      ).json().id,
    );
  pool.pin(routeOf(ctx, 'POST /api/v1/regulator/guide-prices/:id/end'), { params: { id: guides } });

  const items: string[] = [];
  const covers: string[] = [];
  for (let i = 0; i < 4; i++) {
    const item = must(
      await post('/api/v1/content/items', reg, {
        category: 'news',
        title: `家政服务质量提升行动第${i + 1}期`,
        bodyHtml: '<p>市商务局联合各区开展家政服务质量提升行动。</p>',
        authorOrg: '广州市商务局',
      }),
      201,
      'content item',
    ).json().id;
    const withFile = must(
      await upload(t, reg, {}, `/api/v1/content/items/${item}/attachments`),
      201,
      'content attachment',
    ).json() as unknown as { attachments: { id: string }[] };
    items.push(item);
    covers.push(withFile.attachments[0]!.id);
  }
  pool.pin(routeOf(ctx, 'PATCH /api/v1/content/items/:id'), {
    params: { id: items },
    body: { coverAttachmentId: covers },
  });
  pool.pin(routeOf(ctx, 'POST /api/v1/content/items/:id/attachments'), { params: { id: items } });

  const subjects: { type: 'worker' | 'company'; id: string }[] = [];
  for (let i = 0; i < 2; i++) subjects.push({ type: 'worker', id: (await spareWorker(ctx, pool)).workerId });
  for (let i = 0; i < 2; i++)
    subjects.push({
      type: 'company',
      id: (await spareCompany(ctx, pool, `安心备用家政公司（信用）${i + 1}`)).orgId,
    });
  const entries: string[] = [];
  for (const s of subjects)
    entries.push(
      must(
        await post('/api/v1/regulator/credit/lists', reg, {
          subjectType: s.type,
          subjectId: s.id,
          list: 'red',
          reason: '连续三年服务零投诉',
        }),
        201,
        'credit list entry',
      ).json().id,
    );
  pool.pin(routeOf(ctx, 'POST /api/v1/regulator/credit/lists'), {
    body: { subjectType: subjects.map((s) => s.type), subjectId: subjects.map((s) => s.id) },
  });
  pool.pin(routeOf(ctx, 'POST /api/v1/regulator/credit/lists/:id/remove'), { params: { id: entries } });

  const expelled: string[] = [];
  for (let i = 0; i < 2; i++)
    expelled.push((await spareCompany(ctx, pool, `安心备用家政公司（清退）${i + 1}`)).orgId);
  pool.pin(routeOf(ctx, 'POST /api/v1/regulator/credit/expulsions'), { body: { companyId: expelled } });

  const likely: string[] = [];
  for (let i = 0; i < 4; i++) {
    const w = await spareWorker(ctx, pool);
    must(
      await t.app.inject({
        method: 'PUT',
        url: '/api/v1/workers/me/recruitment/contact-consent',
        headers: { cookie: w.cookie },
        payload: { optedIn: true },
      }),
      200,
      'contact consent',
    );
    must(
      await post('/api/v1/workers/me/recruitment/saved-searches', w.cookie, { name: '天河保洁岗位' }),
      201,
      'saved search',
    );
    likely.push(w.workerId);
  }
  pool.pin(routeOf(ctx, 'POST /api/v1/recruitment/likely-workers/:id/invite'), { params: { id: likely } });
}

/**
 * The insurer principal's batch confirmation, pinned to its own policies one at a time (pending ones first, then the
 * rest): the route's lookup is the `ids` array, which the pool does not fill.
 */
export async function stageInsurerBatch(ctx: Ctx, pool: IdPool): Promise<void> {
  const insurer = ctx.world.cookies.get('insurer_staff');
  const orgId = [...(pool.ownOrgs.get('insurer_staff') ?? [])][0];
  if (!insurer || !orgId) return;
  const list = must(
    await inject(ctx.t, 'GET', `/api/v1/insurers/${orgId}/policies?limit=100`, insurer),
    200,
    'insurer policies',
  ).json() as unknown as { items: { id: string; state: string }[] };
  const ids = [
    ...list.items.filter((p) => p.state === 'pending'),
    ...list.items.filter((p) => p.state !== 'pending'),
  ].map((p) => p.id);
  if (!ids.length) return;
  pool.pin(routeOf(ctx, 'POST /api/v1/insurers/:orgId/policies/confirm'), {
    params: { orgId: [orgId] },
    body: { ids: ids.slice(0, 4).map((id) => [id]) },
  });
}

/**
 * A spare partner client (the principals' clients are protected) with four keys and four webhooks that never fire, for
 * the key route (every other probe rotates the client's first key), the key revocation route (the other three keys)
 * and the webhook deactivation route; and three deliveries for the replay route, made by the outbox reaction the
 * delivery job would run (the assure app runs no jobs), for an event only a fifth webhook subscribes to.
 */
export async function stagePartners(ctx: Ctx, pool: IdPool): Promise<void> {
  const { t, world } = ctx;
  const admin = world.cookies.get('platform_admin');
  if (!admin) return;
  const created = must(
    await inject(t, 'POST', '/api/v1/admin/partners', admin, {
      name: '备用接入方',
      organization: '广州市家政服务协会',
      contactName: '周明',
      contactPhone: '13800138000',
      scopes: ['statistics:read'],
      ipAllowlist: [],
      rateLimitPerMinute: 60,
    }),
    201,
    'partner client',
  ).json() as unknown as { client: { id: string }; key: { id: string } };
  const client = created.client.id;
  const hooks: string[] = [];
  for (let i = 0; i < 4; i++)
    hooks.push(
      must(
        await inject(t, 'POST', `/api/v1/admin/partners/${client}/webhooks`, admin, {
          url: `http://127.0.0.1:9/anxin-hook-${i + 1}`,
          // Only the partner that created an order hears about it: this client creates none, so nothing is sent.
          events: ['order.status_changed'],
        }),
        201,
        'partner webhook',
      ).json().id,
    );
  // Three more keys for the revoke route: the keys the key route issues would otherwise be the newest `:keyId`s,
  // paired with another client's `:id`.
  const keys = [created.key.id];
  for (let i = 0; i < 3; i++)
    keys.push(
      must(
        await inject(t, 'POST', `/api/v1/admin/partners/${client}/keys`, admin, {
          label: `备用密钥${i + 1}`,
        }),
        201,
        'partner key',
      ).json().id,
    );
  pool.pin(routeOf(ctx, 'POST /api/v1/admin/partners/:id/keys/:keyId/revoke'), {
    params: { id: [client], keyId: keys.slice(1) },
  });
  pool.pin(routeOf(ctx, 'POST /api/v1/admin/partners/:id/keys'), {
    params: { id: [client] },
    body: { rotateKeyId: [undefined, created.key.id] },
  });
  pool.pin(routeOf(ctx, 'POST /api/v1/admin/partners/:id/webhooks/:webhookId/deactivate'), {
    params: { id: [client], webhookId: hooks },
  });
  must(
    await inject(t, 'POST', `/api/v1/admin/partners/${client}/webhooks`, admin, {
      url: 'http://127.0.0.1:9/anxin-hook-expelled',
      events: ['company.expelled'],
    }),
    201,
    'partner webhook for deliveries',
  );
  for (let i = 0; i < 3; i++)
    await t.app.services.partners.onEvent(
      'credit.company_expelled',
      { companyId: `org_fuzz_expelled_${i + 1}` },
      { id: `obx_fuzz_expelled_${i + 1}` },
    );
  const deliveries = (
    must(
      await inject(t, 'GET', `/api/v1/admin/partners/${client}/deliveries`, admin),
      200,
      'partner deliveries',
    ).json() as unknown as { items: { id: string }[] }
  ).items.map((d) => d.id);
  if (deliveries.length !== 3)
    throw new Error(`fixture: expected 3 partner deliveries, got ${deliveries.length}`);
  pool.pin(routeOf(ctx, 'POST /api/v1/admin/partners/:id/deliveries/:deliveryId/replay'), {
    params: { id: [client], deliveryId: deliveries },
  });
}

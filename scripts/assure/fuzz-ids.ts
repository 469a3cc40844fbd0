// Real ids for the fuzz suite (ASSURANCE.md §4.3): path params and `…Id` body fields name objects the calling
// principal may act on, so valid requests get past the handlers' lookups instead of ending as 404.
// Ids are harvested from what the app itself answers (every 2xx JSON body: lists, details, creates), and the kind of
// id a param wants is learned from those answers too: `/orders/:id` takes what `GET /orders` lists as `id`,
// `{ priceItemId }` what responses carry under `priceItemId`. A small fixture world (a certified worker employed by
// the principals' company, its dealings with the principals' resident) is staged first, so there is something to
// find. Ids of the principals' own accounts, sessions, organizations and partner clients are never handed to a
// route that could disable, revoke or end them (later suites sign in as those principals). Where a lookup cannot be
// learned from answers (a key that is not a prefixed id, an ID number or token sent in the body, two ids that must
// belong together), fuzz-ids-more.ts stages the objects and pins their values to the route (IdPool.pin).
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { RouteEntry } from '../../src/server/platform/http/authz.js';
import type { TestApp } from '../../test/app.js';
import { account, certifiedWorker, day, selfWorker } from '../../test/factories/workers.js';
import { SoftSecurityKey } from '../../test/support/webauthn-authenticator.js';
import { makeUscc } from '../../src/shared/validators/index.js';
import { authzMatrix, isAllowed, type Principal, principals } from '../../test/authz-matrix.js';
import { routeKey } from '../../test/support/authz-walk.js';
import {
  stageHires,
  stageInsurerBatch,
  stageOrgPeople,
  stagePartners,
  stageQrKeys,
  stageRegulatorWork,
  stageTraining,
} from './fuzz-ids-more.js';
import { exerciseDealings } from './rights-fixture-dealings.js';
import type { Ctx } from './support.js';
import { book, hourly, inject, must, priceItem, slot } from './support.js';

const ID = /^[a-z]{2,3}_[0-9a-hjkmnp-tv-z]{26}$/;
const LIST_KEYS = new Set(['items', 'data', 'rows', 'results']);
const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** `claims` → `claim`, `categories` → `category`, `lesson-files` → `lessonFile`. */
const singular = (s: string) => camel(s).replace(/(ies|s)$/, (m) => (m === 'ies' ? 'y' : ''));
const segmentsOf = (path: string) => path.split('/').filter((x) => x && !x.startsWith(':') && x !== 'mine');
/** The resource a route template answers about: `/api/v1/regulator/orders`, `/api/v1/orders/mine` → `orders`. */
const resourceOf = (path: string) => segmentsOf(path).pop() ?? '';
/** The resource with the segment before it: `/api/v1/companies/:orgId/recruitment/applications` → `recruitment/applications`. */
const qualifiedOf = (path: string) => segmentsOf(path).slice(-2).join('/');
const prefixOf = (id: string) => id.slice(0, id.indexOf('_'));

interface Seen {
  id: string;
  /** Property the id appeared under (`id`, `orderId`; array items: the array's property). */
  key: string;
  /** Route template whose response carried it. */
  path: string;
  by: Principal;
}

/** Ids seen in the app's answers, by principal, with where they appeared. */
export class IdPool {
  private seen = new Map<string, Seen[]>();
  private all: Seen[] = [];
  /** Ids never used as a param or body value (the principals' own accounts, sessions, organizations, clients). */
  readonly protectedIds = new Set<string>();
  /** Organization ids a principal belongs to: the one exception, usable as that principal's `:orgId`/`:companyId`. */
  readonly ownOrgs = new Map<Principal, Set<string>>();
  private kindCache = new Map<string, string | null>();
  /** Values staged for one route's path params (by route key) and top-level body fields (by body schema). */
  private paramPins = new Map<string, Record<string, string[]>>();
  private bodyPins = new Map<unknown, Record<string, unknown[]>>();

  /**
   * Pins values for one route: the i-th valid probe takes the i-th (cyclically) of each param and top-level body
   * field, so values that belong together (a worker and their ID number) travel together. For lookups the pool cannot
   * learn from answers: keys that are not prefixed ids (`:kid`) and secrets sent in the body (an ID number, a token).
   * A body value may be any JSON value (`ids: [[…]]`); `undefined` leaves the field out of that probe. Body values are
   * found by the schema object (realBodyIds sees no route), so they reach every route sharing it: pin inline schemas.
   */
  pin(
    route: RouteEntry,
    values: { params?: Record<string, string[]>; body?: Record<string, unknown[]> },
  ): void {
    if (values.params) this.paramPins.set(routeKey(route), values.params);
    if (values.body && route.schemas.body) this.bodyPins.set(route.schemas.body, values.body);
  }

  /** The value pinned for a param of a route (`null` when none is). */
  pinnedParam(route: RouteEntry, name: string, i: number): string | null {
    const v = this.paramPins.get(routeKey(route))?.[name];
    return v?.length ? v[i % v.length]! : null;
  }

  /** The body fields pinned for a body schema. */
  pinnedBody(schema: unknown): Record<string, unknown[]> | undefined {
    return this.bodyPins.get(schema);
  }

  /** Records every id in a JSON body answered to `by` for `path` (a route template). */
  harvest(body: string, path: string, by: Principal): void {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return;
    }
    // [value, property it sits under, owner of its `id`s, sits in an array]
    const stack: [unknown, string, string, boolean][] = [[json, '', '', false]];
    while (stack.length) {
      const [v, key, owner, item] = stack.pop()!;
      if (typeof v === 'string') {
        if (ID.test(v)) this.add({ id: v, key: key === 'id' && owner ? `${owner}Id` : key, path, by });
      } else if (Array.isArray(v)) {
        // The items of a list answer (`[…]`, `{ items: […] }`) are the answer's own; other arrays name their items.
        const itemOwner = !key || (!owner && LIST_KEYS.has(key)) ? owner : singular(key);
        for (const x of v) stack.push([x, key, itemOwner, true]);
      } else if (v && typeof v === 'object') {
        // `{ worker: { id } }`: a workerId.
        const childOwner = item ? owner : camel(key);
        for (const [k, x] of Object.entries(v)) stack.push([x, k, childOwner, false]);
      }
    }
  }

  private add(s: Seen): void {
    const list = this.seen.get(s.id) ?? [];
    if (list.some((x) => x.key === s.key && x.path === s.path && x.by === s.by)) return;
    list.push(s);
    this.seen.set(s.id, list);
    this.all.push(s);
    this.kindCache.clear();
  }

  get size(): number {
    return this.seen.size;
  }

  /** Marks every id seen so far as protected (called before the fixture world is staged). */
  protectAll(): void {
    for (const id of this.seen.keys()) this.protectedIds.add(id);
  }

  /** The id prefix most often seen under `key` (and, for `id`, in answers of routes under `base`). */
  private kind(key: string, base: string): string | null {
    const ck = `${key}@${base}`;
    if (this.kindCache.has(ck)) return this.kindCache.get(ck)!;
    const count = new Map<string, number>();
    const tally = (pred: (s: Seen) => boolean) => {
      for (const s of this.all) if (pred(s)) count.set(prefixOf(s.id), (count.get(prefixOf(s.id)) ?? 0) + 1);
    };
    const about = (resource: string) => {
      tally((s) => s.key === 'id' && resourceOf(s.path) === resource);
      if (!count.size) tally((s) => s.key === `${singular(resource)}Id`);
    };
    if (key === 'id') {
      // `/orders/:id/accept`: ids answered as `id` about orders (`GET /orders`, `GET /orders/mine`,
      // `GET /regulator/orders`, `POST /orders`, `GET /orders/:id`); else what other answers call `orderId`.
      // Answers about the same qualified resource first: `recruitment/applications` are not `companies/applications`.
      const resource = resourceOf(base);
      tally((s) => s.key === 'id' && qualifiedOf(s.path) === qualifiedOf(base));
      if (!count.size) about(resource);
      // `/demand-offers/:id`: else what answers about offers (`POST …/demands/:demandId/offers`) call `id`.
      if (!count.size && resource.includes('-')) about(resource.slice(resource.lastIndexOf('-') + 1));
    } else {
      const k = key.replace(/Ids$/, 'Id');
      tally((s) => s.key === k);
      // `bankId`: else what answers about banks (`POST /training/banks`) call `id`.
      const owner = k.slice(0, -2);
      if (!count.size) tally((s) => s.key === 'id' && singular(resourceOf(s.path)) === owner);
      if (!count.size && /^(org|company)Id$/.test(k)) count.set('org', 1);
      // `/security-keys/:keyId`: else the kind the segment before the param names (`securityKeyId`).
      if (!count.size && base) tally((s) => s.key === `${singular(resourceOf(base))}Id`);
    }
    let best: string | null = null;
    for (const [p, n] of count) if (!best || n > count.get(best)!) best = p;
    this.kindCache.set(ck, best);
    return best;
  }

  /**
   * Candidate ids for a param or body field, the principal's own first (the ones it was shown), then others of the
   * same kind. Empty when the kind is unknown.
   */
  candidates(key: string, base: string, by: Principal): string[] {
    const prefix = this.kind(key, base);
    if (!prefix) return [];
    const own = /^(org|company)Id$/.test(key)
      ? (this.ownOrgs.get(by) ?? new Set<string>())
      : new Set<string>();
    const mine: string[] = [...own].filter((id) => prefixOf(id) === prefix);
    // A member acts on its own organization: another one's id is the authz suite's probe, not a lookup to get past.
    if (mine.length) return mine;
    const others: string[] = [];
    for (const [id, list] of this.seen) {
      if (prefixOf(id) !== prefix || this.protectedIds.has(id) || own.has(id)) continue;
      (list.some((s) => s.by === by) ? mine : others).push(id);
    }
    // Newest first: ids are time-ordered, and the newest objects are the likeliest to still be open.
    mine.sort((a, b) => (a < b ? 1 : -1));
    others.sort((a, b) => (a < b ? 1 : -1));
    return [...mine, ...others];
  }
}

const isZod = (s: unknown): s is z.ZodType => !!s && typeof s === 'object' && '_zod' in s;

/** Path params from the pool (the i-th candidate for the i-th probe); null where the pool knows no id of the kind. */
export function realParams(
  pool: IdPool,
  route: RouteEntry,
  by: Principal,
  i: number,
): Record<string, string> | null {
  const names = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  if (!names.length) return null;
  const out: Record<string, string> = {};
  let any = false;
  for (const n of names) {
    const pinned = pool.pinnedParam(route, n, i);
    if (pinned !== null) {
      out[n] = pinned;
      any = true;
      continue;
    }
    const base = route.url.slice(0, route.url.indexOf(`:${n}`) - 1);
    const c = pool.candidates(n, base, by);
    if (!c.length) continue;
    out[n] = c[i % Math.min(c.length, 4)]!;
    any = true;
  }
  return any ? out : null;
}

/**
 * Replaces generated `…Id` / `…Ids` strings in a valid body with real ids, and top-level fields pinned for the schema
 * with their i-th value, keeping each change only if the body stays valid. Mutates and returns `body`.
 */
export function realBodyIds(pool: IdPool, schema: unknown, body: unknown, by: Principal, i: number): unknown {
  if (!isZod(schema) || !body || typeof body !== 'object') return body;
  const top = body as Record<string, unknown>;
  const pinned = pool.pinnedBody(schema) ?? {};
  for (const [k, values] of Object.entries(pinned)) {
    if (!values.length) continue;
    const had = k in top;
    const was = top[k];
    const v = values[i % values.length];
    if (v === undefined) delete top[k];
    else top[k] = v;
    if (!schema.safeParse(body).success) {
      if (had) top[k] = was;
      else delete top[k];
    }
  }
  const stack: unknown[] = [body];
  while (stack.length) {
    const o = stack.pop();
    if (Array.isArray(o)) {
      for (const x of o) if (x && typeof x === 'object') stack.push(x);
      continue;
    }
    if (!o || typeof o !== 'object') continue;
    const rec = o as Record<string, unknown>;
    for (const [k, v] of Object.entries(rec)) {
      if (rec === top && k in pinned) continue;
      if (/Id$/.test(k) && typeof v === 'string') {
        const c = pool.candidates(k, '', by);
        if (!c.length) continue;
        rec[k] = c[i % Math.min(c.length, 4)];
        if (!schema.safeParse(body).success) rec[k] = v;
      } else if (/Ids$/.test(k) && Array.isArray(v) && v.every((x) => typeof x === 'string')) {
        const c = pool.candidates(k, '', by);
        if (!c.length) continue;
        rec[k] = v.map((_, j) => c[(i + j) % c.length]).filter((x, j, a) => a.indexOf(x) === j);
        if (!schema.safeParse(body).success) rec[k] = v;
      } else if (v && typeof v === 'object') stack.push(v);
    }
  }
  return body;
}

/** GET routes without params the principal may call; their 2xx answers feed the pool. */
async function harvestLists(app: FastifyInstance, pool: IdPool, cookies: Map<Principal, string>) {
  let requests = 0;
  const gets = app.routeRegistry.filter(
    (r) => r.method === 'GET' && !r.url.includes(':') && r.url.startsWith('/api/'),
  );
  for (const [p, cookie] of cookies) {
    for (const r of gets) {
      const row = authzMatrix[routeKey(r)];
      if (!row || !isAllowed(row.allow, p) || row.allow === 'public') continue;
      const res = await app.inject({ method: 'GET', url: r.url, headers: { cookie } });
      requests++;
      if (res.statusCode < 300) pool.harvest(res.body, r.url, p);
    }
  }
  return requests;
}

/** Detail GETs (`…/:id`) of ids already in the pool: their bodies name related objects (order → contract …). */
async function harvestDetails(app: FastifyInstance, pool: IdPool, cookies: Map<Principal, string>) {
  let requests = 0;
  const gets = app.routeRegistry.filter((r) => r.method === 'GET' && /^\/api\/v1\/[^:]+\/:id$/.test(r.url));
  for (const [p, cookie] of cookies) {
    for (const r of gets) {
      const row = authzMatrix[routeKey(r)];
      if (!row || !isAllowed(row.allow, p)) continue;
      const params = realParams(pool, r, p, 0);
      if (!params?.id) continue;
      const res = await app.inject({
        method: 'GET',
        url: r.url.replace(':id', params.id),
        headers: { cookie },
      });
      requests++;
      if (res.statusCode < 300) pool.harvest(res.body, r.url, p);
    }
  }
  return requests;
}

export interface Staged {
  pool: IdPool;
  /** Cookies the fuzz uses per principal (the worker principal is the staged, employed worker). */
  cookies: Map<Principal, string>;
  /** Cookies for single routes (by route key) whose objects the route's principal cannot own. */
  routeCookies: Map<string, string>;
  harvestRequests: number;
  ms: number;
}

/**
 * Stages the fixture world through the real routes and harvests ids. `protect` ids: everything the bare world
 * answered (principals' accounts, sessions, organizations, partner clients), every principal's account, the staged
 * worker's account and the spare accounts whose cookies single routes run with (key holder, applicant, invitee) or
 * that fuzz-ids-more.ts stages (spare workers, members, companies' admins).
 */
export async function stageIds(ctx: Ctx, principalsUsed: Principal[]): Promise<Staged> {
  const started = performance.now();
  const { t, world } = ctx;
  const app = t.app;
  const pool = new IdPool();
  const cookies = new Map<Principal, string>();
  for (const p of principalsUsed) {
    const c = world.cookies.get(p);
    if (c) cookies.set(p, c);
  }
  let harvestRequests = await harvestLists(app, pool, cookies);
  for (const [p, cookie] of cookies) {
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    const orgs = new Set(
      ((me.json() as { user?: { memberships?: { orgId: string }[] } }).user?.memberships ?? []).map(
        (m) => m.orgId,
      ),
    );
    pool.ownOrgs.set(p, orgs);
  }
  pool.protectAll();
  for (const orgs of pool.ownOrgs.values()) for (const o of orgs) pool.protectedIds.add(o);

  const companyCookie = world.cookies.get('company_admin')!;
  const companyOrg = [...(pool.ownOrgs.get('company_admin') ?? [])][0];
  const regulatorCookie = world.cookies.get('regulator')!;
  const residentCookie = world.cookies.get('resident')!;
  let claimant: string | undefined;
  if (companyOrg && regulatorCookie && residentCookie) {
    const co = { orgId: companyOrg, cookie: companyCookie, phone: world.phones.get('company_admin') };
    await stageHires(ctx, pool);
    const { w } = await certifiedWorker(t, { regulatorCookie, employer: co });
    const resident = { cookie: residentCookie, phone: world.phones.get('resident')! };
    await exerciseDealings(t, { w, co, resident });
    // Open orders for the state-changing routes (accept, decline, cancel …): dealings leave only settled ones.
    const item = await priceItem(t, co);
    for (let h = 30; h <= 30 * 6; h += 30)
      await book(t, residentCookie, hourly(item, w.workerId, slot(t, h)));
    await inject(t, 'POST', '/api/v1/conversations', residentCookie, {
      context: 'profile',
      workerId: w.workerId,
    });
    pool.protectedIds.add(w.userId);
    claimant = await stageProgrammes(ctx, pool, { w, co, item });
    await stageTraining(ctx, pool, w.cookie);
    await stageInsurerBatch(ctx, pool);
    cookies.set('worker', w.cookie);
  }
  await stageQrKeys(ctx, pool);
  await stageRegulatorWork(ctx, pool);
  await stagePartners(ctx, pool);
  // The principals' accounts, even where an answer shows them only later (an actor, a member list).
  for (const id of world.userIds.values()) pool.protectedIds.add(id);
  const routeCookies = await stageIdentity(ctx, pool);
  for (const [k, c] of await stageApplications(ctx, pool)) routeCookies.set(k, c);
  for (const [k, c] of await stageOrgPeople(ctx, pool)) routeCookies.set(k, c);
  // The claims' own steps (supply, withdraw) are the claimant's: the matrix's first principal (a resident) has none.
  if (claimant)
    for (const key of [
      'POST /api/v1/insurance/claims/:id/supply',
      'POST /api/v1/insurance/claims/:id/withdraw',
    ])
      routeCookies.set(key, claimant);
  harvestRequests += await harvestLists(app, pool, cookies);
  harvestRequests += await harvestDetails(app, pool, cookies);
  return { pool, cookies, routeCookies, harvestRequests, ms: performance.now() - started };
}

/**
 * The staged worker's programmes and the chains around them, each through the real routes as the principals the fuzz
 * uses: the insurer principal's product, the company enrolling the worker (one policy confirmed, one left pending)
 * and two claims by the worker; a resident's demand and the company's offer on it; the company's job post and the worker's
 * application; a resident's request to see the worker's file; and four spare workers' deletion requests (the platform
 * admin's routes take the newest four, so never the one the fuzz files as the staged worker). Returns the cookie of
 * the claims' claimant (the staged worker) when claims were staged.
 */
async function stageProgrammes(
  ctx: Ctx,
  pool: IdPool,
  opts: {
    w: { cookie: string; userId: string; workerId: string };
    co: { orgId: string; cookie: string };
    item: string;
  },
) {
  const { t, world } = ctx;
  const { w, co, item } = opts;
  const key = (what: string) => ({
    'idempotency-key': `fuzz-${what}-${Math.random().toString(36).slice(2)}`,
  });
  const post = (url: string, cookie: string, body: object = {}, headers: Record<string, string> = {}) =>
    inject(t, 'POST', url, cookie, body, headers);

  const insurer = world.cookies.get('insurer_staff');
  const insurerOrg = [...(pool.ownOrgs.get('insurer_staff') ?? [])][0];
  if (insurer && insurerOrg) {
    const product = must(
      await post(`/api/v1/insurers/${insurerOrg}/products`, insurer, {
        title: '家政服务人员意外+责任组合险',
        kind: 'combined',
        coverage: [
          { code: 'accident_medical', amountFen: 2_000_000 },
          { code: 'liability_property', amountFen: 1_000_000 },
        ],
        premiumFen: 12_000,
        periodMonths: 12,
        categories: ['cleaning', 'maternity'],
        subsidyShareBp: 5_000,
        subsidyCapFen: 10_000,
        waitingDays: 0,
      }),
      201,
      'insurance product',
    ).json().id;
    const enrol = async (startsOn: string) =>
      (
        must(
          await post(
            `/api/v1/companies/${co.orgId}/insurance/enrolments`,
            co.cookie,
            { productId: product, startsOn, workerIds: [w.workerId] },
            key('enrol'),
          ),
          201,
          'insurance enrolment',
        ).json() as unknown as { policies: { id: string }[] }
      ).policies[0]!.id;
    const inForce = await enrol(day(t));
    must(await post(`/api/v1/insurance/policies/${inForce}/confirm`, insurer), 200, 'policy confirm');
    for (const what of ['擦窗时扭伤右脚踝', '搬动家具时腰部拉伤'])
      must(
        await post(
          '/api/v1/insurance/claims',
          w.cookie,
          {
            policyId: inForce,
            coverageCode: 'accident_medical',
            incidentOn: day(t),
            place: '广州市越秀区东风中路8号',
            description: what,
            evidence: ['门诊病历'],
            claimedFen: 120_000,
          },
          key('claim'),
        ),
        201,
        'insurance claim',
      );
    await enrol(day(t, 400));
  }

  const residentCookie = world.cookies.get('resident')!;
  const demand = must(
    await post('/api/v1/demands', residentCookie, {
      category: 'cleaning',
      mode: 'hourly',
      district: '440106',
      address: '广州市天河区天河北路200号5楼',
      schedule: { mode: 'hourly', startAt: slot(t, 24 * 5), hours: 2 },
      budgetMinFen: 4000,
      budgetMaxFen: 6000,
      description: '打扫三房两厅，家有老人',
    }),
    201,
    'demand',
  ).json().id;
  must(
    await post(`/api/v1/orgs/${co.orgId}/demands/${demand}/offers`, co.cookie, {
      workerId: w.workerId,
      priceItemId: item,
      message: '阿姨做事麻利',
    }),
    201,
    'demand offer',
  );

  const jobPost = must(
    await post(`/api/v1/companies/${co.orgId}/recruitment/posts`, co.cookie, {
      title: '天河区住家育婴员',
      category: 'maternity',
      mode: 'live_in',
      district: '440106',
      location: '天河区珠江新城',
      salaryMinFen: 800_000,
      salaryMaxFen: 1_200_000,
      certificateRequired: false,
      minExperienceYears: 0,
      minAge: 18,
      maxAge: 60,
      benefits: ['accident_insurance', 'meals'],
      description: '照顾新生儿和产妇，26 天一单，包吃住。',
      headcount: 2,
      closesOn: day(t, 30),
    }),
    201,
    'job post',
  ).json().id;
  must(
    await post(`/api/v1/recruitment/posts/${jobPost}/applications`, w.cookie, {
      coverNote: '有五年育婴经验',
    }),
    201,
    'job application',
  );

  must(
    await post(`/api/v1/workers/${w.workerId}/access-requests`, residentCookie, {
      reason: '面试前想看看阿姨的档案',
    }),
    201,
    'file access request',
  );

  for (let i = 0; i < 4; i++) {
    const spare = await selfWorker(t);
    must(
      await post('/api/v1/workers/me/deletion-request', spare.cookie, { reason: '不再从事家政工作' }),
      201,
      'deletion request',
    );
  }
  return insurer && insurerOrg ? w.cookie : undefined;
}

/**
 * Four draft company applications (入驻申请) of a spare applicant, for the applicant's own steps (edit, licence,
 * submit), run with the applicant's cookie: the matrix's principal for them is a company admin, who would have to
 * apply itself and so change its own memberships for the suites after this one. Harvested as that principal.
 */
async function stageApplications(ctx: Ctx, pool: IdPool): Promise<Map<string, string>> {
  const { t } = ctx;
  const out = new Map<string, string>();
  const keys = [
    'PUT /api/v1/companies/applications/:id',
    'POST /api/v1/companies/applications/:id/licence',
    'POST /api/v1/companies/applications/:id/submit',
  ];
  const by = firstAllowedOf(keys[0]!);
  if (!by) return out;
  const applicant = await account(t, [{ role: 'resident' }], '备用申请人');
  // The security admin's routes (sessions, disable) come earlier and would end the applicant's session.
  pool.protectedIds.add(applicant.userId);
  for (let i = 0; i < 4; i++) {
    const serial = `${Date.now() % 1_000_000}${i}`.padStart(9, '0').slice(-9);
    const created = must(
      await inject(t, 'POST', '/api/v1/companies/applications', applicant.cookie, {
        name: `越秀安心家政服务有限公司${i + 1}`,
        uscc: makeUscc(`91440104${serial}`),
        legalRepresentative: '陈志强',
        model: 'employee',
        address: '广东省广州市越秀区中山五路 1 号',
        district: '440104',
        location: { lon: 113.27, lat: 23.13 },
        serviceCategories: ['cleaning'],
        contactName: '李小红',
        contactPhone: '13812345678',
      }),
      201,
      'company application',
    );
    pool.harvest(created.body, '/api/v1/companies/applications', by);
  }
  for (const k of keys) out.set(k, applicant.cookie);
  return out;
}

/** buildTestApp leaves PUBLIC_URL unset, so the app expects security keys from its default origin. */
const KEY_ORIGIN = (rpId: string) => `http://${rpId}:3000`;

/** Registers a software security key on a signed-in MFA-role account (options, then the attestation). */
async function addSecurityKey(t: TestApp, cookie: string, label: string) {
  const opts = must(
    await inject(t, 'POST', '/api/v1/auth/webauthn/register/options', cookie, {}),
    200,
    'security key options',
  ).json() as unknown as { challenge: string; rp: { id: string } };
  const key = new SoftSecurityKey({ origin: KEY_ORIGIN(opts.rp.id), rpId: opts.rp.id });
  must(
    await inject(t, 'POST', '/api/v1/auth/webauthn/register/verify', cookie, {
      label,
      response: key.register(opts),
    }),
    201,
    'security key registration',
  );
}

/**
 * Spare objects for the identity routes, none of them a principal's: four more sessions of the resident (for
 * `POST /auth/sessions/:id/revoke`; the session the fuzz signs in with was answered before and is protected); two
 * spare staff accounts the security admin finds by `?phone=` (roles, disable, sessions, TOTP reset), each with two
 * security keys (key removal, pinned account by account); and a key holder with four keys for the caller's own key routes (rename, remove),
 * run with its cookie. The key holder's account is protected: the security admin's routes, which come first, would
 * otherwise end its session.
 */
async function stageIdentity(ctx: Ctx, pool: IdPool): Promise<Map<string, string>> {
  const { t, world } = ctx;
  const app = t.app;
  const routeCookies = new Map<string, string>();
  for (let i = 0; i < 4; i++) await world.signIn('resident');
  // The key holder first: the spares' keys are then the newest, the ones the security admin's `:keyId` takes first.
  const holder = await account(t, [{ role: 'regulator', district: null }], '密钥持有人');
  pool.protectedIds.add(holder.userId);
  for (let i = 0; i < 4; i++) await addSecurityKey(t, holder.cookie, `密钥${i + 1}`);
  const admin = world.cookies.get('security_admin');
  if (admin) {
    const spares = [];
    for (let i = 0; i < 2; i++)
      spares.push(await account(t, [{ role: 'regulator', district: null }], `备用账号${i + 1}`));
    for (const s of spares) for (const n of [1, 2]) await addSecurityKey(t, s.cookie, `备用密钥${n}`);
    const pairs: { id: string; keyId: string }[] = [];
    for (const s of spares) {
      const url = `/api/v1/security/accounts?phone=${s.phone}`;
      const found = must(await inject(t, 'GET', url, admin), 200, 'spare account lookup');
      pool.harvest(found.body, '/api/v1/security/accounts', 'security_admin');
      const [a] = (found.json() as unknown as { items: { id: string; securityKeys: { id: string }[] }[] })
        .items;
      for (const k of a?.securityKeys ?? []) pairs.push({ id: a!.id, keyId: k.id });
    }
    // Each key with its own account: `:keyId` alone would take the newest of any `…/keys` (a partner's API keys).
    pairs.sort((x, y) => (x.keyId < y.keyId ? -1 : 1));
    const remove = app.routeRegistry.find(
      (r) => routeKey(r) === 'POST /api/v1/security/accounts/:id/security-keys/:keyId/remove',
    );
    if (remove)
      pool.pin(remove, { params: { id: pairs.map((x) => x.id), keyId: pairs.map((x) => x.keyId) } });
  }
  // Harvested as the principal these routes run as (the first the matrix allows: any signed-in account).
  const keys = must(await inject(t, 'GET', '/api/v1/auth/webauthn/credentials', holder.cookie), 200, 'keys');
  for (const key of [
    'PATCH /api/v1/auth/webauthn/credentials/:id',
    'POST /api/v1/auth/webauthn/credentials/:id/remove',
  ]) {
    const by = firstAllowedOf(key);
    if (!by) continue;
    pool.harvest(keys.body, '/api/v1/auth/webauthn/credentials', by);
    routeCookies.set(key, holder.cookie);
  }
  return routeCookies;
}

const firstAllowedOf = (key: string): Principal | null => {
  const row = authzMatrix[key];
  return row ? (principals.find((p) => p !== 'anonymous' && isAllowed(row.allow, p)) ?? null) : null;
};

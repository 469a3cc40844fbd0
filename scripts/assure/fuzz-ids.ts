// Real ids for the fuzz suite (ASSURANCE.md §4.3): path params and `…Id` body fields name objects the calling
// principal may act on, so valid requests get past the handlers' lookups instead of ending as 404.
// Ids are harvested from what the app itself answers (every 2xx JSON body: lists, details, creates), and the kind of
// id a param wants is learned from those answers too: `/orders/:id` takes what `GET /orders` lists as `id`,
// `{ priceItemId }` what responses carry under `priceItemId`. A small fixture world (a certified worker employed by
// the principals' company, its dealings with the principals' resident) is staged first, so there is something to
// find. Ids of the principals' own accounts, sessions, organizations and partner clients are never handed to a
// route that could disable, revoke or end them (later suites sign in as those principals).
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { RouteEntry } from '../../src/server/platform/http/authz.js';
import { account, certifiedWorker } from '../../test/factories/workers.js';
import { authzMatrix, isAllowed, type Principal } from '../../test/authz-matrix.js';
import { routeKey } from '../../test/support/authz-walk.js';
import { exerciseDealings } from './rights-fixture-dealings.js';
import type { Ctx } from './support.js';
import { book, hourly, inject, priceItem, slot } from './support.js';

const ID = /^[a-z]{2,3}_[0-9a-hjkmnp-tv-z]{26}$/;
const LIST_KEYS = new Set(['items', 'data', 'rows', 'results']);
const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** `claims` → `claim`, `categories` → `category`, `lesson-files` → `lessonFile`. */
const singular = (s: string) => camel(s).replace(/(ies|s)$/, (m) => (m === 'ies' ? 'y' : ''));
/** The resource a route template answers about: `/api/v1/regulator/orders`, `/api/v1/orders/mine` → `orders`. */
const resourceOf = (path: string) =>
  path
    .split('/')
    .filter((x) => x && !x.startsWith(':') && x !== 'mine')
    .pop() ?? '';
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
    if (key === 'id') {
      // `/orders/:id/accept`: ids answered as `id` about orders (`GET /orders`, `GET /orders/mine`,
      // `GET /regulator/orders`, `POST /orders`, `GET /orders/:id`); else what other answers call `orderId`.
      const resource = resourceOf(base);
      tally((s) => s.key === 'id' && resourceOf(s.path) === resource);
      if (!count.size) tally((s) => s.key === `${singular(resource)}Id`);
    } else {
      const k = key.replace(/Ids$/, 'Id');
      tally((s) => s.key === k);
      // `bankId`: else what answers about banks (`POST /training/banks`) call `id`.
      const owner = k.slice(0, -2);
      if (!count.size) tally((s) => s.key === 'id' && singular(resourceOf(s.path)) === owner);
      if (!count.size && /^(org|company)Id$/.test(k)) count.set('org', 1);
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
    const base = route.url.slice(0, route.url.indexOf(`:${n}`) - 1);
    const c = pool.candidates(n, base, by);
    if (!c.length) continue;
    out[n] = c[i % Math.min(c.length, 4)]!;
    any = true;
  }
  return any ? out : null;
}

/**
 * Replaces generated `…Id` / `…Ids` strings in a valid body with real ids, keeping each change only if the body stays
 * valid. Mutates and returns `body`.
 */
export function realBodyIds(pool: IdPool, schema: unknown, body: unknown, by: Principal, i: number): unknown {
  if (!isZod(schema) || !body || typeof body !== 'object') return body;
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
  harvestRequests: number;
  ms: number;
}

/**
 * Stages the fixture world through the real routes and harvests ids. `protect` ids: everything the bare world
 * answered (principals' accounts, sessions, organizations, partner clients) plus the staged worker's account.
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
  if (companyOrg && regulatorCookie && residentCookie) {
    const co = { orgId: companyOrg, cookie: companyCookie, phone: world.phones.get('company_admin') };
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
    // Spare accounts for the security admin's routes (roles, disable, sessions): the principals' own are protected.
    for (let i = 0; i < 2; i++) await account(t, [{ role: 'resident' }], `备用账号${i + 1}`);
    cookies.set('worker', w.cookie);
  }
  harvestRequests += await harvestLists(app, pool, cookies);
  harvestRequests += await harvestDetails(app, pool, cookies);
  return { pool, cookies, harvestRequests, ms: performance.now() - started };
}

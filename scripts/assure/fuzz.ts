// Suite `fuzz` (ASSURANCE.md §4.3): schema-derived, valid-then-mutated requests to every write route.
// Valid bodies (and params, querystrings) come from the route's own zod schemas through zod-arbitrary.ts, so most
// requests get past validation into the handlers; each mutated request carries exactly one mutation, classified
// valid or invalid by the schema's safeParse. Oracles on every request: no 5xx; a refused request (≥ 400) leaves
// the database fingerprint unchanged; no stack, SQL or file path in any body; every error is problem+json with a
// code; per-request time (p99 and slowest). A drill proves the 5xx and leak oracles fire.
// Path params and `…Id` body fields carry real ids the principal may act on (fuzz-ids.ts), so valid requests get
// past the handlers' lookups; multipart routes get a small valid file and mutated ones (fuzz-multipart.ts). Oracle 5,
// round-trip: what an accepted create stored reads back as the schema's own output of the NFC form of what was sent,
// and every stored ID number passes the GB 11643 checksum.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../../src/server/platform/errors.js';
import type { RouteEntry } from '../../src/server/platform/http/authz.js';
import { normalizeText } from '../../src/server/platform/http/text-guard.js';
import { parseIdCard } from '../../src/shared/validators/index.js';
import { authzMatrix, isAllowed, type Principal } from '../../test/authz-matrix.js';
import { fillParams, routeKey } from '../../test/support/authz-walk.js';
import { type IdPool, realBodyIds, realParams, stageIds } from './fuzz-ids.js';
import { multipartProbes } from './fuzz-multipart.js';
import { firstAllowed, fingerprint } from './suites.js';
import type { Ctx, Suite } from './support.js';
import { arbitraryOf, type Mutated, mutatedArbitrary } from './zod-arbitrary.js';

type Zod = z.ZodType;
const isZod = (s: unknown): s is Zod => !!s && typeof s === 'object' && '_zod' in s;

/** A body with the internals a generic error must never show: a stack frame, SQL, a driver name or a file path. */
export const LEAK =
  /\bat [\w.<>$]+ \(|\bat \/|node_modules|\/work\/|\/home\/|file:\/\/|\b(select|insert into|delete from)\b[^"]{0,80}\b(from|values|where)\b|syntax error at|\bpg_\w+|relation "\w+"|violates \w+ constraint/i;

// Refused by the framework before the handler: schema validation, media type, size.
const SCHEMA_REFUSALS = new Set(['VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE']);

interface Stats {
  valid: number;
  reached: number;
  /** Valid requests the handler itself refused with VALIDATION_FAILED (a cross-field rule: end after start …). */
  handlerValidation: number;
  valid2xx: number;
  validHandler4xx: number;
  /** Valid requests that reached the handler and were not answered 404 (the lookup of the path's ids succeeded). */
  pastLookup: number;
  invalid: number;
  refused: number;
  mutatedValid: number;
  fivexx: string[];
  storedOnReject: string[];
  leaks: string[];
  notProblem: string[];
  accepted: string[];
  times: number[];
  roundTrip: RoundTrip;
  perRoute: Map<string, { valid: number; reached: number; codes: Map<string, number> }>;
}
const newStats = (): Stats => ({
  valid: 0,
  reached: 0,
  handlerValidation: 0,
  valid2xx: 0,
  validHandler4xx: 0,
  pastLookup: 0,
  invalid: 0,
  refused: 0,
  mutatedValid: 0,
  fivexx: [],
  storedOnReject: [],
  leaks: [],
  notProblem: [],
  accepted: [],
  times: [],
  roundTrip: { fields: 0, resources: 0, mismatches: [] },
  perRoute: new Map(),
});

interface RoundTrip {
  fields: number;
  resources: number;
  mismatches: string[];
}

export interface Probe {
  url: string;
  /** The URL's params and querystring pass the route's schemas (so a VALIDATION_FAILED can only be the handler's). */
  urlValid: boolean;
  raw: string | Buffer;
  /** Content-Type of `raw`; JSON unless told. */
  contentType?: string;
  /** The generated valid body (before serialising), for the round-trip oracle. */
  sent?: unknown;
  /** Generated valid (true), mutated and schema-invalid (false), or mutated but still valid (null). */
  valid: boolean | null;
  what: string;
}

const codeOf = (body: string): string | undefined => {
  try {
    return (JSON.parse(body) as { code?: string }).code;
  } catch {
    return undefined;
  }
};

/** Sends one probe and applies every oracle; `before` is the fingerprint before it, the return value the one after. */
async function send(
  app: FastifyInstance,
  route: RouteEntry,
  cookie: string | undefined,
  p: Probe,
  before: string,
  s: Stats,
  fp: () => Promise<string>,
  ids?: { pool: IdPool; by: Principal; detail?: RouteEntry },
): Promise<string> {
  const key = routeKey(route);
  const started = performance.now();
  const res = await app.inject({
    method: route.method as 'POST',
    url: p.url,
    headers: { ...(cookie ? { cookie } : {}), 'content-type': p.contentType ?? 'application/json' },
    payload: p.raw,
  });
  s.times.push(performance.now() - started);
  const code = codeOf(res.body);
  const shown = typeof p.raw === 'string' ? p.raw.slice(0, 100) : `${p.raw.length} bytes of ${p.contentType}`;
  const short = `${key} [${p.what}] ${shown}`;
  if (res.statusCode >= 500) s.fivexx.push(`${short} → ${res.statusCode} ${code ?? ''}`);
  if (LEAK.test(res.body)) s.leaks.push(`${short} → ${res.statusCode} leaked ${res.body.match(LEAK)?.[0]}`);
  if (
    res.statusCode >= 400 &&
    (!String(res.headers['content-type']).startsWith('application/problem+json') || !code)
  )
    s.notProblem.push(`${short} → ${res.statusCode} ${res.headers['content-type']}`);
  // After every request: the next request's "before" as well.
  const after = await fp();
  if (res.statusCode >= 400 && after !== before)
    s.storedOnReject.push(`${short} → ${res.statusCode} ${code ?? ''}`);
  if (p.valid === true) {
    s.valid++;
    const r = s.perRoute.get(key) ?? { valid: 0, reached: 0, codes: new Map<string, number>() };
    s.perRoute.set(key, r);
    r.valid++;
    // The body passed safeParse by construction; with params and querystring valid too, a VALIDATION_FAILED is the
    // handler's own (cross-field) rule, not the framework's schema check.
    const byHandler = code === 'VALIDATION_FAILED' && p.urlValid;
    if (byHandler) s.handlerValidation++;
    const refusedBySchema =
      !byHandler && (res.statusCode === 413 || res.statusCode === 415 || SCHEMA_REFUSALS.has(code ?? ''));
    if (!refusedBySchema) {
      s.reached++;
      r.reached++;
      if (res.statusCode !== 404) s.pastLookup++;
      if (res.statusCode < 300) s.valid2xx++;
      else if (res.statusCode < 500) s.validHandler4xx++;
    }
    if (res.statusCode < 300 && ids) {
      ids.pool.harvest(res.body, route.url, ids.by);
      if (p.sent !== undefined)
        await roundTrip(app, route, p.url, cookie, p.sent, res.body, s.roundTrip, ids.detail);
    }
    const c = `${res.statusCode} ${code ?? ''}`.trim();
    r.codes.set(c, (r.codes.get(c) ?? 0) + 1);
  } else if (p.valid === false) {
    s.invalid++;
    if (res.statusCode >= 400 && res.statusCode < 500) s.refused++;
    else s.accepted.push(`${short} → ${res.statusCode} (schema-invalid, not refused)`);
  } else s.mutatedValid++;
  return after;
}

// A masked value (`4401**********1234`, `王*`): the generators never send an asterisk.
const MASKED = /\*/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** Equal strings, or the same instant written with another offset (`…+08:00` stored and answered in UTC). */
const same = (got: string, want: string) =>
  got === want || (DATETIME.test(got) && DATETIME.test(want) && Date.parse(got) === Date.parse(want));

/**
 * Oracle 5, round-trip: each string the client sent reads back (from the route's `GET …/:id`, or the create's own
 * answer when there is none) as the schema's output for the NFC form of the body: trimmed, cased and normalised the
 * way the server promises. Masked values and fields the read model does not carry (or carries as another type) are
 * skipped.
 */
async function roundTrip(
  app: FastifyInstance,
  route: RouteEntry,
  url: string,
  cookie: string | undefined,
  sent: unknown,
  answer: string,
  rt: RoundTrip,
  detail: RouteEntry | undefined,
) {
  const schema = route.schemas.body;
  if (!isZod(schema) || !sent || typeof sent !== 'object') return;
  let created: Record<string, unknown>;
  try {
    created = JSON.parse(answer) as Record<string, unknown>;
  } catch {
    return;
  }
  if (!created || typeof created !== 'object' || typeof created.id !== 'string') return;
  // An action on an existing object (`/reviews/:id/reply` answers the review): not a create, nothing to read back.
  if (url.split(/[/?]/).includes(encodeURIComponent(created.id))) return;
  const parsed = schema.safeParse(normalizeText(structuredClone(sent)).value);
  if (!parsed.success) return;
  let read: unknown = created;
  let from = 'the answer';
  if (detail) {
    const res = await app.inject({
      method: 'GET',
      url: detail.url.replace(':id', encodeURIComponent(created.id)),
      headers: cookie ? { cookie } : {},
    });
    if (res.statusCode === 200) {
      read = res.json();
      from = routeKey(detail);
    }
  }
  let fields = 0;
  // Walk what was sent, field by field, next to the schema's output and the read-back at the same path.
  const stack: [unknown, unknown, unknown, string][] = [[sent, parsed.data, read, '']];
  while (stack.length) {
    const [x, want, got, at] = stack.pop()!;
    if (typeof x === 'string') {
      if (typeof want !== 'string' || typeof got !== 'string' || MASKED.test(got)) continue;
      fields++;
      if (!same(got, want))
        rt.mismatches.push(
          `${routeKey(route)} ${at}: sent ${JSON.stringify(x)}, expected ${JSON.stringify(want)}, ${from} has ${JSON.stringify(got)}`,
        );
    } else if (Array.isArray(x) && Array.isArray(want) && Array.isArray(got)) {
      if (x.length === want.length && x.length === got.length)
        for (const [i, v] of x.entries()) stack.push([v, want[i], got[i], `${at}.${i}`]);
    } else if (
      x &&
      typeof x === 'object' &&
      want &&
      typeof want === 'object' &&
      got &&
      typeof got === 'object'
    ) {
      for (const [k, v] of Object.entries(x))
        stack.push([
          v,
          (want as Record<string, unknown>)[k],
          (got as Record<string, unknown>)[k],
          at ? `${at}.${k}` : k,
        ]);
    }
  }
  if (fields) {
    rt.fields += fields;
    rt.resources++;
  }
}

/**
 * Params from the pool of real ids when it names objects of the kind (the i-th probe gets the i-th candidate), the
 * shared "names nothing" id where the schema takes it, generated otherwise.
 */
function urlOf(
  route: RouteEntry,
  seed: number,
  ids?: { pool: IdPool; by: Principal; i: number },
): { url: string; urlValid: boolean } {
  const params = route.schemas.params;
  const names = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const values: Record<string, string> = {};
  const filled = fillParams(':x');
  for (const n of names) values[n] = filled;
  if (isZod(params) && !params.safeParse(values).success) {
    try {
      // The i-th probe gets the i-th sample: `/complaints/:id/:action` tries several actions.
      const v = fc.sample(arbitraryOf(params), { numRuns: (ids?.i ?? 0) + 1, seed });
      Object.assign(values, v[v.length - 1] as Record<string, string>);
    } catch {
      // Keep the fallback: the request then counts as refused by the schema, and the route shows in the details.
    }
  }
  // Real ids over the generated or fallback ones, each where the schema takes it (`:role` is an enum, not an id).
  const real = ids ? realParams(ids.pool, route, ids.by, ids.i) : null;
  for (const [n, v] of Object.entries(real ?? {}))
    if (!isZod(params) || params.safeParse({ ...values, [n]: v }).success) values[n] = v;
  let url = route.url.replace(/:([A-Za-z]+)/g, (_, n: string) => encodeURIComponent(String(values[n])));
  let urlValid = !isZod(params) || params.safeParse(values).success;
  const qs = route.schemas.querystring;
  if (isZod(qs) && !qs.safeParse({}).success) {
    urlValid = false;
    try {
      const [v] = fc.sample(arbitraryOf(qs), { numRuns: 1, seed });
      const q: Record<string, string> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        if (x !== undefined) q[k] = String(x);
      url += `?${new URLSearchParams(q)}`;
      urlValid = qs.safeParse(q).success;
    } catch {
      // As above.
    }
  }
  return { url, urlValid };
}

const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 0);

/** The probes of one route: n valid, n mutated (each with exactly one mutation). */
export function probesOf(
  route: RouteEntry,
  n: number,
  seed: number,
  ids?: { pool: IdPool; by: Principal },
): Probe[] {
  const body = route.schemas.body;
  const at = (i: number) => urlOf(route, seed, ids ? { ...ids, i } : undefined);
  const { url, urlValid } = at(0);
  if (!isZod(body)) {
    // No body schema: the handler ignores the body; the mutations still run through the parser and the oracles.
    const junk = [
      '{"zzUnknownField":"x"}',
      '{"__proto__":{"isAdmin":true}}',
      `{"zzHuge":"${'长'.repeat(128 * 1024)}"}`,
      `{"zzDeep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      'null',
    ];
    return [
      ...Array.from({ length: n }, (_, i) => ({ ...at(i), raw: '{}', valid: true, what: 'valid' })),
      ...Array.from({ length: n }, (_, i) => ({
        url,
        urlValid,
        raw: junk[i % junk.length]!,
        valid: null,
        what: 'junk',
      })),
    ];
  }
  const valid = arbitraryOf(body);
  const values = fc.sample(valid, { numRuns: n, seed });
  if (ids) for (const [i, v] of values.entries()) realBodyIds(ids.pool, body, v, ids.by, i);
  const mutated = fc.sample(mutatedArbitrary(body, valid), { numRuns: n, seed: seed + 1 }) as Mutated[];
  return [
    ...values.map((v, i) => ({
      ...at(i),
      raw: JSON.stringify(v) ?? '{}',
      sent: v,
      valid: true,
      what: 'valid',
    })),
    ...mutated.map((m, i) => ({
      ...at(i),
      raw: m.raw,
      valid: m.valid ? null : false,
      what: `${m.kind}${m.at ? ` at ${m.at}` : ''}`,
    })),
  ];
}

const pct = (a: number, b: number) => (b ? (100 * a) / b : 100);
const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Drill: the oracles must catch a handler that throws (5xx), an error whose message carries a stack frame (leak) and
 * a handler that stores a row before refusing (stored-on-reject). The orders service's `pause` is replaced for three
 * requests and restored in `finally`.
 */
async function drill(
  ctx: Ctx,
  fpOf: () => Promise<string>,
): Promise<{ caught: number; of: number; details: string[] }> {
  const { t, world } = ctx;
  const route = t.app.routeRegistry.find((r) => routeKey(r) === 'POST /api/v1/orders/:id/pause');
  const svc = t.app.services.orders as unknown as Record<string, unknown>;
  if (!route || typeof svc.pause !== 'function')
    return { caught: 0, of: 3, details: ['drill route or service missing'] };
  const p = firstAllowed(routeKey(route));
  const cookie = p && p !== 'anonymous' ? world.cookies.get(p) : undefined;
  const original = svc.pause;
  const details: string[] = [];
  let caught = 0;
  try {
    const [probe] = probesOf(route, 1, 1);
    svc.pause = async () => {
      throw new Error('fuzz drill: the handler broke');
    };
    const fp = () => fingerprint(t.app);
    let s = newStats();
    await send(t.app, route, cookie, probe!, await fp(), s, fp);
    if (s.fivexx.length === 1) caught++;
    else details.push('drill: a throwing handler was not counted as 5xx');
    svc.pause = async () => {
      throw new AppError('CONFLICT', {
        en: 'Error: boom\n    at OrdersService.pause (/work/main/src/server/modules/orders/orders.service.ts:1:1)',
      });
    };
    s = newStats();
    await send(t.app, route, cookie, probe!, await fp(), s, fp);
    if (s.leaks.length === 1) caught++;
    else details.push('drill: a stack frame in an error body was not counted as a leak');
    // A handler that writes a row and then refuses (4xx) without rolling back: stored-on-reject, through the same
    // fingerprint (and its WAL fast path) the suite uses.
    svc.pause = async () => {
      await t.app.database.raw.query(
        `insert into idempotency_key (principal, key, method, path, request_hash, state, expires_at)
         values ('fuzz-drill', 'fuzz-drill', 'POST', '/drill', 'x', 'done', now())`,
      );
      throw new AppError('CONFLICT');
    };
    s = newStats();
    await send(t.app, route, cookie, probe!, await fpOf(), s, fpOf);
    if (s.storedOnReject.length === 1) caught++;
    else details.push('drill: a row stored by a refused request was not counted as stored-on-reject');
  } finally {
    svc.pause = original;
    await t.app.database.raw.query(`delete from idempotency_key where principal = 'fuzz-drill'`);
  }
  return { caught, of: 3, details };
}

/**
 * Every ID number the workers table holds, decrypted: each must be the normalised form and pass GB 11643. A completed
 * deletion request leaves an empty ciphertext (efile-queries.ts, eraseWorkerPersonalData): erased, not stored.
 */
async function storedIdNumbers(ctx: Ctx): Promise<{ checked: number; bad: string[] }> {
  const { t } = ctx;
  const rows = await t.app.database.raw.query<{ id: string; enc: string | null }>(
    `select id, id_number_enc as enc from worker where id_number_enc is not null and id_number_enc <> ''`,
  );
  const bad: string[] = [];
  for (const r of rows) {
    let plain: string;
    try {
      plain = t.app.pii.decrypt(r.enc!, 'worker.id_number');
    } catch {
      bad.push(`stored ID number of ${r.id} does not decrypt`);
      continue;
    }
    // Only the checksum and form are checked here: a birth date after "today" would be the clock's concern.
    const parsed = parseIdCard(plain, { today: '9999-12-31' });
    if (!parsed.ok || parsed.value.normalized !== plain)
      bad.push(
        `stored ID number of ${r.id} is not a normalised GB 11643 number (${parsed.ok ? 'form' : parsed.reason})`,
      );
  }
  return { checked: rows.length, bad };
}

export const fuzz: Suite = async (ctx) => {
  const { t, world, full, seed } = ctx;
  const n = full ? 100 : 10;
  const cache: { query?: string } = {};
  let fpMs = 0;
  let fpFull = 0;
  let fpCalls = 0;
  // Fast path: a request that wrote nothing left the WAL insert position where it was, so the row counts are the
  // last ones. Any write (even only to the audit trail) moves it, and then every table is counted again.
  let last: { lsn: string; f: string } | null = null;
  const fp = async () => {
    const at = performance.now();
    fpCalls++;
    const [row] = await t.app.database.raw.query<{ lsn: string }>(
      'select pg_current_wal_insert_lsn()::text as lsn',
    );
    const lsn = row?.lsn ?? '';
    if (!last || last.lsn !== lsn || !lsn) {
      fpFull++;
      last = { lsn, f: await fingerprint(t.app, cache) };
    }
    fpMs += performance.now() - at;
    return last.f;
  };
  const s = newStats();
  const noGenerator: string[] = [];
  const started = performance.now();
  const routes = t.app.routeRegistry.filter(
    (r) => ['POST', 'PATCH', 'PUT'].includes(r.method) && !authzMatrix[routeKey(r)]?.endsSession,
  );
  // ANXIN_FUZZ_FAKE_IDS=1 fills params with ids that name nothing (as before real ids): what the pool buys.
  const fakeIds = process.env.ANXIN_FUZZ_FAKE_IDS === '1';
  const used = [
    ...new Set(routes.map((r) => firstAllowed(routeKey(r))).filter((p) => p && p !== 'anonymous')),
  ];
  const staged = fakeIds ? null : await stageIds(ctx, used as Principal[]);
  const cookieOf = (p: Principal) =>
    p === 'anonymous' ? undefined : (staged?.cookies.get(p) ?? world.cookies.get(p));
  // `POST /things` → `GET /things/:id`, when the same principal may read it.
  const details = new Map(
    t.app.routeRegistry.filter((r) => r.method === 'GET' && r.url.endsWith('/:id')).map((r) => [r.url, r]),
  );
  let fuzzed = 0;
  let multipart = 0;
  for (const route of routes) {
    const key = routeKey(route);
    const p = firstAllowed(key);
    if (!p) continue;
    const cookie = staged?.routeCookies.get(key) ?? cookieOf(p);
    const ids = staged ? { pool: staged.pool, by: p } : undefined;
    const detail = details.get(`${route.url}/:id`);
    const readable =
      route.method === 'POST' && detail && isAllowed(authzMatrix[routeKey(detail)]?.allow ?? [], p)
        ? detail
        : undefined;
    let probes: Probe[];
    try {
      if (route.consumes?.some((c) => c.startsWith('multipart/'))) {
        probes = multipartProbes(
          route,
          n,
          (i) => urlOf(route, (seed + hash(key)) | 0, ids ? { ...ids, i } : undefined),
          (k, i) => {
            const c = ids?.pool.candidates(k, '', p) ?? [];
            return c.length ? c[i % Math.min(c.length, 4)] : undefined;
          },
        );
        multipart++;
      } else probes = probesOf(route, n, (seed + hash(key)) | 0, ids);
    } catch (e) {
      noGenerator.push(`${key}: ${(e as Error).message}`);
      continue;
    }
    fuzzed++;
    let before = await fp();
    for (const probe of probes)
      before = await send(
        t.app,
        route,
        cookie,
        probe,
        before,
        s,
        fp,
        ids ? { ...ids, detail: readable } : undefined,
      );
  }
  const idCheck = await storedIdNumbers(ctx);
  const dr = await drill(ctx, fp);
  const times = [...s.times].sort((a, b) => a - b);
  const p99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? 0;
  const slowest = times[times.length - 1] ?? 0;
  const reachedPct = pct(s.reached, s.valid);
  const pastLookupPct = pct(s.pastLookup, s.valid);
  const rt = s.roundTrip;
  const refusedPct = pct(s.refused, s.invalid);
  const below = [...s.perRoute]
    .filter(([, r]) => pct(r.reached, r.valid) < 90)
    .map(
      ([k, r]) =>
        `below the gate: ${k} reached ${r.reached}/${r.valid} (${[...r.codes].map(([c, m]) => `${c}×${m}`).join(', ')})`,
    );
  // Reported, not failed: routes whose every valid request still ended at the handler's lookup (no object to name).
  const notFound = [...s.perRoute]
    .filter(([, r]) => [...r.codes].every(([c]) => c.startsWith('404')))
    .map(
      ([k, r]) => `every valid request 404: ${k} (${[...r.codes].map(([c, m]) => `${c}×${m}`).join(', ')})`,
    );
  const generated = s.valid + s.invalid + s.mutatedValid;
  const passed =
    reachedPct >= 90 &&
    refusedPct === 100 &&
    !s.fivexx.length &&
    !s.storedOnReject.length &&
    !s.leaks.length &&
    !s.notProblem.length &&
    !noGenerator.length &&
    !rt.mismatches.length &&
    !idCheck.bad.length &&
    dr.caught === dr.of;
  return {
    name: 'fuzz',
    passed,
    line:
      `generated ${fmt(generated)} over ${fuzzed} write routes: valid ${fmt(s.valid)} → reached handlers ${reachedPct.toFixed(1)} % ` +
      `(2xx ${fmt(s.valid2xx)}, handler 4xx ${fmt(s.validHandler4xx)} of which its own VALIDATION_FAILED ${fmt(s.handlerValidation)}), ` +
      `past the handler's lookup (not 404) ${pastLookupPct.toFixed(1)} % with ${staged ? `real ids (pool ${fmt(staged.pool.size)}, staged in ${Math.round(staged.ms / 1000)} s)` : 'ids that name nothing'}, invalid ${fmt(s.invalid)} → refused ${refusedPct.toFixed(1)} % ` +
      `(+${fmt(s.mutatedValid)} mutated still valid); 5xx ${s.fivexx.length}; stored-on-reject ${s.storedOnReject.length}; ` +
      `leaks ${s.leaks.length}; not problem+json ${s.notProblem.length}; p99 ${Math.round(p99)} ms, slowest ${Math.round(slowest)} ms; ` +
      `multipart routes ${multipart}; round-trip: ${fmt(rt.fields)} fields over ${fmt(rt.resources)} resources checked, ${rt.mismatches.length} mismatches; ` +
      `stored ID numbers ${idCheck.checked} checked, ${idCheck.bad.length} failing GB 11643; drill caught ${dr.caught}/${dr.of}; ${Math.round((performance.now() - started) / 1000)} s ` +
      `(fingerprints ${Math.round(fpMs / 1000)} s, ${fmt(fpFull)} of ${fmt(fpCalls)} counted in full)`,
    figures: {
      generated,
      routes: fuzzed,
      valid: s.valid,
      reachedPct: Math.round(reachedPct * 10) / 10,
      valid2xx: s.valid2xx,
      pastLookupPct: Math.round(pastLookupPct * 10) / 10,
      multipartRoutes: multipart,
      roundTripFields: rt.fields,
      roundTripResources: rt.resources,
      roundTripMismatches: rt.mismatches.length,
      idNumbersChecked: idCheck.checked,
      idNumbersBad: idCheck.bad.length,
      validHandler4xx: s.validHandler4xx,
      handlerValidation: s.handlerValidation,
      invalid: s.invalid,
      refusedPct: Math.round(refusedPct * 10) / 10,
      fivexx: s.fivexx.length,
      storedOnReject: s.storedOnReject.length,
      leaks: s.leaks.length,
      notProblem: s.notProblem.length,
      p99Ms: Math.round(p99),
      slowestMs: Math.round(slowest),
      drillCaught: dr.caught,
    },
    details: [
      ...s.fivexx,
      ...s.storedOnReject,
      ...s.leaks,
      ...s.notProblem,
      ...s.accepted,
      ...rt.mismatches.map((m) => `round-trip: ${m}`),
      ...idCheck.bad,
      ...noGenerator.map((x) => `no generator: ${x}`),
      ...dr.details,
      ...below,
      ...notFound,
    ],
  };
};

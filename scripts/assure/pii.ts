// P5 / ASVS 14.2.4, 14.2.6, 16.2.5: planted ID numbers, phones and a home address never appear in plaintext in the
// database (every column, audit log included), in the application's logs, or in any response to a caller who may
// not see them; the masked forms appear where test/data-inventory.ts says. Runs on its own app whose pino output is
// captured at the production log level. Last, on the suite's own database, a PII_KEY rotation (ASVS 11.2.2): key v2
// with v1 retired, the real crypto:switch reseal, then every token checked with an app that has only key v2.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableName } from 'drizzle-orm';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, piiOptionsOf } from '../../src/server/config.js';
import { runProfileSwitch, SWITCH_TARGETS, type SwitchTarget } from '../../src/server/crypto-switch.js';
import { createPii } from '../../src/server/platform/pii/index.js';
import { buildTestApp, registerResident, type TestApp, YEAR_LONG_SESSIONS } from '../../test/app.js';
import { dataInventory } from '../../test/data-inventory.js';
import { account, company } from '../../test/factories/workers.js';
import { authzMatrix, principals, type Principal } from '../../test/authz-matrix.js';
import { createPrincipals } from '../../test/support/principals.js';
import { routeKey } from '../../test/support/authz-walk.js';
import { makeIdCard, maskAddress, maskIdCard, maskMobile } from '../../src/shared/validators/index.js';
import { CONSENT_VERSION } from '../../src/server/modules/workers/index.js';
import {
  DOC_NEEDLES,
  pdfAllText,
  taggedDocx,
  taggedMp4,
  taggedPdf,
  taggedWebm,
  unzipParts,
} from '../../src/server/platform/storage/__tests__/document-fixtures.js';
import { GPS_TEXT, tinyJpeg } from '../../src/server/platform/storage/__tests__/image-fixtures.js';
import { book, hourly, inject, priceItem, slot, type Suite } from './support.js';
import { skipWithoutClamd, startClamd } from '../../test/support/clamd.js';
import { malwareUploads } from './malware.js';

export interface Canary {
  label: string;
  value: string;
  /** Principals that may see the full value by design (the inventory's "full to …"). */
  fullTo: Principal[];
}

/**
 * Plaintext the project knows about, by `<table.column>|<canary>`: 'allowed' where the inventory declares the column
 * plain for exactly this data, 'gap' where it is a known product gap (printed, listed in docs/security.md).
 * Anything else found in plaintext fails the suite.
 */
export const allowedPlaintext: Record<string, string> = {
  'user.phone_number|account phone':
    'the account phone is the sign-in identifier, stored plain by design (inventory: atRest plain)',
  'user.email|account phone':
    'better-auth needs an e-mail: the synthetic <phone>@phone.anxin.invalid embeds the phone (inventory: personal, atRest plain, never shown)',
};
export const knownPlaintext: Record<string, string> = {};

export const pii: Suite = async ({ seed }) => {
  const logLines: string[] = [];
  // ASVS 5.4.3: uploads are scanned by a real clamd (test signature only); without one (not CI) the line says so.
  const clamd = skipWithoutClamd() ? null : await startClamd();
  // Keys of this run only, so the rotation step can retire PII_KEY as v1 (and the restarted app accepts the cookies).
  const keys = {
    PII_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    AUTH_SECRET: randomBytes(32).toString('base64'),
  };
  const t = await buildTestApp(
    { LOG_LEVEL: 'info', ...keys, ...(clamd ? { ANTIVIRUS_CLAMD: clamd.address } : {}) },
    { logStream: { write: (l: string) => void logLines.push(l) } },
  );
  try {
    const world = await createPrincipals(t.app);
    const n = 100 + (seed % 800);
    const pad = (x: number, w: number) => String(x).padStart(w, '0');
    const idA = makeIdCard('440106', '1966-06-16', n);
    const idB = makeIdCard('440106', '1955-05-15', n);
    const phoneWorker = `166${pad((seed * 7919 + 1234567) % 100_000_000, 8)}`;
    const phoneResident = `177${pad((seed * 104729 + 7654321) % 100_000_000, 8)}`;
    const address = `广州市天河区金丝雀路${n}号${(n % 30) + 1}栋${1000 + n}室`;
    const canaries: Canary[] = [
      { label: 'worker ID number', value: idA, fullTo: ['regulator'] },
      { label: 'worker ID number (middle digits)', value: idA.slice(4, 14), fullTo: ['regulator'] },
      { label: 'company-entered ID number', value: idB, fullTo: ['regulator'] },
      { label: 'company-entered worker phone', value: phoneWorker, fullTo: [] },
      { label: 'account phone', value: phoneResident, fullTo: [] },
      { label: 'order address', value: address, fullTo: [] },
      { label: 'order address (street)', value: `金丝雀路${n}号`, fullTo: [] },
    ];
    // Plant them through the real routes.
    const resident = await registerResident(t, { phone: phoneResident, name: '林女士' });
    const wa = await account(t, [{ role: 'resident' }], '黄秀兰');
    const regA = await inject(t, 'POST', '/api/v1/workers/me', wa.cookie, {
      name: '黄秀兰',
      idNumber: idA,
      district: '440106',
      categories: ['cleaning'],
      consent: { version: CONSENT_VERSION, accepted: true },
    });
    if (regA.statusCode !== 201) throw new Error(`worker registration failed: ${regA.body}`);
    const workerA = regA.json().id as string;
    const co = await company(t, '金丝雀家政服务');
    const regB = await inject(t, 'POST', `/api/v1/companies/${co.orgId}/workers`, co.cookie, {
      name: '吴桂英',
      idNumber: idB,
      phone: phoneWorker,
      district: '440106',
      categories: ['cleaning'],
    });
    if (regB.statusCode !== 201) throw new Error(`company registration failed: ${regB.body}`);
    const workerB = regB.json().id as string;
    const itemId = await priceItem(t, co);
    const booked = await book(
      t,
      resident.cookie,
      hourly(itemId, null, slot(t, 30), 2, address),
      `assure-pii-${seed}`,
    );
    if (booked.statusCode !== 201) throw new Error(`booking failed: ${booked.body}`);
    const orderId = booked.json().id as string;
    // The company reads the full address (an audited read), as it must to send someone.
    await inject(t, 'GET', `/api/v1/orders/${orderId}`, co.cookie);

    // 1. Every column of every table (audit_log included), cast to text.
    const { dbHits, known, allowed, auditRows, auditHits, tables, columns } = await scanDatabase(t, canaries);

    // 2. The application's own log lines.
    const logText = logLines.join('');
    const logHits = canaries.filter((c) => logText.includes(c.value)).map((c) => `logs: ${c.label}`);

    // 3. Every GET route, as every principal, with the planted objects' ids filled in.
    const ids: Record<string, string[]> = {
      worker: [workerA, workerB],
      order: [orderId],
      org: [co.orgId],
      user: [resident.user.id, wa.userId],
    };
    const all = Object.values(ids).flat();
    const candidatesFor = (param: string): string[] => {
      if (/^(orgId|companyId)$/.test(param)) return ids.org!;
      if (/^workerId$/.test(param)) return ids.worker!;
      if (/^orderId$/.test(param)) return ids.order!;
      if (/^userId$/.test(param)) return ids.user!;
      return all;
    };
    const urlsFor = (url: string): string[] => {
      const params = [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
      let out = [url];
      for (const p of params) out = out.flatMap((u) => candidatesFor(p).map((v) => u.replace(`:${p}`, v)));
      return out;
    };
    const gets = t.app.routeRegistry.filter((r) => r.method === 'GET' && authzMatrix[routeKey(r)]);
    let probes = 0;
    const responseHits: string[] = [];
    for (const route of gets) {
      for (const url of urlsFor(route.url)) {
        for (const p of principals) {
          const cookie = p === 'anonymous' ? undefined : world.cookies.get(p);
          const res = await inject(t, 'GET', url, cookie);
          probes++;
          for (const c of canaries)
            if (!c.fullTo.includes(p) && res.body.includes(c.value))
              responseHits.push(`${p} ${routeKey(route)} (${res.statusCode}) shows the ${c.label}`);
        }
      }
    }

    // 4. Masked forms where the inventory says masked.
    const masks: [string, boolean][] = [];
    const listed = await inject(t, 'GET', `/api/v1/companies/${co.orgId}/workers`, co.cookie);
    masks.push([
      `worker.id_number_enc to the registering company: ${maskIdCard(idB)}`,
      listed.body.includes(maskIdCard(idB)) && !listed.body.includes(idB),
    ]);
    const seenByCompany = await inject(t, 'GET', `/api/v1/orders/${orderId}`, co.cookie);
    masks.push([
      `user.phone_number (the resident) to the company: ${maskMobile(phoneResident)}`,
      seenByCompany.body.includes(maskMobile(phoneResident)) && !seenByCompany.body.includes(phoneResident),
    ]);
    const seenByRegulator = await inject(
      t,
      'GET',
      `/api/v1/orders/${orderId}`,
      world.cookies.get('regulator'),
    );
    masks.push([
      `service_order.address_enc to a regulator: ${maskAddress(address)}`,
      seenByRegulator.statusCode === 200 &&
        seenByRegulator.body.includes(maskAddress(address)) &&
        !seenByRegulator.body.includes(address),
    ]);
    const maskFails = masks.filter(([, ok]) => !ok).map(([what]) => `mask missing: ${what}`);

    // 5. Drill: remove one mask the way a bug would (the stored masked address becomes the full one) and expect the
    // database scan and the regulator's response to catch it; then put the masked value back.
    const addressCanary = canaries.find((c) => c.label === 'order address')!;
    const [orig] = await t.app.database.raw.query<{ m: string }>(
      'select address_masked as m from service_order where id = $1',
      [orderId],
    );
    await t.app.database.raw.query('update service_order set address_masked = $1 where id = $2', [
      address,
      orderId,
    ]);
    const drillDb = (await scanTable(t, 'service_order', addressCanary)).some(
      (h) => h.column === 'address_masked' && h.hits,
    );
    const drillRes = await inject(t, 'GET', `/api/v1/orders/${orderId}`, world.cookies.get('regulator'));
    const drillSeen = drillRes.body.includes(address);
    await t.app.database.raw.query('update service_order set address_masked = $1 where id = $2', [
      orig?.m,
      orderId,
    ]);
    const drillCaught = Number(drillDb) + Number(drillSeen);
    if (drillCaught < 2)
      maskFails.push(
        `removed-mask drill caught ${drillCaught}/2 (database ${drillDb}, regulator response ${drillSeen})`,
      );
    const inventoryMasked = Object.values(dataInventory).filter(
      (e) => e.personal && /masked/.test(e.shown),
    ).length;

    // ASVS 14.2.8: a phone photo (Exif GPS, XMP, comment) stored through the app's one storage, which every module's
    // upload goes through, keeps none of its metadata.
    const photoKey = `assure/photo-${seed}.jpg`;
    await t.app.storage.put(photoKey, tinyJpeg([[90, 200]], { metadata: true }));
    const photoGps = (await t.app.storage.get(photoKey)).includes(Buffer.from(GPS_TEXT, 'latin1'));
    await t.app.storage.delete(photoKey);
    if (photoGps) maskFails.push('a photo stored through app.storage kept its Exif GPS position');
    // ASVS 5.2 / 14.2.8: a PDF, a DOCX and lesson videos keep no author or location either.
    const docsKept: string[] = [];
    for (const [name, data, read] of [
      ['pdf', await taggedPdf(), pdfAllText],
      [
        'docx',
        taggedDocx(),
        async (b: Buffer) =>
          Object.values(unzipParts(b))
            .map((u) => Buffer.from(u).toString('utf8'))
            .join(),
      ],
      ['mp4', taggedMp4(), async (b: Buffer) => b.toString('latin1')],
      ['webm', taggedWebm(), async (b: Buffer) => b.toString('latin1')],
    ] as const) {
      const key = `assure/doc-${seed}.${name}`;
      await t.app.storage.put(key, data);
      const stored = await read(await t.app.storage.get(key));
      await t.app.storage.delete(key);
      if (DOC_NEEDLES.some((n) => stored.includes(n))) docsKept.push(name);
    }
    if (docsKept.length)
      maskFails.push(
        `documents stored through app.storage kept author/location metadata: ${docsKept.join(', ')}`,
      );
    const malware = clamd ? await malwareUploads(t) : null;
    if (malware) maskFails.push(...malware.details);

    // 6. Last (the suite's app keeps key v1 only, so nothing after this may use it): rotate PII_KEY on this database.
    const rotation = await keyRotation(t, {
      keys,
      sealed: [
        {
          label: 'worker ID number',
          value: idA,
          table: 'worker',
          column: 'id_number_enc',
          rowId: workerA,
          aad: 'worker.id_number',
          index: { column: 'id_number_hash', purpose: 'worker.id_number' },
        },
        {
          label: 'company-entered ID number',
          value: idB,
          table: 'worker',
          column: 'id_number_enc',
          rowId: workerB,
          aad: 'worker.id_number',
          index: { column: 'id_number_hash', purpose: 'worker.id_number' },
        },
        {
          label: 'company-entered worker phone',
          value: phoneWorker,
          table: 'worker',
          column: 'phone_enc',
          rowId: workerB,
          aad: 'worker.phone',
          index: { column: 'phone_hash', purpose: 'worker.phone' },
        },
        {
          label: 'order address',
          value: address,
          table: 'service_order',
          column: 'address_enc',
          rowId: orderId,
          aad: 'service_order.address',
        },
      ],
      reads: [
        {
          label: 'worker ID number (the worker)',
          value: idA,
          url: '/api/v1/workers/me',
          cookie: wa.cookie,
          field: 'idNumber',
        },
        {
          label: 'order address (the resident)',
          value: address,
          url: `/api/v1/orders/${orderId}`,
          cookie: resident.cookie,
          field: 'address',
        },
      ],
      canaries,
    });

    const details = [...dbHits, ...logHits, ...responseHits, ...maskFails, ...rotation.details];
    return {
      name: 'pii',
      passed: details.length === 0,
      line: `${canaries.length} canaries (2 ID numbers, 2 phones, 1 address + fragments); DB ${tables} tables/${columns} columns: plaintext ${dbHits.length} (known gaps ${known.size}; allowed by the inventory ${allowed.size}: ${[...allowed].join(', ')}); audit rows ${auditRows}: ${auditHits} hits; log lines ${logLines.length}: ${logHits.length} hits; GET probes ${probes}: unauthorized views ${responseHits.length}; masked forms ${masks.filter(([, ok]) => ok).length}/${masks.length} (inventory lists ${inventoryMasked} masked columns); removed-mask drill caught ${drillCaught}/2; photo GPS metadata stored ${photoGps ? 'YES' : 'no'}; document author metadata stored ${docsKept.length ? `YES (${docsKept.join(', ')})` : 'no'} (PDF, DOCX, MP4, WebM); ${malware ? `EICAR uploads ${malware.attempts} (worker document, complaint evidence, content attachment): refused FILE_INFECTED ${malware.refused}, malware uploads stored ${malware.stored}; clean PDFs stored ${malware.cleanStored}/${malware.attempts}` : 'malware scan not run (clamd not installed)'}; ${rotation.line}`,
      figures: {
        canaries: canaries.length,
        columns,
        dbPlaintext: dbHits.length,
        knownPlaintext: known.size,
        allowedPlaintext: allowed.size,
        auditRows,
        auditHits,
        logLines: logLines.length,
        logHits: logHits.length,
        probes,
        unauthorizedViews: responseHits.length,
        masksOk: masks.filter(([, ok]) => ok).length,
        drillCaught,
        masks: masks.length,
        photoGpsKept: Number(photoGps),
        documentMetadataKept: docsKept.length,
        malwareAttempts: malware?.attempts ?? 0,
        malwareStored: malware?.stored ?? 0,
        ...rotation.figures,
      },
      details,
      knownGaps: [...known],
    };
  } finally {
    await t.close();
    await clamd?.close();
  }
};

/** Rows per column of one table that hold the canary as a substring of the column's text form. */
async function scanTable(t: TestApp, table: string, canary: Canary, columns?: string[]) {
  const cols = columns ?? (await columnsByTable(t)).get(table) ?? [];
  const sel = cols.map((c, i) => `count(*) filter (where "${c}"::text like $1) as c${i}`).join(', ');
  const [row] = await t.app.database.raw.query<Record<string, string | number>>(
    `select ${sel} from "${table}"`,
    [`%${canary.value}%`],
  );
  return cols.map((c, i) => ({ column: c, hits: Number(row?.[`c${i}`] ?? 0) }));
}

async function columnsByTable(t: TestApp, types?: string[]): Promise<Map<string, string[]>> {
  const cols = await t.app.database.raw.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
      where table_schema = 'public' and table_name not like '\\_\\_%' ${types ? 'and data_type = any($1)' : ''}
      order by table_name, ordinal_position`,
    types ? [types] : [],
  );
  const byTable = new Map<string, string[]>();
  for (const c of cols) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
  return byTable;
}

const labelOf = (l: string) => l.replace(/ \(.*\)$/, '');

/**
 * Every column of every table (audit_log included), cast to text, searched for each canary: plaintext hits not
 * allowed by the inventory or listed as a known gap, and the audit log's share.
 */
export async function scanDatabase(t: TestApp, canaries: Canary[]) {
  const byTable = await columnsByTable(t);
  const dbHits: string[] = [];
  const known = new Set<string>();
  const allowed = new Set<string>();
  let auditRows = 0;
  let auditHits = 0;
  for (const [table, columns] of byTable) {
    for (const canary of canaries) {
      for (const { column: c, hits } of await scanTable(t, table, canary, columns)) {
        if (!hits) continue;
        const where = `${table}.${c}`;
        if (table === 'audit_log') auditHits += hits;
        const knownKey = `${where}|${labelOf(canary.label)}`;
        if (allowedPlaintext[knownKey]) allowed.add(where);
        else if (knownPlaintext[knownKey])
          known.add(`${where} holds the ${labelOf(canary.label)} in plaintext`);
        else dbHits.push(`${where}: ${canary.label} in plaintext (${hits} rows)`);
      }
    }
    if (table === 'audit_log') {
      const [r] = await t.app.database.raw.query<{ n: string }>('select count(*) as n from audit_log');
      auditRows = Number(r?.n ?? 0);
    }
  }
  const columns = [...byTable.values()].reduce((n, c) => n + c.length, 0);
  return { dbHits, known, allowed, auditRows, auditHits, tables: byTable.size, columns };
}

/** A planted value sealed in one row, read back after the rotation and found again by its blind index. */
export interface SealedCanary {
  label: string;
  value: string;
  table: string;
  /** The encrypted column, the row's `id`, and the associated data the app binds the token to. */
  column: string;
  rowId: string;
  aad: string;
  /** The blind-index column that finds the row by the value, and its purpose. */
  index?: { column: string; purpose: string };
}

/** A route that shows a sealed canary in full to `cookie`'s principal, in the JSON field `field`. */
export interface AppRead {
  label: string;
  value: string;
  url: string;
  cookie: string;
  field: string;
}

export interface RotationOptions {
  /** The suite app's settings: PII_KEY (becomes the retired version), PII_HASH_KEY, AUTH_SECRET. */
  keys: { PII_KEY: string; PII_HASH_KEY: string; AUTH_SECRET: string };
  sealed: SealedCanary[];
  reads: AppRead[];
  /** Searched for in plaintext in every column after the rotation, and in the restarted app's logs. */
  canaries: Canary[];
  /** What the reseal walks (default: crypto:switch's SWITCH_TARGETS); a drill passes fewer, as a forgetful switch would. */
  targets?: SwitchTarget[];
}

// A PII token anywhere in a column's text (a jsonb value too): format, key version, IV and tag of either profile.
const TOKEN_PATTERN = '(v1|g1)\\.([0-9]+)\\.[A-Za-z0-9_-]{16,22}\\.[A-Za-z0-9_-]{22,43}\\.';

/** Tokens per `table.column` and kind (`intl key v2`), found by pattern in every text and JSON column. */
async function tokenCensus(t: TestApp): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  const byTable = await columnsByTable(t, ['text', 'character varying', 'json', 'jsonb', 'ARRAY']);
  for (const [table, columns] of byTable) {
    const values = columns.map((c, i) => `(${i}, "${c}"::text)`).join(', ');
    const rows = await t.app.database.raw.query<{ c: number; f: string; v: string; n: string | number }>(
      `select x.c, m.g[1] as f, m.g[2] as v, count(*) as n
         from "${table}" cross join lateral (values ${values}) as x(c, txt)
         cross join lateral regexp_matches(x.txt, $1, 'g') as m(g)
        group by 1, 2, 3`,
      [TOKEN_PATTERN],
    );
    for (const r of rows) {
      const where = `${table}.${columns[Number(r.c)]}`;
      const kinds = out.get(where) ?? new Map<string, number>();
      const kind = `${r.f === 'g1' ? 'gm' : 'intl'} key v${Number(r.v)}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + Number(r.n));
      out.set(where, kinds);
    }
  }
  return out;
}

/**
 * The key-rotation step: key v(n+1) with the suite's key retired as v(n), the real reseal (crypto:switch's
 * runProfileSwitch, dry run first), then, with an app restarted with only the new key: every token in every column
 * is of the new version and opens, the planted values read back (stored tokens and routes), blind-index lookups find
 * their rows, and no canary is stored or logged in plaintext. Any miss is a detail (the suite fails).
 */
export async function keyRotation(t: TestApp, o: RotationOptions) {
  const db = t.app.database.db;
  const from = t.app.pii.keyVersion;
  const to = from + 1;
  const profile = t.app.pii.profile;
  const current = `${profile} key v${to}`;
  const newKey = randomBytes(32).toString('base64');
  const dataDir = mkdtempSync(join(tmpdir(), 'anxin-rotate-'));
  const envWith = (extra: Record<string, string>) => ({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    JOBS: 'off',
    SEED_DEMO: 'never',
    ...YEAR_LONG_SESSIONS,
    PII_HASH_KEY: o.keys.PII_HASH_KEY,
    AUTH_SECRET: o.keys.AUTH_SECRET,
    PII_CRYPTO_PROFILE: profile,
    PII_KEY: newKey,
    PII_KEY_VERSION: String(to),
    ...extra,
  });
  const details: string[] = [];
  // What the operator's crypto:switch builds after the restart with PII_OLD_KEYS=<old version>:<old key>.
  const rotating = createPii(
    piiOptionsOf(loadConfig(envWith({ PII_OLD_KEYS: `${from}:${o.keys.PII_KEY}` }))),
  );
  const targets = o.targets ?? SWITCH_TARGETS;
  const plan = await runProfileSwitch({ db, pii: rotating, dryRun: true, targets });
  const plannedRows = Object.values(plan.remaining).reduce((n, x) => n + x, 0);
  const started = performance.now();
  const run = await runProfileSwitch({ db, pii: rotating, targets, clock: () => t.clock.now });
  const ms = Math.round(performance.now() - started);
  const resealed = run.tables.reduce((n, x) => n + x.resealed, 0);
  if (run.status !== 'done') details.push(`key rotation: the reseal ended ${run.status}`);
  if (resealed === 0) details.push('key rotation: nothing was resealed, so the drill proved nothing');

  // Every token, wherever it is: of the new version only.
  const census = await tokenCensus(t);
  let tokens = 0;
  let leftOnOld = 0;
  let leftOther = 0;
  for (const [where, kinds] of census) {
    for (const [kind, n] of kinds) {
      tokens += n;
      if (kind === current) continue;
      if (kind === `${profile} key v${from}`) leftOnOld += n;
      else leftOther += n;
      details.push(
        `key rotation: ${where} holds ${n} tokens of ${kind} after the reseal (${current} expected)`,
      );
    }
  }
  const sealedColumns = new Set(
    SWITCH_TARGETS.flatMap((x) => x.sealed.map((c) => `${getTableName(x.table)}.${c.column.name}`)),
  );
  for (const where of census.keys())
    if (!sealedColumns.has(where))
      details.push(`key rotation: ${where} holds PII tokens but crypto:switch does not reseal it`);

  // The old key removed: an app restarted with the new key only.
  const logLines: string[] = [];
  const env = envWith({});
  const app = await buildApp({
    config: loadConfig(env),
    database: t.database,
    sms: t.sms,
    clock: () => t.clock.now,
    webRoot: join(dataDir, 'no-web'),
    logStream: { write: (l: string) => void logLines.push(l) },
  });
  let opened = 0;
  let unopened = 0;
  let canariesRead = 0;
  let lookups = 0;
  let appReads = 0;
  let plaintext: string[] = [];
  try {
    const only = app.pii;
    for (const target of SWITCH_TARGETS) {
      const table = getTableName(target.table);
      const keyCols = target.key.map((k, i) => `"${k.name}" as k${i}`).join(', ');
      for (const c of target.sealed) {
        const expr = c.jsonField ? `"${c.column.name}"->>'${c.jsonField}'` : `"${c.column.name}"`;
        const rows = await t.app.database.raw.query<Record<string, unknown>>(
          `select ${keyCols}, ${expr} as tok from "${table}" where ${expr} <> ''`,
        );
        let bad = 0;
        for (const r of rows) {
          try {
            only.decrypt(r.tok as string, c.aad(r));
            opened++;
          } catch {
            bad++;
          }
        }
        unopened += bad;
        if (bad)
          details.push(
            `key rotation: ${bad} tokens of ${table}.${c.column.name} do not open with key v${to} alone`,
          );
      }
    }
    for (const s of o.sealed) {
      const [row] = await t.app.database.raw.query<{ tok: string | null }>(
        `select "${s.column}" as tok from "${s.table}" where id = $1`,
        [s.rowId],
      );
      let value: string | null = null;
      try {
        value = row?.tok ? only.decrypt(row.tok, s.aad) : null;
      } catch {
        // Does not open with the new key alone: named below as not read back.
      }
      if (value === s.value) canariesRead++;
      else details.push(`key rotation: the ${s.label} does not read back with key v${from} removed`);
      if (s.index) {
        const found = await t.app.database.raw.query<{ id: string }>(
          `select id from "${s.table}" where "${s.index.column}" = any($1)`,
          [only.blindIndexes(s.value, s.index.purpose)],
        );
        if (found.some((f) => f.id === s.rowId)) lookups++;
        else
          details.push(
            `key rotation: a lookup of the ${s.label} by ${s.table}.${s.index.column} misses its row`,
          );
      }
    }
    for (const r of o.reads) {
      const res = await app.inject({ method: 'GET', url: r.url, headers: { cookie: r.cookie } });
      let shown: unknown;
      try {
        shown = (res.json() as Record<string, unknown>)[r.field];
      } catch {
        // Not JSON (a crash page): named below with its status.
      }
      if (res.statusCode === 200 && shown === r.value) appReads++;
      else
        details.push(
          `key rotation: ${r.label} through GET ${r.url} with key v${from} removed: ${res.statusCode}`,
        );
    }
    plaintext = (await scanDatabase(t, o.canaries)).dbHits;
    const logText = logLines.join('');
    plaintext.push(
      ...o.canaries.filter((c) => logText.includes(c.value)).map((c) => `restarted app's logs: ${c.label}`),
    );
    details.push(...plaintext.map((p) => `key rotation: ${p}`));
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const indexed = o.sealed.filter((s) => s.index).length;
  return {
    details,
    line: `key rotation v${from}→v${to}: dry run ${plannedRows} rows to reseal; ${resealed} tokens resealed in ${ms} ms, ${leftOnOld} left on v${from}${leftOther ? `, ${leftOther} of other kinds` : ''} (${tokens} tokens in ${census.size} columns; ${opened} open with key v${to} alone, ${unopened} do not), canaries read with v${from} removed ${canariesRead}/${o.sealed.length} (through the app ${appReads}/${o.reads.length}), blind-index lookups ${lookups}/${indexed}, plaintext after ${plaintext.length}`,
    figures: {
      rotationPlannedRows: plannedRows,
      rotationResealed: resealed,
      rotationMs: ms,
      rotationTokens: tokens,
      rotationLeftOnOld: leftOnOld,
      rotationLeftOther: leftOther,
      rotationUnopened: unopened,
      rotationCanariesRead: canariesRead,
      rotationCanaries: o.sealed.length,
      rotationAppReads: appReads,
      rotationLookups: lookups,
      rotationPlaintext: plaintext.length,
    },
  };
}

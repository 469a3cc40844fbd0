import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableName } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import {
  dryRunReport,
  ONE_WAY_HASHES,
  runProfileSwitch,
  SWITCH_TARGETS,
} from '../src/server/crypto-switch.js';
import { setAuditHashAlg, verifyAuditChain } from '../src/server/platform/audit/audit.js';
import type { Pii, PiiProfile } from '../src/server/platform/pii/index.js';
import { CONSENT_VERSION } from '../src/server/modules/workers/index.js';
import { makeIdCard } from '../src/shared/validators/index.js';
import { buildTestApp, type TestApp, uniquePhone } from './app.js';
import { dataInventory } from './data-inventory.js';
import { plantClaim, plantContract, plantDemand, plantOrder, retentionBase } from './factories/retention.js';
import { signInWithPassword } from './factories/sign-in.js';
import { company, PASSWORD, selfWorker } from './factories/workers.js';

// One deployment's database, filled under intl, then served by an app configured gm (and later intl again).
const keys = {
  PII_KEY: randomBytes(32).toString('base64'),
  PII_HASH_KEY: randomBytes(32).toString('base64'),
  // Shared too, so a session cookie from one app process is good on the others.
  AUTH_SECRET: randomBytes(32).toString('base64'),
};
let t: TestApp;
const others: FastifyInstance[] = [];

/** Another app process on the same database with the given profile (what a restart with a new env does). */
async function appWith(profile: PiiProfile): Promise<FastifyInstance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-switch-')),
    LOG_LEVEL: 'silent',
    JOBS: 'off',
    SEED_DEMO: 'never',
    RATE_LIMIT_AUTH: '100000',
    RATE_LIMIT_OTP: '100000',
    RATE_LIMIT_GLOBAL: '1000000',
    ...keys,
    PII_CRYPTO_PROFILE: profile,
  });
  const app = await buildApp({ config, database: t.database, sms: t.sms, clock: () => t.clock.now });
  others.push(app);
  return app;
}

let idSeq = 0;
const newIdNumber = () =>
  makeIdCard('110101', `1985-03-0${(idSeq % 9) + 1}`, (process.pid + ++idSeq * 37) % 1000);

const post = (app: FastifyInstance, url: string, payload: object, cookie?: string) =>
  app.inject({ method: 'POST', url, payload, ...(cookie ? { headers: { cookie } } : {}) });

/** Every encrypted and blind-indexed value, as text, to compare before and after a run. */
async function snapshot(): Promise<string[]> {
  const out: string[] = [];
  for (const target of SWITCH_TARGETS) {
    const cols = [
      ...target.key,
      ...target.sealed.map((c) => c.column),
      ...target.indexes.map((c) => c.column),
    ];
    const rows = await t.database.raw.query<Record<string, unknown>>(
      `select ${cols.map((c) => `"${c.name}"::text as "${c.name}"`).join(', ')} from "${getTableName(target.table)}" order by 1`,
    );
    for (const r of rows) out.push(`${getTableName(target.table)}:${JSON.stringify(r)}`);
  }
  return out;
}

/** Tokens of `profile`'s format left in any encrypted column. */
async function tokensIn(profile: PiiProfile): Promise<number> {
  const prefix = profile === 'gm' ? 'g1.%' : 'v1.%';
  let n = 0;
  for (const target of SWITCH_TARGETS) {
    for (const c of target.sealed) {
      const expr = c.jsonField ? `"${c.column.name}"->>'${c.jsonField}'` : `"${c.column.name}"`;
      const [r] = await t.database.raw.query<{ n: string }>(
        `select count(*) as n from "${getTableName(target.table)}" where ${expr} like $1`,
        [prefix],
      );
      n += Number(r!.n);
    }
  }
  return n;
}

/** Each worker's and invitation's blind indexes, checked against what `pii` computes for `profile` from the plaintext. */
async function indexesAreAll(pii: Pii, profile: PiiProfile): Promise<{ checked: number; wrong: number }> {
  let checked = 0;
  let wrong = 0;
  const workers = await t.database.raw.query<Record<string, string | null>>(
    `select id_number_enc, id_number_hash, phone_enc, phone_hash from worker where id_number_hash ~ '^[0-9a-f]{64}$'`,
  );
  for (const w of workers) {
    checked++;
    const id = pii.decrypt(w.id_number_enc!, 'worker.id_number');
    if (w.id_number_hash !== pii.blindIndexAs(profile, id, 'worker.id_number')) wrong++;
    if (w.phone_enc) {
      checked++;
      if (
        w.phone_hash !== pii.blindIndexAs(profile, pii.decrypt(w.phone_enc, 'worker.phone'), 'worker.phone')
      )
        wrong++;
    }
  }
  const invites = await t.database.raw.query<{ phone_enc: string; phone_hash: string }>(
    'select phone_enc, phone_hash from org_invitation',
  );
  for (const i of invites) {
    checked++;
    const phone = pii.decrypt(i.phone_enc, 'org_invitation.phone');
    if (i.phone_hash !== pii.blindIndexAs(profile, phone, 'org_invitation.phone')) wrong++;
  }
  return { checked, wrong };
}

// Filled under intl.
let employer: Awaited<ReturnType<typeof company>>;
let workers: Awaited<ReturnType<typeof selfWorker>>[];
const pending: { phone: string; idNumber: string; code: string }[] = [];
let invitee: string;

beforeAll(async () => {
  t = await buildTestApp({ ...keys, PII_CRYPTO_PROFILE: 'intl' });
  employer = await company(t);
  workers = [await selfWorker(t), await selfWorker(t), await selfWorker(t)];
  for (let i = 0; i < 3; i++) {
    const phone = uniquePhone();
    const idNumber = newIdNumber();
    const res = await post(
      t.app,
      `/api/v1/companies/${employer.orgId}/workers`,
      { name: '代登阿姨', idNumber, categories: ['cleaning'], phone },
      employer.cookie,
    );
    expect(res.statusCode, res.body).toBe(201);
    pending.push({ phone, idNumber, code: t.sms.latest(phone)!.code });
  }
  invitee = uniquePhone();
  const inv = await post(
    t.app,
    `/api/v1/orgs/${employer.orgId}/invitations`,
    { phone: invitee, role: 'staff' },
    employer.cookie,
  );
  expect(inv.statusCode, inv.body).toBe(201);
  const base = await retentionBase(t);
  const at = new Date(t.clock.now.getTime() - 86_400_000);
  await plantOrder(t, base, 'closed', at);
  await plantDemand(t, base, 'closed', at);
  await plantContract(t, base, 'signed', at);
  await plantClaim(t, base, 'paid', at);
}, 120_000);

afterAll(async () => {
  for (const a of others) await a.close();
  await t?.close();
  setAuditHashAlg('sha256');
});

describe('crypto profile switch', () => {
  test('every encrypted or keyed-hash column of the data inventory is switched or declared one-way', () => {
    const sealed = new Set(
      SWITCH_TARGETS.flatMap((x) => x.sealed.map((c) => `${getTableName(x.table)}.${c.column.name}`)),
    );
    const indexed = new Set(
      SWITCH_TARGETS.flatMap((x) => x.indexes.map((c) => `${getTableName(x.table)}.${c.column.name}`)),
    );
    for (const [col, e] of Object.entries(dataInventory)) {
      if (!e.personal) continue;
      if (e.atRest === 'aes-256-gcm') expect(sealed.has(col), col).toBe(true);
      if (e.atRest === 'keyed-hash') expect(indexed.has(col) || col in ONE_WAY_HASHES, col).toBe(true);
    }
  });

  test('intl → gm: lookups work during and after, nothing of intl is left, a second run changes nothing, and back', async () => {
    expect(await tokensIn('intl')).toBeGreaterThan(10);
    expect(await tokensIn('gm')).toBe(0);

    // The deployment restarts with PII_CRYPTO_PROFILE=gm; the job has not run yet.
    const gm = await appWith('gm');
    expect(gm.pii.settled).toBe(false);
    const plan = await runProfileSwitch({ db: t.database.db, pii: gm.pii, dryRun: true });
    expect(plan.remaining.worker).toBeGreaterThanOrEqual(6);
    // Every row to move holds intl tokens of key v1, reported as the other profile's.
    expect(plan.kinds?.worker).toEqual({ 'intl key v1': plan.remaining.worker });
    expect(dryRunReport(plan, gm.pii, [])).toContain(
      `worker: ${plan.remaining.worker} rows to reseal; rows by kind: intl key v1 (other profile) ${plan.remaining.worker}`,
    );

    // Part-way: two one-row batches, then the run stops (as if the process were killed).
    const partial = await runProfileSwitch({ db: t.database.db, pii: gm.pii, batchSize: 1, maxBatches: 2 });
    expect(partial.status).toBe('running');
    expect(await tokensIn('intl')).toBeGreaterThan(0);
    expect(await tokensIn('gm')).toBeGreaterThan(0);

    const lookupsWork = async (app: FastifyInstance, stage: string) => {
      // Sign-in by phone (the account's phone; workers' and employer's).
      expect(await signInWithPassword(app, workers[0]!.phone, PASSWORD), stage).toMatch(/=/);
      expect(await signInWithPassword(app, employer.phone, PASSWORD), stage).toMatch(/=/);
      // Lookup by ID number: the same person cannot register twice, whatever profile their row is in.
      for (const w of [...workers, ...pending]) {
        const other = await t.app.services.identity.createAccount({
          phone: uniquePhone(),
          password: PASSWORD,
          name: '重复',
          roles: [],
        });
        const cookie = await signInWithPassword(app, (await phoneOf(other))!, PASSWORD);
        const dup = await post(
          app,
          '/api/v1/workers/me',
          {
            name: '重复登记',
            idNumber: w.idNumber,
            categories: ['cleaning'],
            consent: { version: CONSENT_VERSION, accepted: true },
          },
          cookie,
        );
        expect(dup.statusCode, `${stage} ${dup.body}`).toBe(409);
        expect(dup.json().code).toBe('WORKER_DUPLICATE_PERSON');
      }
    };
    const phoneOf = (userId: string) => t.app.services.identity.phoneOf(userId);

    await lookupsWork(gm, 'during');
    // A company finds a worker by ID number (hire) while the switch is under way.
    const hire = await post(
      gm,
      `/api/v1/companies/${employer.orgId}/workers/${workers[0]!.workerId}/employment`,
      { idNumber: workers[0]!.idNumber },
      employer.cookie,
    );
    expect(hire.statusCode, hire.body).toBe(201);
    // A company-entered worker confirms by phone and SMS code (phone blind index + code hash made under intl).
    const confirm = await post(gm, '/api/v1/workers/confirm', {
      phone: pending[0]!.phone,
      code: pending[0]!.code,
      password: PASSWORD,
      consent: { version: CONSENT_VERSION, accepted: true },
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    // The invitation is found by the invitee's phone.
    await t.app.services.identity.createAccount({
      phone: invitee,
      password: PASSWORD,
      name: '受邀人',
      roles: [],
    });
    const mine = await gm.inject({
      method: 'GET',
      url: '/api/v1/me/invitations',
      headers: { cookie: await signInWithPassword(gm, invitee, PASSWORD) },
    });
    expect(mine.json().items, mine.body).toHaveLength(1);

    // Resume to the end.
    const progress: string[] = [];
    const done = await runProfileSwitch({
      db: t.database.db,
      pii: gm.pii,
      batchSize: 2,
      onProgress: (p) => progress.push(p.table),
    });
    expect(done.status).toBe('done');
    expect(done.run).toBe(partial.run);
    expect(progress).toContain('worker');
    expect(Object.values(done.remaining).every((n) => n === 0)).toBe(true);
    expect(await tokensIn('intl')).toBe(0);
    const gmIndexes = await indexesAreAll(gm.pii, 'gm');
    expect(gmIndexes.checked).toBeGreaterThanOrEqual(10);
    expect(gmIndexes.wrong).toBe(0);
    expect(gm.pii.settled).toBe(true);
    // Plaintext survives: an order address reads back.
    const [order] = await t.database.raw.query<{ address_enc: string }>(
      'select address_enc from service_order limit 1',
    );
    expect(gm.pii.decrypt(order!.address_enc, 'service_order.address')).toBe('广州市越秀区留存路1号');

    await lookupsWork(gm, 'after');
    const confirm2 = await post(gm, '/api/v1/workers/confirm', {
      phone: pending[1]!.phone,
      code: pending[1]!.code,
      password: PASSWORD,
      consent: { version: CONSENT_VERSION, accepted: true },
    });
    expect(confirm2.statusCode, confirm2.body).toBe(200);

    // A second run changes nothing.
    const before = await snapshot();
    const again = await runProfileSwitch({ db: t.database.db, pii: gm.pii });
    expect(again.status).toBe('done');
    expect(again.tables.reduce((n, x) => n + x.resealed + x.reindexed, 0)).toBe(0);
    expect(await snapshot()).toEqual(before);

    // The audit trail records the runs and verifies across the SHA-256 → SM3 change.
    const audit = await t.database.raw.query<{ action: string; hash_alg: string }>(
      `select action, hash_alg from audit_log where action like 'pii.profile_switch%' order by seq`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'pii.profile_switch_started',
      'pii.profile_switch_done',
      'pii.profile_switch_started',
      'pii.profile_switch_done',
    ]);
    expect(audit.every((a) => a.hash_alg === 'sm3')).toBe(true);
    const chain = await verifyAuditChain(t.database.db);
    expect(chain.ok).toBe(true);
    expect(chain.byAlg.sha256).toBeGreaterThan(0);
    expect(chain.byAlg.sm3).toBeGreaterThan(0);

    // And back to intl.
    const intl = await appWith('intl');
    expect(intl.pii.settled).toBe(false);
    const back = await runProfileSwitch({ db: t.database.db, pii: intl.pii });
    expect(back.status).toBe('done');
    expect(await tokensIn('gm')).toBe(0);
    expect((await indexesAreAll(intl.pii, 'intl')).wrong).toBe(0);
    await lookupsWork(intl, 'back');
    const confirm3 = await post(intl, '/api/v1/workers/confirm', {
      phone: pending[2]!.phone,
      code: pending[2]!.code,
      password: PASSWORD,
      consent: { version: CONSENT_VERSION, accepted: true },
    });
    expect(confirm3.statusCode, confirm3.body).toBe(200);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  }, 240_000);
});

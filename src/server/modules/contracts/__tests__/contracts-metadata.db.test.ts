import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company, day } from '../../../../../test/factories/workers.js';
import {
  expectCleanPng,
  storageRoot,
  storedFiles,
  taggedImages,
} from '../../../platform/storage/__tests__/upload-helpers.js';
import { contractSignature } from '../contracts.tables.js';

// The drawn signature PNG comes from the client: text/EXIF chunks it carries are dropped before it is hashed, stored
// and sealed; a PNG that cannot be parsed is refused before the SMS code is spent.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });
let t: TestApp;
let root: string;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  root = await storageRoot(t.app.storage);
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const inject = (url: string, cookie: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, payload });

async function draftContract() {
  const co = await company(t);
  const first = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
  const item = await inject(`/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
    category: 'cleaning',
    mode: 'live_in',
    priceFen: 700_000,
    title: '住家保姆（月）',
  });
  expect(item.statusCode).toBe(201);
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  const o = await inject('/api/v1/orders', resident.cookie, {
    priceItemId: item.json().id,
    workerId: first.w.workerId,
    schedule: { mode: 'live_in', startDate: day(t, 2), months: 3 },
    address: '广州市天河区体育西路1号2栋301',
    district: '440106',
  });
  expect(o.statusCode).toBe(201);
  expect((await inject(`/api/v1/orders/${o.json().id}/accept`, co.cookie, {})).statusCode).toBe(200);
  const c = await inject(
    '/api/v1/contracts',
    co.cookie,
    { orderId: o.json().id },
    { 'idempotency-key': `k-${Math.random()}` },
  );
  expect(c.statusCode, c.body).toBe(201);
  return { id: c.json().id as string, co, resident };
}

async function sign(id: string, who: { cookie: string; phone: string }, png: Buffer) {
  expect((await inject(`/api/v1/contracts/${id}/sign-code`, who.cookie, {})).statusCode).toBe(200);
  const code = t.sms.latest(who.phone)!.code;
  return inject(`/api/v1/contracts/${id}/sign`, who.cookie, {
    code,
    signaturePng: `data:image/png;base64,${png.toString('base64')}`,
  });
}

describe('signature images lose their metadata', () => {
  test('a tagged PNG is stored clean with the same pixels and hashed as stored; a damaged one is refused, nothing stored', async () => {
    const img = taggedImages();
    const c = await draftContract();
    const signed = await sign(c.id, c.resident, img.png);
    expect(signed.statusCode, signed.body).toBe(200);
    const [row] = await t.database.db
      .select()
      .from(contractSignature)
      .where(and(eq(contractSignature.contractId, c.id), eq(contractSignature.party, 'resident')));
    const stored = await t.app.storage.get(row!.signatureKey);
    expectCleanPng(stored, img.cleanPng);
    expect(row!.signatureSha256).toBe(createHash('sha256').update(stored).digest('hex'));

    const before = storedFiles(root);
    const bad = await sign(c.id, c.co, img.damagedPng);
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json().code).toBe('CONTRACT_SIGNATURE_INVALID');
    expect(storedFiles(root)).toEqual(before);
    const rows = await t.database.db
      .select()
      .from(contractSignature)
      .where(eq(contractSignature.contractId, c.id));
    expect(rows.map((r) => r.party)).toEqual(['resident']);
  });
});

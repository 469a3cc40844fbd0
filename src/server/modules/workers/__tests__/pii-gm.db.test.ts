import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { company, selfWorker } from '../../../../../test/factories/workers.js';
import { worker } from '../workers.tables.js';

// The whole app on the 国密 profile (PII_CRYPTO_PROFILE=gm): personal data is sealed with SM4 + HMAC-SM3, lookups
// use HMAC-SM3 blind indexes, and the flows that read them back work as on the international profile.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ PII_CRYPTO_PROFILE: 'gm' });
});
afterAll(async () => t?.close());

describe('PII_CRYPTO_PROFILE=gm', () => {
  test('a registered ID number is stored as a g1 token, decrypts for its holder, and is found by its blind index', async () => {
    const w = await selfWorker(t);
    const [row] = await t.database.db.select().from(worker).where(eq(worker.id, w.workerId));
    expect(row!.idNumberEnc).toMatch(/^g1\.1\./);
    expect(row!.idNumberEnc).not.toContain(w.idNumber);
    expect(row!.idNumberHash).toBe(t.app.pii.blindIndex(w.idNumber.toUpperCase(), 'worker.id_number'));

    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workers/me',
      headers: { cookie: w.cookie },
    });
    expect(me.statusCode).toBe(200);
    // The holder reads their own number: it decrypts.
    expect(me.json()).toMatchObject({ idNumber: w.idNumber, idNumberMasked: false });

    // A company hires the worker by ID number: the lookup goes through the HMAC-SM3 blind index and the
    // decrypted number is compared.
    const co = await company(t);
    const hire = await t.app.inject({
      method: 'POST',
      url: `/api/v1/companies/${co.orgId}/workers/${w.workerId}/employment`,
      headers: { cookie: co.cookie },
      payload: { idNumber: w.idNumber },
    });
    expect(hire.statusCode, hire.body).toBeLessThan(300);
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/v1/companies/${co.orgId}/workers/${w.workerId}/employment`,
      headers: { cookie: co.cookie },
      payload: { idNumber: '11010519491231002X' },
    });
    expect(wrong.statusCode).toBeGreaterThanOrEqual(400);
  });
});

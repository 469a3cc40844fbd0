import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker } from '../../../../../test/factories/workers.js';
import { coverOf, coverUntilSql } from '../../insurance/index.js';
import { companyVerifyJsonSql } from '../../orgs/index.js';
import { workerStarsSql } from '../../credit/index.js';
import { trustFactsFromJson, workerTrustFactsJsonSql } from '../../workers/index.js';
import { sampleVerifyTokens } from '../certification.generate.js';
import { createCertificationService } from '../certification.service.js';
import { qrSigningKey } from '../certification.tables.js';
import { peekQrPayload } from '../qr-token.js';

// The scan statement (one JSON value per row) and the per-node memory of verified tokens: whatever a node has
// remembered, the certificate's state, the key's retirement and the key's secret are decided afresh on every scan.
let t: TestApp;
let regulator: { cookie: string };

function node() {
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
    verifySql: {
      workerFacts: workerTrustFactsJsonSql,
      decodeWorkerFacts: trustFactsFromJson,
      company: companyVerifyJsonSql,
      coverUntil: coverUntilSql,
      coverOf,
      creditLevel: workerStarsSql,
    },
    verificationFlushMs: 3_600_000,
  });
}

async function certifiedWithToken() {
  const w = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/workers/${w.w.workerId}/certification`,
    headers: { cookie: regulator.cookie },
  });
  const cert = r.json().certificate as { id: string; number: string };
  const token = (await sampleVerifyTokens(t.database.db, t.app.pii, 1000)).find(
    (x) => peekQrPayload(x.token)?.certificateId === cert.id,
  )!.token;
  return { cert, token };
}

const act = async (certificateId: string, action: string, payload: object = {}) => {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/certificates/${certificateId}/${action}`,
    payload,
    headers: { cookie: regulator.cookie },
  });
  expect(r.statusCode).toBe(200);
};

beforeAll(async () => {
  t = await buildTestApp({ PUBLIC_URL: 'https://anxin.example' });
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t.close());

describe('scan after a change', () => {
  test('suspension, reinstatement and revocation show at the very next scan of a node that just scanned the card', async () => {
    const { cert, token } = await certifiedWithToken();
    const a = node();
    const seen = async () => {
      const v = await a.verifyToken(token);
      return v && { color: v.color, reason: v.reason, state: v.state };
    };
    expect(await seen()).toEqual({ color: 'green', reason: 'ok', state: 'active' });
    expect(await seen()).toEqual({ color: 'green', reason: 'ok', state: 'active' }); // remembered token
    await act(cert.id, 'suspend', { reason: '投诉核查中' });
    expect(await seen()).toEqual({ color: 'red', reason: 'suspended', state: 'suspended' });
    await act(cert.id, 'reinstate');
    expect(await seen()).toEqual({ color: 'green', reason: 'ok', state: 'active' });
    await act(cert.id, 'revoke', { reason: '提供虚假健康证明' });
    expect(await seen()).toEqual({ color: 'red', reason: 'revoked', state: 'revoked' });
    // The page a phone opens, through the app's own node (which has scanned the token before too).
    const page = await t.app.inject({ method: 'GET', url: `/v/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('证书已吊销');
    // Dates survive the JSON row: the public view by number gives the same days.
    const byNumber = await a.verifyNumber(cert.number);
    expect(byNumber).toEqual(await a.verifyToken(token));
    expect(byNumber.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('a remembered token is refused once its key is retired or its kid holds another secret; altered copies never pass', async () => {
    const { token } = await certifiedWithToken();
    const [kid, payload, sig] = token.split('.') as [string, string, string];
    const a = node();
    expect(await a.verifyToken(token)).not.toBeNull();
    expect(await a.photoForToken(token)).not.toBeNull();
    for (const bad of [`${kid}.${payload}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, `${token}x`])
      expect(await a.verifyToken(bad)).toBeNull();
    expect(await a.verifyToken(token)).not.toBeNull();

    // Another secret under the same kid (as if the key row were replaced): the remembered check does not carry over.
    const [row] = await t.database.db.select().from(qrSigningKey).where(sql`${qrSigningKey.kid} = ${kid}`);
    await t.database.db
      .update(qrSigningKey)
      .set({ secret: t.app.pii.encrypt(randomBytes(32).toString('base64'), 'qr_signing_key.secret') })
      .where(sql`${qrSigningKey.kid} = ${kid}`);
    expect(await a.verifyToken(token)).toBeNull();
    expect(await a.photoForToken(token)).toBeNull();
    await t.database.db
      .update(qrSigningKey)
      .set({ secret: row!.secret })
      .where(sql`${qrSigningKey.kid} = ${kid}`);
    expect(await a.verifyToken(token)).not.toBeNull();

    await t.database.db
      .update(qrSigningKey)
      .set({ retiredAt: t.clock.now })
      .where(sql`${qrSigningKey.kid} = ${kid}`);
    expect(await a.verifyToken(token)).toBeNull();
    expect(await a.photoForToken(token)).toBeNull();
  });
});

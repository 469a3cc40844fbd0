import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { createTestDatabase } from '../../../../../test/db.js';
import { buildApp } from '../../../app.js';
import { loadConfig } from '../../../config.js';
import { dataInFormat } from '../../../crypto-switch.js';
import { schema } from '../../db/schema.js';
import { piiProfileSwitch } from '../pii.tables.js';
import { readDataProfile, settleDataProfile } from '../switch-state.js';

let t: TestApp;
let gm: FastifyInstance | undefined;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await gm?.close();
  await t?.close();
});

/** The predicate a lookup by phone sends (workers.service: `inArray(worker.phoneHash, pii.blindIndexes(…))`). */
const lookup = (indexes: string[]) =>
  t.app.database.db
    .select({ id: schema.worker.id })
    .from(schema.worker)
    .where(inArray(schema.worker.phoneHash, indexes))
    .toSQL();

describe('blind-index lookups by the recorded data profile', () => {
  test('a deployment that never switched records a baseline at first start and looks up by one index', async () => {
    const runs = await t.app.database.db.select().from(piiProfileSwitch).orderBy(asc(piiProfileSwitch.seq));
    expect(runs).toMatchObject([{ toProfile: 'intl', status: 'baseline' }]);
    expect(runs[0]!.finishedAt).toEqual(runs[0]!.startedAt);
    expect(t.app.pii.settled).toBe(true);
    const indexes = t.app.pii.blindIndexes('13800000000', 'worker.phone');
    expect(indexes).toEqual([t.app.pii.blindIndexAs('intl', '13800000000', 'worker.phone')]);
    const q = lookup(indexes);
    expect(q.params).toEqual(indexes);
    expect(q.sql).toMatch(/"phone_hash" in \(\$1\)/);
  });

  test('a node restarted on the other profile before any switch ran matches both indexes', async () => {
    gm = await buildApp({
      config: loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-profile-')),
        LOG_LEVEL: 'silent',
        JOBS: 'off',
        SEED_DEMO: 'never',
        PII_CRYPTO_PROFILE: 'gm',
      }),
      database: t.database,
      sms: t.sms,
      clock: () => t.clock.now,
    });
    expect(gm.pii.settled).toBe(false);
    const indexes = gm.pii.blindIndexes('13800000000', 'worker.phone');
    expect(indexes).toHaveLength(2);
    expect(lookup(indexes).sql).toMatch(/"phone_hash" in \(\$1, \$2\)/);
    // No second baseline: the first start's record stands.
    expect(await t.app.database.db.select().from(piiProfileSwitch)).toHaveLength(1);
  });

  test('a first start that finds tokens of the other format records a mixed baseline: both indexes until a switch', async () => {
    const fresh = await createTestDatabase();
    try {
      expect(await dataInFormat(fresh.db, 'gm')).toBe(false);
      expect(await settleDataProfile(fresh.db, 'gm', new Date(), async () => true)).toBeNull();
      expect(await fresh.db.select().from(piiProfileSwitch)).toMatchObject([
        { toProfile: 'gm', status: 'baseline-mixed' },
      ]);
      expect(await readDataProfile(fresh.db)).toBeNull();
    } finally {
      await fresh.drop();
    }
  });
});

// The key-rotation step of the `pii` suite of `npm run assure` (issue 14): on a database sealed with key v1, key v2
// with v1 retired and the real reseal leave every token on v2, readable by an app that has key v2 alone; a reseal that
// leaves a token on v1 (a column the switch forgot) is named, and so fails the suite.
import { randomBytes } from 'node:crypto';
import { getTableName } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { keyRotation, type RotationOptions } from '../scripts/assure/pii.js';
import { SWITCH_TARGETS } from '../src/server/crypto-switch.js';
import { buildTestApp, type TestApp } from './app.js';
import { selfWorker } from './factories/workers.js';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const t of apps.splice(0)) await t.close();
});

/** An app sealed with key v1 holding one worker, and the rotation step's options for it. */
async function planted(): Promise<{ t: TestApp; opts: RotationOptions; workerId: string }> {
  const keys = {
    PII_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    AUTH_SECRET: randomBytes(32).toString('base64'),
  };
  const t = await buildTestApp(keys);
  apps.push(t);
  const w = await selfWorker(t);
  const opts: RotationOptions = {
    keys,
    sealed: [
      {
        label: 'worker ID number',
        value: w.idNumber,
        table: 'worker',
        column: 'id_number_enc',
        rowId: w.workerId,
        aad: 'worker.id_number',
        index: { column: 'id_number_hash', purpose: 'worker.id_number' },
      },
    ],
    reads: [
      {
        label: 'worker ID number',
        value: w.idNumber,
        url: '/api/v1/workers/me',
        cookie: w.cookie,
        field: 'idNumber',
      },
    ],
    canaries: [{ label: 'worker ID number', value: w.idNumber, fullTo: ['regulator'] }],
  };
  return { t, opts, workerId: w.workerId };
}

const tokenOf = async (t: TestApp, workerId: string) =>
  (
    await t.database.raw.query<{ enc: string }>('select id_number_enc as enc from worker where id = $1', [
      workerId,
    ])
  )[0]!.enc;

describe('assurance suite: pii, key rotation', () => {
  test('as shipped: every token ends on v2 and opens with key v2 alone; the canary reads back and is found', async () => {
    const { t, opts, workerId } = await planted();
    expect((await tokenOf(t, workerId)).startsWith('v1.1.')).toBe(true);

    const r = await keyRotation(t, opts);
    expect(r.details).toEqual([]);
    expect(r.figures).toMatchObject({
      rotationLeftOnOld: 0,
      rotationLeftOther: 0,
      rotationUnopened: 0,
      rotationCanariesRead: 1,
      rotationCanaries: 1,
      rotationAppReads: 1,
      rotationLookups: 1,
      rotationPlaintext: 0,
    });
    expect(r.figures.rotationPlannedRows).toBeGreaterThanOrEqual(1);
    expect(r.figures.rotationResealed).toBeGreaterThanOrEqual(1);
    expect(r.figures.rotationTokens).toBe(r.figures.rotationResealed);
    expect(r.line).toMatch(
      /^key rotation v1→v2: dry run \d+ rows to reseal; \d+ tokens resealed in \d+ ms, 0 left on v1 /,
    );
    expect(r.line).toContain(
      'canaries read with v1 removed 1/1 (through the app 1/1), blind-index lookups 1/1',
    );
    expect((await tokenOf(t, workerId)).startsWith('v1.2.')).toBe(true);
  });

  test('a reseal that leaves a token on v1 is named: the token, its column, the canary read and the route', async () => {
    const { t, opts, workerId } = await planted();
    // The switch forgets the worker table, as a column missing from SWITCH_TARGETS would.
    const r = await keyRotation(t, {
      ...opts,
      targets: SWITCH_TARGETS.filter((x) => getTableName(x.table) !== 'worker'),
    });
    expect((await tokenOf(t, workerId)).startsWith('v1.1.')).toBe(true);
    expect(r.figures.rotationLeftOnOld).toBe(1);
    expect(r.figures.rotationUnopened).toBe(1);
    expect(r.figures.rotationCanariesRead).toBe(0);
    expect(r.figures.rotationAppReads).toBe(0);
    expect(r.details).toContain(
      'key rotation: worker.id_number_enc holds 1 tokens of intl key v1 after the reseal (intl key v2 expected)',
    );
    expect(r.details).toContain(
      'key rotation: 1 tokens of worker.id_number_enc do not open with key v2 alone',
    );
    expect(r.details).toContain('key rotation: the worker ID number does not read back with key v1 removed');
    expect(
      r.details.some((d) => d.startsWith('key rotation: worker ID number through GET /api/v1/workers/me')),
    ).toBe(true);
    expect(r.line).toContain('1 left on v1');
  });
});

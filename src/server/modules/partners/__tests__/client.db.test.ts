import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeClientSchema } from '../../../../../scripts/openapi-client.js';
import { buildTestApp, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { account } from '../../../../../test/factories/workers.js';

// The published client package: its schema is generated from this very app, the package type-checks against it,
// and the usage example runs against a listening server with a real partner key.
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../../../..');
// Inside the repo so the copy resolves openapi-fetch and typescript from the root node_modules.
const work = join(root, 'node_modules/.cache', `anxin-client-test-${process.pid}`);
let t: TestApp;
let baseUrl: string;

beforeAll(async () => {
  t = await buildTestApp({ ENABLE_API_DOCS: 'true' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const f of ['index.ts', 'webhooks.ts', 'tsconfig.json', 'package.json', 'examples'])
    cpSync(join(root, 'packages/client', f), join(work, f), { recursive: true });
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await t?.close();
});

describe('@anxin/client', () => {
  test('the generated schema covers the partner API and the package type-checks', async () => {
    const ops = await writeClientSchema(t.app, work);
    expect(ops).toBeGreaterThan(100);
    const schema = readFileSync(join(work, 'schema.d.ts'), 'utf8');
    for (const path of [
      '/api/partner/v1/statistics',
      '/api/partner/v1/orders',
      '/api/partner/v1/workers/{id}/record',
    ])
      expect(schema).toContain(`"${path}"`);
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', join(work, 'tsconfig.json')], { cwd: work });
  }, 180_000);

  test('the example runs against a listening server with a partner key', async () => {
    const admin = await account(t, [{ role: 'platform_admin' }]);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/partners',
      headers: { cookie: admin.cookie },
      payload: {
        name: '示例接入方',
        organization: '广州市商务局',
        contactName: '梁志强',
        contactPhone: uniquePhone(),
        scopes: ['statistics:read', 'certificates:verify'],
        ipAllowlist: [],
        rateLimitPerMinute: 100,
      },
    });
    expect(created.statusCode).toBe(201);
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const env = {
      ...process.env,
      ANXIN_BASE_URL: baseUrl,
      ANXIN_API_KEY: created.json().key.secret as string,
      CERT_NUMBER: 'AX-NOT-A-NUMBER',
    };
    const { stdout } = await run(process.execPath, [tsx, join(work, 'examples/verify.ts')], {
      cwd: work,
      env,
    });
    expect(JSON.parse(stdout.trim())).toEqual({
      activeCompanies: expect.any(Number),
      certificate: { error: 'CERT_NUMBER_INVALID' },
    });
    // A wrong key: the example reports the refusal and fails.
    await expect(
      run(process.execPath, [tsx, join(work, 'examples/verify.ts')], {
        cwd: work,
        env: { ...env, ANXIN_API_KEY: `ak_${'x'.repeat(43)}` },
      }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('PARTNER_KEY_INVALID') });
  }, 120_000);
});

import type { LightMyRequestResponse } from 'fastify';
import type { MemberRole, PlatformRole } from '../../../../shared/roles.js';
import { makeIdCard } from '../../../../shared/validators/index.js';
import { CONSENT_VERSION } from '../consent.js';
import { type TestApp, uniquePhone } from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import { tinyJpeg } from '../../../platform/storage/__tests__/image-fixtures.js';

export const PASSWORD = 'Workers2026pass';
export const consent = { version: CONSENT_VERSION, accepted: true };

let seq = 0;
/** A unique valid ID number for an adult born in 1985–1995. */
export function uniqueIdNumber(region = '440106'): string {
  seq++;
  const n = (process.pid * 7 + Date.now() + seq * 131) % 3650;
  const birth = new Date(Date.UTC(1985, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  return makeIdCard(region, birth, (seq * 37 + (process.pid % 500)) % 1000);
}

export async function signIn(t: TestApp, phone: string, password = PASSWORD): Promise<string> {
  return signInWithPassword(t.app, phone, password);
}

/** An account with platform roles, signed in. */
export async function account(
  t: TestApp,
  roles: { role: PlatformRole; district?: string | null }[] = [{ role: 'resident' }],
  name = '测试用户',
) {
  const phone = uniquePhone();
  const userId = await t.app.services.identity.createAccount({ phone, password: PASSWORD, name, roles });
  return { phone, userId, cookie: await signIn(t, phone) };
}

/** A company (active unless told) with one member of the given role, signed in. */
export async function company(t: TestApp, opts: { status?: string; role?: MemberRole } = {}) {
  const { orgs } = t.app.services;
  const orgId = await orgs.createOrganization(t.database.db, {
    type: 'company',
    name: `测试家政公司${Math.random().toString(36).slice(2, 6)}`,
    district: '440106',
    status: opts.status ?? 'active',
  });
  const a = await account(t, [], '企业员工');
  await orgs.addMember(t.database.db, { orgId, userId: a.userId, role: opts.role ?? 'admin' });
  return { orgId, ...a, cookie: await signIn(t, a.phone) };
}

export function registration(overrides: Record<string, unknown> = {}) {
  return {
    name: '张秀芳',
    idNumber: uniqueIdNumber(),
    district: '440106',
    categories: ['cleaning', 'maternity'],
    skillLevel: 'level4',
    maternityStars: 3,
    yearsExperience: 5,
    languages: ['普通话', '粤语'],
    consent,
    ...overrides,
  };
}

/** A signed-in account registered as a worker through the API. */
export async function selfWorker(t: TestApp, overrides: Record<string, unknown> = {}) {
  const a = await account(t);
  const body = registration(overrides);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/workers/me',
    headers: { cookie: a.cookie },
    payload: body,
  });
  if (res.statusCode !== 201) throw new Error(`worker registration failed: ${res.body}`);
  return { ...a, workerId: res.json().id as string, idNumber: body.idNumber as string };
}

// Smallest real files of each allowed type, and an ELF header for the renamed-executable case.
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
// A well-formed JPEG (8×8 grey): uploads are parsed to strip their metadata, so a header-only fake is refused.
export const JPEG = tinyJpeg([[128]]);
// A minimal PDF that parses (catalog, one page) and has no metadata, so storage keeps it byte for byte.
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
export const ELF = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]),
  Buffer.alloc(120, 0),
]);

/** A multipart/form-data body with text fields and one file. */
export function multipart(
  fields: Record<string, string | undefined>,
  file?: { data: Buffer; filename: string; type: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----anxin${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function upload(
  t: TestApp,
  cookie: string,
  fields: Record<string, string | undefined>,
  file: { data: Buffer; filename: string; type: string } = {
    data: PNG,
    filename: 'a.png',
    type: 'image/png',
  },
  url = '/api/v1/workers/me/documents',
): Promise<LightMyRequestResponse> {
  const body = multipart(fields, file);
  return t.app.inject({ method: 'POST', url, headers: { ...body.headers, cookie }, payload: body.payload });
}

/** `YYYY-MM-DD` of the test clock in Asia/Shanghai, shifted by days. */
export function day(t: TestApp, offsetDays = 0): string {
  return new Date(t.clock.now.getTime() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

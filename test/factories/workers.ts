import type { PlatformRole } from '../../src/shared/roles.js';
import { makeIdCard } from '../../src/shared/validators/index.js';
import { type TestApp, uniquePhone } from '../app.js';
import { signInWithPassword } from './sign-in.js';
import { CONSENT_VERSION } from '../../src/server/modules/workers/index.js';

// Factories that drive the real routes (sign-in, worker registration, uploads), shared by every module's tests.
export const PASSWORD = 'Factory2026pass';

export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let seq = 0;
function uniqueIdNumber(): string {
  seq++;
  const n = (process.pid * 17 + Date.now() + seq * 191) % 3650;
  const birth = new Date(Date.UTC(1982, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  return makeIdCard('440106', birth, (seq * 43 + (process.pid % 600)) % 1000);
}

async function signIn(t: TestApp, phone: string): Promise<string> {
  return signInWithPassword(t.app, phone, PASSWORD);
}

/** A signed-in account with platform roles. */
export async function account(
  t: TestApp,
  roles: { role: PlatformRole; district?: string | null }[] = [{ role: 'resident' }],
  name = '李四',
) {
  const phone = uniquePhone();
  const userId = await t.app.services.identity.createAccount({ phone, password: PASSWORD, name, roles });
  return { phone, userId, cookie: await signIn(t, phone) };
}

/** An active company (in 天河 unless told) with a signed-in admin. */
export async function company(
  t: TestApp,
  name = '安心测试家政公司',
  opts: { district?: string; serviceCategories?: string[] } = {},
) {
  const { orgs } = t.app.services;
  const orgId = await orgs.createOrganization(t.database.db, {
    type: 'company',
    name,
    district: opts.district ?? '440106',
    status: 'active',
    ...(opts.serviceCategories ? { serviceCategories: opts.serviceCategories } : {}),
  });
  const a = await account(t, [], '王企业');
  await orgs.addMember(t.database.db, { orgId, userId: a.userId, role: 'admin' });
  return { orgId, ...a, cookie: await signIn(t, a.phone) };
}

/** A worker registered through POST /workers/me, with a health certificate uploaded. */
export async function selfWorker(t: TestApp) {
  const a = await account(t, [{ role: 'resident' }], '张秀芳');
  const idNumber = uniqueIdNumber();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/workers/me',
    headers: { cookie: a.cookie },
    payload: {
      name: '张秀芳',
      idNumber,
      district: '440106',
      categories: ['cleaning', 'maternity'],
      skillLevel: 'level4',
      maternityStars: 3,
      yearsExperience: 5,
      languages: ['普通话'],
      intro: '做事细心，擅长照顾新生儿',
      consent: { version: CONSENT_VERSION, accepted: true },
    },
  });
  if (res.statusCode !== 201) throw new Error(`worker registration failed: ${res.body}`);
  return { ...a, workerId: res.json().id as string, idNumber };
}

/** Multipart upload of one PNG with fields. */
export function upload(
  t: TestApp,
  cookie: string,
  fields: Record<string, string>,
  url = '/api/v1/workers/me/documents',
) {
  const boundary = `----anxin${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    PNG,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie },
    payload: Buffer.concat(chunks),
  });
}

/** YYYY-MM-DD of the test clock in Asia/Shanghai, shifted by days. */
export function day(t: TestApp, offsetDays = 0): string {
  return new Date(t.clock.now.getTime() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A worker who passes every check, employed by a company (a new one unless given), with the 安心服务证
 * issued: green. Health stays valid for `healthDays` more days. Drives the real routes end to end.
 */
export async function certifiedWorker(
  t: TestApp,
  opts: {
    regulatorCookie: string;
    employer?: { orgId: string; cookie: string };
    healthDays?: number;
    issue?: boolean;
  },
) {
  const post = (url: string, payload: object, cookie: string) =>
    t.app.inject({ method: 'POST', url, payload, headers: { cookie } });
  const w = await selfWorker(t);
  const ids: string[] = [];
  for (const fields of <Record<string, string>[]>[
    { kind: 'id_front' },
    { kind: 'id_back' },
    { kind: 'health', issuedOn: day(t, -300), expiresOn: day(t, opts.healthDays ?? 30) },
    { kind: 'skill', issuedOn: day(t, -300) },
  ]) {
    const res = await upload(t, w.cookie, fields);
    if (res.statusCode !== 201) throw new Error(`upload failed: ${res.body}`);
    ids.push(res.json().id);
  }
  const photo = await upload(t, w.cookie, {}, '/api/v1/workers/me/photo');
  if (photo.statusCode !== 200) throw new Error(`photo failed: ${photo.body}`);
  const steps: [string, object][] = [
    ['/api/v1/regulator/documents/review', { ids, decision: 'approve' }],
    [`/api/v1/regulator/workers/${w.workerId}/background-checks`, { state: 'clear', checkedOn: day(t, -2) }],
    [
      `/api/v1/regulator/workers/${w.workerId}/training`,
      { courseName: '家政服务员岗前培训', passed: true, score: 90, examDate: day(t, -3) },
    ],
  ];
  for (const [url, payload] of steps) {
    const res = await post(url, payload, opts.regulatorCookie);
    if (res.statusCode >= 300) throw new Error(`${url} failed: ${res.body}`);
  }
  const co = opts.employer ?? (await company(t));
  const emp = await post(
    `/api/v1/companies/${co.orgId}/workers/${w.workerId}/employment`,
    { idNumber: w.idNumber },
    co.cookie,
  );
  if (emp.statusCode >= 300) throw new Error(`employment failed: ${emp.body}`);
  if (opts.issue !== false) {
    const cert = await post(`/api/v1/workers/${w.workerId}/certificate`, {}, opts.regulatorCookie);
    if (cert.statusCode !== 201) throw new Error(`issue failed: ${cert.body}`);
  }
  return { w, co };
}

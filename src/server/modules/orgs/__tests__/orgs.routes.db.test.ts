import { and, eq } from 'drizzle-orm';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { makeUscc } from '../../../../shared/validators/index.js';
import { buildTestApp, registerResident, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { orgInvitation, orgMembership, organization, orgReview } from '../orgs.tables.js';

let t: TestApp;
const PASSWORD = 'Orgs2026pass';
let usccCounter = 0;
/** A valid, unique USCC: authority 9 (market regulation), type 1 (company), Guangzhou Tianhe, serial. */
function uscc(): string {
  usccCounter++;
  const serial = `${process.pid % 1000}${Date.now() % 1_000_000}${usccCounter}`.padStart(9, '0').slice(-9);
  return makeUscc(`91440106${serial}`);
}

// A complete 1×1 PNG: licence images are parsed to strip their metadata, so a header-only fake is refused.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
// A minimal PDF that parses (catalog, one page) and has no metadata, so storage keeps it byte for byte.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

function multipart(file: Buffer, filename: string, type: string) {
  const boundary = `----anxin${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function application(over: Record<string, unknown> = {}) {
  return {
    name: '天河安心家政服务有限公司',
    uscc: uscc(),
    legalRepresentative: '陈志强',
    model: 'employee',
    address: '广东省广州市天河区天河路 100 号 8 楼',
    district: '440106',
    location: { lon: 113.361, lat: 23.125 },
    serviceCategories: ['cleaning', 'maternity'],
    contactName: '李小红',
    contactPhone: '13812345678',
    description: '专注母婴护理与家庭保洁',
    ...over,
  };
}

async function signIn(phone: string) {
  return signInWithPassword(t.app, phone, PASSWORD);
}

async function regulator(district?: string) {
  const phone = uniquePhone();
  await t.app.services.identity.createAccount({
    phone,
    password: PASSWORD,
    name: '监管员',
    roles: [{ role: 'regulator', ...(district ? { district } : {}) }],
  });
  return signIn(phone);
}

async function platformAdmin() {
  const phone = uniquePhone();
  await t.app.services.identity.createAccount({
    phone,
    password: PASSWORD,
    name: '管理员',
    roles: [{ role: 'platform_admin' }],
  });
  return signIn(phone);
}

const req = (method: 'GET' | 'POST' | 'PUT', url: string, cookie?: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: cookie ? { cookie } : {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

/** A resident applies, uploads a licence and submits; returns the org id and the applicant's cookie. */
async function submittedCompany(over: Record<string, unknown> = {}) {
  const applicant = await registerResident(t);
  const created = await req('POST', '/api/v1/companies/applications', applicant.cookie, application(over));
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const up = await upload(id, applicant.cookie, PNG, 'licence.png', 'image/png');
  expect(up.statusCode, up.body).toBe(200);
  const sub = await req('POST', `/api/v1/companies/applications/${id}/submit`, applicant.cookie);
  expect(sub.statusCode, sub.body).toBe(200);
  return { id, applicant };
}

async function upload(id: string, cookie: string, file: Buffer, name: string, type: string) {
  const m = multipart(file, name, type);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/companies/applications/${id}/licence`,
    payload: m.payload,
    headers: { ...m.headers, cookie },
  });
}

async function activeCompany(over: Record<string, unknown> = {}) {
  const c = await submittedCompany(over);
  const reg = await regulator();
  const res = await req('POST', `/api/v1/regulator/companies/${c.id}/decision`, reg, { decision: 'approve' });
  expect(res.statusCode, res.body).toBe(200);
  return c;
}

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

describe('company application', () => {
  test('a resident applies: draft, becomes the pending company admin, audited, idempotent', async () => {
    const r = await registerResident(t);
    const body = application();
    const headers = { cookie: r.cookie, 'idempotency-key': `apply-${Date.now()}` };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/companies/applications',
      headers,
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      type: 'company',
      status: 'pending',
      applicationStatus: 'draft',
      uscc: body.uscc,
      model: 'employee',
      district: '440106',
      location: { lon: 113.361, lat: 23.125, coordSystem: 'wgs84' },
      contactPhone: '13812345678',
      creditGrade: null,
      licence: null,
    });
    expect(c.reviews).toEqual([expect.objectContaining({ action: 'create', toStatus: 'draft' })]);
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/companies/applications',
      headers,
      payload: body,
    });
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(c.id);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    const me = await req('GET', '/api/v1/auth/me', r.cookie);
    expect(me.json().user.roles).toContain('company_admin');
    expect(me.json().user.memberships).toEqual([
      expect.objectContaining({ orgId: c.id, orgType: 'company', role: 'admin' }),
    ]);
    const [row] = await t.database.db.select().from(organization).where(eq(organization.id, c.id));
    expect(row!.contactPhoneEnc).not.toContain('13812345678');
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, c.id), eq(auditLog.action, 'orgs.application_created')));
    expect(audits).toHaveLength(1);
    const own = await req('GET', `/api/v1/companies/applications/${c.id}`, r.cookie);
    expect(own.statusCode).toBe(200);
  });

  test('invalid USCC → 422 ORG_USCC_INVALID, nothing stored', async () => {
    const r = await registerResident(t);
    const good = uscc();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    for (const code of [bad, '123', '91440106MA59XXXXXI']) {
      const res = await req('POST', '/api/v1/companies/applications', r.cookie, application({ uscc: code }));
      expect(res.statusCode, code).toBe(422);
      expect(res.json().code).toBe('ORG_USCC_INVALID');
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const rows = await t.database.db.select().from(organization).where(eq(organization.uscc, bad));
    expect(rows).toHaveLength(0);
    const mem = await t.database.db.select().from(orgMembership).where(eq(orgMembership.userId, r.user.id));
    expect(mem).toHaveLength(0);
  });

  test('lower case and spaces are normalised; a duplicate USCC is 409 ORG_USCC_TAKEN', async () => {
    const a = await registerResident(t);
    const b = await registerResident(t);
    const code = uscc();
    const first = await req(
      'POST',
      '/api/v1/companies/applications',
      a.cookie,
      application({ uscc: ` ${code.toLowerCase()} ` }),
    );
    expect(first.statusCode).toBe(201);
    expect(first.json().uscc).toBe(code);
    const dup = await req('POST', '/api/v1/companies/applications', b.cookie, application({ uscc: code }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('ORG_USCC_TAKEN');
  });

  test('bad input: unknown field, bad district, bad category, swapped coordinates, bad phone → 422', async () => {
    const r = await registerResident(t);
    const cases = [
      application({ extra: 1 }),
      application({ district: '110101' }),
      application({ serviceCategories: ['massage'] }),
      application({ serviceCategories: [] }),
      application({ location: { lon: 23.1, lat: 113.3 } }),
      application({ model: 'franchise' }),
    ];
    for (const body of cases) {
      const res = await req('POST', '/api/v1/companies/applications', r.cookie, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
    }
    const phone = await req(
      'POST',
      '/api/v1/companies/applications',
      r.cookie,
      application({ contactPhone: '12345' }),
    );
    expect(phone.statusCode).toBe(422);
    expect(phone.json().code).toBe('PHONE_INVALID');
    const anon = await req('POST', '/api/v1/companies/applications', undefined, application());
    expect(anon.statusCode).toBe(401);
  });

  test('licence upload: PNG and PDF accepted by content; a renamed executable and oversize refused', async () => {
    const r = await registerResident(t);
    const id = (await req('POST', '/api/v1/companies/applications', r.cookie, application())).json().id;
    const exe = await upload(id, r.cookie, EXE, 'licence.png', 'image/png');
    expect(exe.statusCode).toBe(415);
    expect(exe.json().code).toBe('FILE_TYPE_NOT_ALLOWED');
    const big = await upload(
      id,
      r.cookie,
      Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]),
      'big.png',
      'image/png',
    );
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('FILE_TOO_LARGE');
    const [before] = await t.database.db.select().from(organization).where(eq(organization.id, id));
    expect(before!.licenceKey).toBeNull();

    const pdf = await upload(id, r.cookie, PDF, 'licence.pdf', 'application/pdf');
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.json().licence).toMatchObject({ mime: 'application/pdf', size: PDF.length });
    const png = await upload(id, r.cookie, PNG, 'licence.png', 'image/png');
    expect(png.json().licence.mime).toBe('image/png');
    const [row] = await t.database.db.select().from(organization).where(eq(organization.id, id));
    expect(row!.licenceKey).toMatch(new RegExp(`^orgs/${id}/licence-[0-9a-f]{16}\\.png$`));
    const file = await req('GET', `/api/v1/companies/${id}/licence`, r.cookie);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(PNG)).toBe(true);
    const json = await req('POST', `/api/v1/companies/applications/${id}/licence`, r.cookie, {});
    expect(json.statusCode).toBe(415);
  });

  test('submit needs the licence; then the application is locked', async () => {
    const r = await registerResident(t);
    const id = (await req('POST', '/api/v1/companies/applications', r.cookie, application())).json().id;
    const early = await req('POST', `/api/v1/companies/applications/${id}/submit`, r.cookie);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('ORG_LICENCE_MISSING');
    await upload(id, r.cookie, PNG, 'l.png', 'image/png');
    const sub = await req('POST', `/api/v1/companies/applications/${id}/submit`, r.cookie);
    expect(sub.json().applicationStatus).toBe('submitted');
    const again = await req('POST', `/api/v1/companies/applications/${id}/submit`, r.cookie);
    expect(again.json().code).toBe('ORG_INVALID_TRANSITION');
    const edit = await req('PUT', `/api/v1/companies/applications/${id}`, r.cookie, application());
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('ORG_APPLICATION_NOT_EDITABLE');
    const lic = await upload(id, r.cookie, PNG, 'l.png', 'image/png');
    expect(lic.json().code).toBe('ORG_APPLICATION_NOT_EDITABLE');
  });
});

describe('regulator review', () => {
  test('queue, request info, resubmit with changes, approve → public; history kept', async () => {
    const { id, applicant } = await submittedCompany();
    const reg = await regulator();
    const queue = await req('GET', '/api/v1/regulator/companies?state=submitted&limit=100', reg);
    expect(queue.statusCode).toBe(200);
    expect(queue.json().items.map((x: { id: string }) => x.id)).toContain(id);

    const noReason = await req('POST', `/api/v1/regulator/companies/${id}/decision`, reg, {
      decision: 'request_info',
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().code).toBe('ORG_REASON_REQUIRED');
    const ask = await req('POST', `/api/v1/regulator/companies/${id}/decision`, reg, {
      decision: 'request_info',
      reason: '营业执照不清晰',
    });
    expect(ask.json().applicationStatus).toBe('needs_more_info');
    const notYet = await req('POST', `/api/v1/regulator/companies/${id}/decision`, reg, {
      decision: 'approve',
    });
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json().code).toBe('ORG_INVALID_TRANSITION');

    const edited = await req(
      'PUT',
      `/api/v1/companies/applications/${id}`,
      applicant.cookie,
      application({ name: '天河安心家政（新）' }),
    );
    expect(edited.statusCode, edited.body).toBe(200);
    await upload(id, applicant.cookie, PDF, 'l.pdf', 'application/pdf');
    const resub = await req('POST', `/api/v1/companies/applications/${id}/submit`, applicant.cookie);
    expect(resub.json().applicationStatus).toBe('submitted');

    expect((await req('GET', `/api/v1/public/companies/${id}`)).statusCode).toBe(404);
    const ok = await req('POST', `/api/v1/regulator/companies/${id}/decision`, reg, { decision: 'approve' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'active',
      applicationStatus: 'approved',
      name: '天河安心家政（新）',
    });
    expect(ok.json().reviews.map((x: { action: string }) => x.action)).toEqual([
      'create',
      'submit',
      'request_info',
      'submit',
      'approve',
    ]);
    const hist = await t.database.db.select().from(orgReview).where(eq(orgReview.orgId, id));
    expect(hist.find((h) => h.action === 'request_info')!.reason).toBe('营业执照不清晰');
    const pub = await req('GET', `/api/v1/public/companies/${id}`);
    expect(pub.statusCode).toBe(200);
  });

  test('reject with reason frees the USCC for a new application', async () => {
    const code = uscc();
    const { id } = await submittedCompany({ uscc: code });
    const reg = await regulator();
    const rej = await req('POST', `/api/v1/regulator/companies/${id}/decision`, reg, {
      decision: 'reject',
      reason: '材料虚假',
    });
    expect(rej.json()).toMatchObject({ applicationStatus: 'rejected', status: 'pending' });
    const after = await req('POST', `/api/v1/regulator/companies/${id}/decision`, reg, {
      decision: 'approve',
    });
    expect(after.json().code).toBe('ORG_INVALID_TRANSITION');
    const other = await registerResident(t);
    const again = await req(
      'POST',
      '/api/v1/companies/applications',
      other.cookie,
      application({ uscc: code }),
    );
    expect(again.statusCode).toBe(201);
  });

  test('suspend, reinstate, expel with reasons; expelled is final and hidden; drafts are not visible', async () => {
    const { id, applicant } = await activeCompany();
    const reg = await regulator();
    const s0 = await req('POST', `/api/v1/regulator/companies/${id}/status`, reg, { action: 'suspend' });
    expect(s0.json().code).toBe('ORG_REASON_REQUIRED');
    const s1 = await req('POST', `/api/v1/regulator/companies/${id}/status`, reg, {
      action: 'suspend',
      reason: '投诉核查',
    });
    expect(s1.json().status).toBe('suspended');
    expect((await req('GET', `/api/v1/public/companies/${id}`)).statusCode).toBe(404);
    const s2 = await req('POST', `/api/v1/regulator/companies/${id}/status`, reg, { action: 'reinstate' });
    expect(s2.json().status).toBe('active');
    const s3 = await req('POST', `/api/v1/regulator/companies/${id}/status`, reg, {
      action: 'expel',
      reason: '严重违规，清退',
    });
    expect(s3.json().status).toBe('expelled');
    const s4 = await req('POST', `/api/v1/regulator/companies/${id}/status`, reg, { action: 'reinstate' });
    expect(s4.json().code).toBe('ORG_INVALID_TRANSITION');
    // The expelled company's admin loses the role on the very next request.
    const me = await req('GET', '/api/v1/auth/me', applicant.cookie);
    expect(me.json().user.roles).not.toContain('company_admin');

    const draftOwner = await registerResident(t);
    const draft = (
      await req('POST', '/api/v1/companies/applications', draftOwner.cookie, application())
    ).json().id;
    expect((await req('GET', `/api/v1/regulator/companies/${draft}`, reg)).statusCode).toBe(404);
    expect(
      (await req('POST', `/api/v1/regulator/companies/${draft}/decision`, reg, { decision: 'approve' }))
        .statusCode,
    ).toBe(404);
  });

  test('a district regulator sees and acts only in their district (404 hidden, 403 on a public one), audited', async () => {
    const inside = await submittedCompany({ district: '440106' });
    const outside = await submittedCompany({ district: '440103', location: { lon: 113.244, lat: 23.126 } });
    const tianhe = await regulator('440106');
    const list = await req('GET', '/api/v1/regulator/companies?state=submitted&limit=100', tianhe);
    const ids = list.json().items.map((x: { id: string }) => x.id);
    expect(ids).toContain(inside.id);
    expect(ids).not.toContain(outside.id);
    const other = await req('GET', '/api/v1/regulator/companies?state=submitted&district=440103', tianhe);
    expect(other.json().items).toEqual([]);
    expect((await req('GET', `/api/v1/regulator/companies/${outside.id}`, tianhe)).statusCode).toBe(404);
    const act = await req('POST', `/api/v1/regulator/companies/${outside.id}/decision`, tianhe, {
      decision: 'approve',
    });
    expect(act.statusCode).toBe(404);
    const lic = await req('GET', `/api/v1/companies/${outside.id}/licence`, tianhe);
    expect(lic.statusCode).toBe(404);
    const city = await regulator();
    await req('POST', `/api/v1/regulator/companies/${outside.id}/decision`, city, { decision: 'approve' });
    const act2 = await req('POST', `/api/v1/regulator/companies/${outside.id}/status`, tianhe, {
      action: 'suspend',
      reason: 'x',
    });
    expect(act2.statusCode).toBe(403);
    const ok = await req('POST', `/api/v1/regulator/companies/${inside.id}/decision`, tianhe, {
      decision: 'approve',
    });
    expect(ok.statusCode).toBe(200);
    const denied = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, outside.id), eq(auditLog.outcome, 'denied')));
    expect(denied.length).toBeGreaterThanOrEqual(3);
    const [row] = await t.database.db.select().from(organization).where(eq(organization.id, outside.id));
    expect(row!.status).toBe('active');
  });

  test('keyset pagination of the queue', async () => {
    for (let i = 0; i < 3; i++)
      await submittedCompany({ district: '440118', location: { lon: 113.811, lat: 23.261 } });
    const reg = await regulator();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/regulator/companies?state=submitted&district=440118&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await req('GET', q, reg)).json();
      seen.push(...page.items.map((x: { id: string }) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(3);
    expect([...seen].sort()).toEqual(seen);
    expect((await req('GET', '/api/v1/regulator/companies?limit=101', reg)).statusCode).toBe(422);
    expect((await req('GET', '/api/v1/regulator/companies?cursor=garbage', reg)).statusCode).toBe(422);
  });
});

describe('public listings', () => {
  test('only active companies, filtered by district and category, contact masked', async () => {
    const a = await activeCompany({
      district: '440117',
      location: { lon: 113.587, lat: 23.548 },
      serviceCategories: ['elder_care'],
      contactName: '欧阳小芳',
      contactPhone: '13900139000',
    });
    const pending = await submittedCompany({ district: '440117', location: { lon: 113.587, lat: 23.548 } });
    const list = await req('GET', '/api/v1/public/companies?district=440117&limit=100');
    expect(list.statusCode).toBe(200);
    const items = list.json().items;
    expect(items.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect(items[0]).toMatchObject({ contactName: '欧**芳', contactPhoneMasked: '139****9000' });
    expect(JSON.stringify(list.json())).not.toContain('13900139000');
    expect(items[0]).not.toHaveProperty('contactPhone');
    expect(items[0]).not.toHaveProperty('status');
    const cat = await req('GET', '/api/v1/public/companies?district=440117&category=maternity');
    expect(cat.json().items).toEqual([]);
    const cat2 = await req('GET', '/api/v1/public/companies?district=440117&category=elder_care');
    expect(cat2.json().items).toHaveLength(1);
    const one = await req('GET', `/api/v1/public/companies/${a.id}`);
    expect(JSON.stringify(one.json())).not.toContain('13900139000');
    expect((await req('GET', `/api/v1/public/companies/${pending.id}`)).statusCode).toBe(404);
    expect((await req('GET', '/api/v1/public/companies?category=nope')).statusCode).toBe(422);
  });
});

describe('admin organizations, invitations and memberships', () => {
  test('admin creates a station with a first admin invitation; the invitee accepts and becomes station staff', async () => {
    const admin = await platformAdmin();
    const invitee = await registerResident(t);
    const res = await req('POST', '/api/v1/admin/organizations', admin, {
      type: 'station',
      name: '天河南街道家政服务站',
      district: '440106',
      address: '天河南一路 1 号',
      location: { lon: 113.33, lat: 23.13 },
      contactName: '黄建国',
      contactPhone: '020-38881234',
      adminPhone: invitee.phone,
    });
    expect(res.statusCode, res.body).toBe(201);
    const station = res.json();
    expect(station).toMatchObject({ type: 'station', contactPhoneMasked: '020-******34' });
    const pub = await req('GET', '/api/v1/public/organizations?type=station&district=440106&limit=100');
    expect(pub.json().items.map((x: { id: string }) => x.id)).toContain(station.id);

    const [inv] = await t.database.db.select().from(orgInvitation).where(eq(orgInvitation.orgId, station.id));
    expect(inv!.phoneHash).not.toContain(invitee.phone);
    expect(inv!.phoneEnc).not.toContain(invitee.phone);

    const mine = await req('GET', '/api/v1/me/invitations', invitee.cookie);
    expect(mine.json().items).toEqual([
      expect.objectContaining({ orgId: station.id, role: 'admin', orgType: 'station' }),
    ]);
    const stranger = await registerResident(t);
    expect((await req('GET', '/api/v1/me/invitations', stranger.cookie)).json().items).toEqual([]);
    expect((await req('POST', `/api/v1/me/invitations/${inv!.id}/accept`, stranger.cookie)).statusCode).toBe(
      404,
    );

    const acc = await req('POST', `/api/v1/me/invitations/${inv!.id}/accept`, invitee.cookie);
    expect(acc.json()).toEqual({ status: 'accepted', orgId: station.id });
    const me = await req('GET', '/api/v1/auth/me', invitee.cookie);
    expect(me.json().user.roles).toContain('station_staff');
    const twice = await req('POST', `/api/v1/me/invitations/${inv!.id}/accept`, invitee.cookie);
    expect(twice.json().code).toBe('ORG_INVITATION_CLOSED');

    const tianhe = await regulator('440106');
    const elsewhere = await req('POST', '/api/v1/admin/organizations', tianhe, {
      type: 'training',
      name: '白云培训',
      district: '440111',
      address: '白云大道 1 号',
      location: { lon: 113.27, lat: 23.22 },
      contactName: '周老师',
      contactPhone: '13800001111',
    });
    expect(elsewhere.statusCode).toBe(403);
  });

  test('a company admin invites staff; staff accept, decline; admin lists and ends memberships; cross-company 404', async () => {
    const a = await activeCompany();
    const b = await activeCompany();
    const staff = await registerResident(t);
    const inv = await req('POST', `/api/v1/orgs/${a.id}/invitations`, a.applicant.cookie, {
      phone: staff.phone,
      role: 'staff',
    });
    expect(inv.statusCode, inv.body).toBe(201);
    expect(inv.json().phoneMasked).toBe(`${staff.phone.slice(0, 3)}****${staff.phone.slice(7)}`);
    const dup = await req('POST', `/api/v1/orgs/${a.id}/invitations`, a.applicant.cookie, {
      phone: staff.phone,
      role: 'staff',
    });
    expect(dup.json().code).toBe('ORG_INVITATION_PENDING');
    const self = await req('POST', `/api/v1/orgs/${a.id}/invitations`, a.applicant.cookie, {
      phone: a.applicant.phone,
      role: 'staff',
    });
    expect(self.json().code).toBe('ORG_ALREADY_MEMBER');
    const badPhone = await req('POST', `/api/v1/orgs/${a.id}/invitations`, a.applicant.cookie, {
      phone: '123',
      role: 'staff',
    });
    expect(badPhone.statusCode).toBe(422);

    // Company B's admin can neither see nor act on company A.
    for (const [m, url, body] of [
      ['GET', `/api/v1/orgs/${a.id}/members`, undefined],
      ['GET', `/api/v1/orgs/${a.id}/invitations`, undefined],
      ['POST', `/api/v1/orgs/${a.id}/invitations`, { phone: uniquePhone(), role: 'staff' }],
      ['GET', `/api/v1/companies/applications/${a.id}`, undefined],
      ['GET', `/api/v1/companies/${a.id}/licence`, undefined],
      ['PUT', `/api/v1/companies/applications/${a.id}`, application()],
    ] as const) {
      const res = await req(m, url, b.applicant.cookie, body);
      expect(res.statusCode, url).toBe(404);
    }

    const list = (await req('GET', '/api/v1/me/invitations', staff.cookie)).json().items;
    expect(list).toHaveLength(1);
    await req('POST', `/api/v1/me/invitations/${list[0].id}/accept`, staff.cookie);
    const me = await req('GET', '/api/v1/auth/me', staff.cookie);
    expect(me.json().user.roles).toContain('company_staff');
    // A staff member is not an admin: refused at the door.
    expect((await req('GET', `/api/v1/orgs/${a.id}/members`, staff.cookie)).statusCode).toBe(403);

    const declined = await registerResident(t);
    await req('POST', `/api/v1/orgs/${a.id}/invitations`, a.applicant.cookie, {
      phone: declined.phone,
      role: 'admin',
    });
    const dl = (await req('GET', '/api/v1/me/invitations', declined.cookie)).json().items;
    const dres = await req('POST', `/api/v1/me/invitations/${dl[0].id}/decline`, declined.cookie);
    expect(dres.json().status).toBe('declined');

    const members = (await req('GET', `/api/v1/orgs/${a.id}/members`, a.applicant.cookie)).json().items;
    expect(members).toHaveLength(2);
    const staffMember = members.find((x: { userId: string }) => x.userId === staff.user.id);
    expect(staffMember).toMatchObject({ role: 'staff', name: '测试居民', endedAt: null });
    const adminMember = members.find((x: { role: string }) => x.role === 'admin');
    const last = await req('POST', `/api/v1/orgs/${a.id}/members/${adminMember.id}/end`, a.applicant.cookie);
    expect(last.json().code).toBe('ORG_LAST_ADMIN');
    const cross = await req('POST', `/api/v1/orgs/${b.id}/members/${staffMember.id}/end`, b.applicant.cookie);
    expect(cross.statusCode).toBe(404);
    const end = await req('POST', `/api/v1/orgs/${a.id}/members/${staffMember.id}/end`, a.applicant.cookie);
    expect(end.statusCode).toBe(204);
    // The very next request no longer carries the role.
    const after = await req('GET', '/api/v1/auth/me', staff.cookie);
    expect(after.json().user.roles).not.toContain('company_staff');
    const hist = (
      await req('GET', `/api/v1/orgs/${a.id}/members?includeEnded=true`, a.applicant.cookie)
    ).json().items;
    expect(hist.find((x: { id: string }) => x.id === staffMember.id).endedAt).not.toBeNull();
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, staffMember.id), eq(auditLog.action, 'orgs.membership_ended')));
    expect(audits).toHaveLength(1);
  });

  test('a pending company cannot invite staff', async () => {
    const { id, applicant } = await submittedCompany();
    const res = await req('POST', `/api/v1/orgs/${id}/invitations`, applicant.cookie, {
      phone: uniquePhone(),
      role: 'staff',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ORG_NOT_ACTIVE');
  });
});

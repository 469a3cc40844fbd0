import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { outboxEvent } from '../../../platform/outbox/outbox.tables.js';
import { createPii } from '../../../platform/pii/index.js';
import { createNotificationsService } from '../../notifications/index.js';
import { parseCertificateNumber } from '../certificate-number.js';
import { createCertificationService } from '../certification.service.js';
import { certificate } from '../certification.tables.js';
import { seedCertificates } from '../seed.js';
import { ctxOf, fakeWorkers, passingFacts } from './fakes.js';
import { randomBytes } from 'node:crypto';

let t: TestApp;
const fake = fakeWorkers();
let svc: ReturnType<typeof createCertificationService>;
let notes: ReturnType<typeof createNotificationsService>;
let cityReg: ReturnType<typeof ctxOf>;
let tianheReg: ReturnType<typeof ctxOf>;
let haizhuReg: ReturnType<typeof ctxOf>;
let admin: ReturnType<typeof ctxOf>;
let companyId: string;
let workerUser: string;
let companyMember: string;
const clock = { now: new Date('2026-06-15T04:00:00Z') };

async function user(roles: { role: 'regulator' | 'worker' | 'platform_admin'; district?: string }[] = []) {
  return t.app.services.identity.createAccount({
    phone: uniquePhone(),
    password: 'Cert2026pass',
    name: '测试',
    roles,
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  const { orgs } = t.app.services;
  companyId = await orgs.createOrganization(t.database.db, {
    type: 'company',
    name: '安心测试家政公司',
    district: '440106',
  });
  companyMember = await user();
  await orgs.addMember(t.database.db, { orgId: companyId, userId: companyMember, role: 'admin' });
  workerUser = await user([{ role: 'worker' }]);
  cityReg = ctxOf({ userId: await user([{ role: 'regulator' }]), roles: ['regulator'] });
  tianheReg = ctxOf({
    userId: await user([{ role: 'regulator', district: '440106' }]),
    roles: ['regulator'],
    regulatorDistrict: '440106',
  });
  haizhuReg = ctxOf({
    userId: await user([{ role: 'regulator', district: '440105' }]),
    roles: ['regulator'],
    regulatorDistrict: '440105',
  });
  admin = ctxOf({ userId: await user([{ role: 'platform_admin' }]), roles: ['platform_admin'] });
  notes = createNotificationsService({ db: t.database.db, clock: () => clock.now });
  svc = createCertificationService({
    db: t.database.db,
    clock: () => clock.now,
    pii: createPii({ key: randomBytes(32), hashKey: randomBytes(32) }),
    storage: { get: async () => Buffer.alloc(0) },
    workers: fake.source,
    orgs: t.app.services.orgs,
    notifications: notes,
    publicUrl: 'https://anxin.example',
  });
});
afterAll(async () => t.close());

async function notesOf(userId: string, orgId?: string) {
  const memberships = orgId
    ? [{ orgId, orgName: 'x', orgType: 'company' as const, role: 'admin' as const }]
    : [];
  return (await notes.listMine(ctxOf({ userId, memberships }).actor!, { limit: 100 })).items.reverse();
}

function add(over: Parameters<typeof passingFacts>[0] = {}) {
  const f = passingFacts(over);
  fake.facts.set(f.workerId, f);
  return f;
}

describe('issue', () => {
  test('each failing check is listed in CERT_CHECKS_INCOMPLETE and nothing is stored', async () => {
    const f = add({
      consent: null,
      identity: { verified: false, verifiedAt: null },
      health: { state: 'valid', validUntil: '2026-06-14' },
      training: { state: 'failed', passedOn: null },
      background: { state: 'pending', checkedOn: null },
      skillCert: { state: 'missing' },
    });
    const err = await svc.issue(cityReg, f.workerId).catch((e) => e);
    expect(err.code).toBe('CERT_CHECKS_INCOMPLETE');
    expect(err.status).toBe(409);
    expect(err.issues.map((i: { path: string }) => i.path)).toEqual([
      'consent',
      'identity',
      'health',
      'training',
      'background',
      'skill',
    ]);
    expect(
      await t.database.db.select().from(certificate).where(eq(certificate.workerId, f.workerId)),
    ).toEqual([]);
  });

  for (const [key, over] of [
    ['consent', { consent: null }],
    ['identity', { identity: { verified: false, verifiedAt: null } }],
    ['health', { health: { state: 'expired', validUntil: '2026-01-01' } }],
    ['training', { training: { state: 'missing', passedOn: null } }],
    ['background', { background: { state: 'record_found', checkedOn: '2026-01-01' } }],
    ['skill', { skillCert: { state: 'rejected' } }],
  ] as const)
    test(`a failing ${key} check alone blocks issuing`, async () => {
      const f = add(over as never);
      const err = await svc.issue(cityReg, f.workerId).catch((e) => e);
      expect(err.code).toBe('CERT_CHECKS_INCOMPLETE');
      expect(err.issues).toEqual([{ path: key, message: expect.any(String) }]);
    });

  test('issues with a checked number, audit row and outbox event; a second issue is refused', async () => {
    const f = add({ companyId });
    const c = await svc.issue(tianheReg, f.workerId);
    expect(parseCertificateNumber(c.number)).toBe(c.number);
    expect(c.number.startsWith('AX440106-2026-')).toBe(true);
    expect(c.state).toBe('active');
    expect(new Date(c.validUntil).getUTCFullYear()).toBe(2027);
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, c.id));
    expect(audit.map((a) => a.action)).toEqual(['certification.issue']);
    const events = await t.database.db
      .select()
      .from(outboxEvent)
      .where(eq(outboxEvent.topic, 'certification.issued'));
    expect(events.some((e) => (e.payload as { certificateId: string }).certificateId === c.id)).toBe(true);
    await expect(svc.issue(tianheReg, f.workerId)).rejects.toMatchObject({ code: 'CERT_ALREADY_ISSUED' });
    const second = await svc.issue(cityReg, add().workerId);
    expect(Number(second.number.slice(14, 20))).toBe(Number(c.number.slice(14, 20)) + 1);
  });

  test('a district regulator acts only within the district (refusal audited); unknown worker is 404', async () => {
    const f = add();
    await expect(svc.issue(haizhuReg, f.workerId)).rejects.toMatchObject({
      code: 'CERT_OUT_OF_DISTRICT',
      status: 403,
    });
    const denied = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, f.workerId));
    expect(denied.map((a) => a.outcome)).toEqual(['denied']);
    await expect(svc.regulatorWorkerView(haizhuReg, f.workerId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(svc.issue(cityReg, 'wk_nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const c = await svc.issue(tianheReg, f.workerId);
    await expect(svc.suspend(haizhuReg, c.id, '投诉核查')).rejects.toMatchObject({
      code: 'CERT_OUT_OF_DISTRICT',
    });
    const listed = await svc.list(haizhuReg, { limit: 100 });
    expect(listed.items.some((i) => i.id === c.id)).toBe(false);
    expect((await svc.list(tianheReg, { limit: 100, q: c.number })).items.map((i) => i.id)).toEqual([c.id]);
  });
});

describe('transitions and live colour', () => {
  test('suspend → reinstate → revoke, each audited with an event; refused moves are 409/422', async () => {
    const f = add({ userId: workerUser, companyId });
    const c = await svc.issue(cityReg, f.workerId);
    expect((await svc.workerStatus(f.workerId)).status.color).toBe('green');
    expect(await svc.canTakeNewBookings(f.workerId)).toBe(true);
    await expect(svc.reinstate(cityReg, c.id)).rejects.toMatchObject({ code: 'CERT_INVALID_TRANSITION' });
    await expect(svc.suspend(cityReg, c.id, ' ')).rejects.toMatchObject({ code: 'CERT_REASON_REQUIRED' });
    expect((await svc.suspend(cityReg, c.id, '投诉调查中')).state).toBe('suspended');
    expect((await svc.workerStatus(f.workerId)).status).toMatchObject({ color: 'red', reason: 'suspended' });
    await expect(svc.suspend(cityReg, c.id, 'again')).rejects.toMatchObject({
      code: 'CERT_INVALID_TRANSITION',
    });
    expect((await svc.reinstate(cityReg, c.id)).state).toBe('active');
    const revoked = await svc.revoke(cityReg, c.id, '严重投诉属实');
    expect(revoked).toMatchObject({ state: 'revoked', stateReason: '严重投诉属实' });
    expect((await svc.workerStatus(f.workerId)).status).toMatchObject({ color: 'red', reason: 'revoked' });
    expect(await svc.canTakeNewBookings(f.workerId)).toBe(false);
    for (const a of ['suspend', 'revoke'] as const)
      await expect(svc[a](cityReg, c.id, 'x')).rejects.toMatchObject({ code: 'CERT_INVALID_TRANSITION' });
    await expect(svc.reinstate(cityReg, c.id)).rejects.toMatchObject({ code: 'CERT_INVALID_TRANSITION' });
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, c.id));
    expect(audit.map((a) => a.action)).toEqual([
      'certification.issue',
      'certification.suspend',
      'certification.reinstate',
      'certification.revoke',
    ]);
    const [ev] = (
      await t.database.db.select().from(outboxEvent).where(eq(outboxEvent.topic, 'certification.revoked'))
    ).filter((e) => (e.payload as { certificateId: string }).certificateId === c.id);
    expect(ev?.payload).toMatchObject({ reason: '严重投诉属实', companyId });
    // After revocation a new certificate may be issued (the partial unique index allows one live per worker).
    expect((await svc.issue(cityReg, f.workerId)).state).toBe('active');
    await svc.notifyRevoked(ev!.payload as never);
    expect(
      (await notesOf(workerUser)).some((n) => n.kind === 'certification.revoked' && n.scope === 'personal'),
    ).toBe(true);
    expect(
      (await notesOf(companyMember, companyId)).some(
        (n) => n.kind === 'certification.revoked' && n.scope === 'organization',
      ),
    ).toBe(true);
  });

  test('health expiry turns green to yellow and blocks bookings; background record turns red', async () => {
    const f = add();
    const c = await svc.issue(cityReg, f.workerId);
    const token = (await svc.list(cityReg, { limit: 1, q: c.number })).items[0];
    expect(token?.color).toBe('green');
    fake.facts.set(f.workerId, { ...f, health: { state: 'valid', validUntil: '2026-06-14' } });
    expect((await svc.workerStatus(f.workerId)).status).toMatchObject({
      color: 'yellow',
      reason: 'health_expired',
    });
    expect(await svc.canTakeNewBookings(f.workerId)).toBe(false);
    expect((await svc.verifyNumber(c.number)).color).toBe('yellow');
    fake.facts.set(f.workerId, { ...f, background: { state: 'record_found', checkedOn: '2026-06-01' } });
    const v = await svc.verifyNumber(c.number);
    expect(v).toMatchObject({
      color: 'red',
      reason: 'background_risk',
      backgroundPassed: false,
      backgroundCheckedOn: null,
    });
    expect((await svc.list(cityReg, { limit: 100, color: 'red' })).items.some((i) => i.id === c.id)).toBe(
      true,
    );
  });
});

describe('QR tokens and keys', () => {
  test('token verifies, survives rotation, dies with its retired key; the card is re-keyed', async () => {
    const f = add({ userId: await user([{ role: 'worker' }]), companyId });
    const c = await svc.issue(cityReg, f.workerId);
    const me = ctxOf({ userId: f.userId!, roles: ['worker'] });
    const url1 = (await svc.myWallet(me)).verifyUrl!;
    expect(url1.startsWith('https://anxin.example/v/')).toBe(true);
    const token1 = url1.split('/v/')[1]!;
    expect((await svc.myWallet(me)).verifyUrl).toBe(url1); // stable
    const v = await svc.verifyToken(token1);
    expect(v).toMatchObject({
      number: c.number,
      maskedName: '张*芳',
      color: 'green',
      company: { name: '安心测试家政公司' },
    });
    expect(v?.insurance).toEqual({ status: 'none', label: '未投保' });

    const oldKid = token1.split('.')[0]!;
    await expect(svc.retireKey(admin, oldKid)).rejects.toMatchObject({ code: 'QR_KEY_ACTIVE' });
    const rotated = await svc.rotateKey(admin);
    expect(rotated.previous).toBe(oldKid);
    expect(await svc.verifyToken(token1)).not.toBeNull(); // old key still verifies
    expect((await svc.myWallet(me)).verifyUrl).toBe(url1); // no re-print needed
    await svc.retireKey(admin, oldKid);
    expect(await svc.verifyToken(token1)).toBeNull(); // retired
    const url2 = (await svc.myWallet(me)).verifyUrl!;
    expect(url2).not.toBe(url1);
    expect(url2.split('/v/')[1]!.startsWith(rotated.kid)).toBe(true);
    expect(await svc.verifyToken(url2.split('/v/')[1]!)).not.toBeNull();
    await expect(svc.retireKey(admin, 'knope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const keys = await svc.listKeys();
    expect(keys.find((k) => k.kid === oldKid)?.retiredAt).not.toBeNull();
    expect(JSON.stringify(keys)).not.toContain('secret');
  });

  test('tampered, forged and unknown-key tokens are null; verifications are counted', async () => {
    const f = add({ userId: await user([{ role: 'worker' }]) });
    const c = await svc.issue(cityReg, f.workerId);
    const token = (await svc.myWallet(ctxOf({ userId: f.userId!, roles: ['worker'] }))).verifyUrl!.split(
      '/v/',
    )[1]!;
    const [kid, payload, sig] = token.split('.') as [string, string, string];
    const alt = Buffer.from(JSON.stringify({ c: c.id, t: 1 })).toString('base64url');
    expect(await svc.verifyToken(`${kid}.${alt}.${sig}`)).toBeNull();
    expect(await svc.verifyToken(`${kid}.${payload}.${sig.slice(1)}A`)).toBeNull();
    expect(await svc.verifyToken(`kunknown1.${payload}.${sig}`)).toBeNull();
    expect(await svc.verifyToken('not-a-token')).toBeNull();
    const before = await svc.verificationCount(c.id);
    await svc.verifyToken(token);
    await svc.verifyNumber(c.number.toLowerCase());
    expect(await svc.verificationCount(c.id)).toBe(before + 2);
    await expect(
      svc.verifyNumber(`${c.number.slice(0, -1)}${c.number.endsWith('0') ? '1' : '0'}`),
    ).rejects.toMatchObject({
      code: 'CERT_NUMBER_INVALID',
    });
    await expect(svc.verifyNumber('AX440106-2026-999999-' + 'X')).rejects.toMatchObject({
      code: expect.stringMatching(/NOT_FOUND|CERT_NUMBER_INVALID/),
    });
  });
});

describe('cards', () => {
  test('own card shows the full name; company and regulator get masked; strangers 404', async () => {
    const f = add({ userId: await user([{ role: 'worker' }]), companyId });
    await svc.issue(cityReg, f.workerId);
    const own = await svc.card(ctxOf({ userId: f.userId!, roles: ['worker'] }), { self: true }, 'pdf');
    expect(own.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(own.body.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(own.body.toString('latin1')).toContain('NotoSansCJKsc-Regular');
    const png = await svc.card(
      ctxOf({
        userId: companyMember,
        roles: ['company_admin'],
        memberships: [{ orgId: companyId, orgName: 'x', orgType: 'company', role: 'admin' }],
      }),
      { workerId: f.workerId },
      'png',
    );
    expect(png.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.body.readUInt32BE(16)).toBe(972);
    expect(png.body.readUInt32BE(20)).toBe(612);
    await expect(svc.card(haizhuReg, { workerId: f.workerId }, 'pdf')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      svc.card(ctxOf({ userId: companyMember, roles: ['company_admin'] }), { workerId: f.workerId }, 'pdf'),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await svc.card(tianheReg, { workerId: f.workerId }, 'pdf')).body.length).toBeGreaterThan(1000);
  });
});

describe('expiry reminders', () => {
  test('30 days ahead and the day after expiry, once per document and threshold, to worker and company', async () => {
    const w = await user([{ role: 'worker' }]);
    const f = add({ userId: w, companyId, health: { state: 'valid', validUntil: '2026-07-10' } });
    await svc.issue(cityReg, f.workerId);
    const mine = async () => (await notesOf(w)).filter((n) => n.scope === 'personal');
    clock.now = new Date('2026-06-10T01:00:00Z'); // 2026-06-10 in Shanghai: 30 days before 07-10
    await svc.runExpiryReminders();
    expect((await mine()).map((n) => n.kind)).toEqual(['certification.health_due_30d']);
    await svc.runExpiryReminders(); // idempotent
    clock.now = new Date('2026-06-20T01:00:00Z');
    await svc.runExpiryReminders();
    expect(await mine()).toHaveLength(1);
    clock.now = new Date('2026-07-11T01:00:00Z'); // expired yesterday
    fake.facts.set(f.workerId, { ...f, health: { state: 'expired', validUntil: '2026-07-10' } });
    await svc.runExpiryReminders();
    await svc.runExpiryReminders();
    expect((await mine()).map((n) => n.kind).sort()).toEqual([
      'certification.health_due_30d',
      'certification.health_expired',
    ]);
    const org = (await notesOf(companyMember, companyId)).filter((n) => n.scope === 'organization');
    expect(org.filter((n) => n.kind.startsWith('certification.health')).length).toBeGreaterThanOrEqual(2);
    expect(org.every((n) => !n.body.includes('张秀芳') && !n.title.includes('张秀芳'))).toBe(true);
    // The certificate itself (issued 2026-06-15, one year) is reminded 30 days before it ends.
    clock.now = new Date('2027-05-20T01:00:00Z');
    fake.facts.set(f.workerId, { ...f, health: { state: 'valid', validUntil: '2027-12-31' } });
    await svc.runExpiryReminders();
    expect((await mine()).some((n) => n.kind === 'certification.certificate_due_30d')).toBe(true);
    clock.now = new Date('2026-06-15T04:00:00Z');
  });
});

describe('demo seed', () => {
  test('certifies passing workers green, lapsed-health workers yellow, skips the rest; re-running is harmless', async () => {
    const green = add({ district: '440117' });
    const lapsed = add({ district: '440117', health: { state: 'expired', validUntil: '2026-05-01' } });
    const incomplete = add({ district: '440117', training: { state: 'missing', passedOn: null } });
    const out = await seedCertificates(svc, fake.source, cityReg, clock.now);
    expect(out.issued).toBeGreaterThanOrEqual(2);
    expect(out.healthExpired).toBeGreaterThanOrEqual(1);
    expect((await svc.workerStatus(green.workerId)).status.color).toMatch(/green|red/);
    expect((await svc.workerStatus(lapsed.workerId)).status).toMatchObject({
      color: 'yellow',
      reason: 'health_expired',
    });
    expect((await svc.workerStatus(incomplete.workerId)).certificate).toBeNull();
    const again = await seedCertificates(svc, fake.source, cityReg, clock.now);
    expect(again.issued).toBe(0);
  });
});

import type { FastifyInstance } from 'fastify';
import type { PlatformRole } from '../../shared/roles.js';
import { districtByCode, districts } from '../../shared/districts.js';
import {
  type CreditGrade,
  creditGrades,
  labelOf,
  type ServiceCategory,
  serviceCategories,
  serviceCategoryCodes,
} from '../../shared/domain.js';
import { makeUscc } from '../../shared/validators/index.js';
import { newId } from '../platform/db/ids.js';
import type { NewOrganization } from '../modules/orgs/index.js';
import { seedCertificates } from '../modules/certification/index.js';
import { seedDemoWorkers } from '../modules/workers/index.js';
import { seedTraining } from '../modules/training/index.js';
import { seedCatalog } from '../modules/catalog/index.js';
import { seedOrders } from '../modules/orders/index.js';
import { seedFeedback } from '../modules/feedback/index.js';
import { seedInsurance } from '../modules/insurance/index.js';
import { seedCredit } from '../modules/credit/index.js';
import { seedContracts } from '../modules/contracts/index.js';
import { seedInsights } from '../modules/insights/index.js';
import { seedContent } from '../modules/content/index.js';
import { seedPartners } from '../modules/partners/index.js';
import { createRecruitmentService, seedRecruitment } from '../modules/recruitment/index.js';
import { CONSENT_VERSION, createWorkersService } from '../modules/workers/index.js';
import { createRandom, type Random } from './random.js';

export const DEMO_PASSWORD = 'Anxin@2026';
export const DEMO_SEED = 20261128;

export interface DemoAccount {
  key: string;
  label: string;
  phone: string;
  name: string;
  roles: { role: PlatformRole; district?: string }[];
  membership?: { org: 'company' | 'station' | 'training' | 'insurer'; role: 'admin' | 'staff' };
}

/** One account for every role; the README lists them. */
export const demoAccounts: DemoAccount[] = [
  {
    key: 'resident',
    label: '居民 resident',
    phone: '13900000001',
    name: '王丽华',
    roles: [{ role: 'resident' }],
  },
  {
    key: 'worker',
    label: '家政员 worker',
    phone: '13900000002',
    name: '张秀芳',
    roles: [{ role: 'worker' }],
  },
  {
    key: 'companyAdmin',
    label: '企业管理员 company',
    phone: '13900000003',
    name: '陈志强',
    roles: [],
    membership: { org: 'company', role: 'admin' },
  },
  {
    key: 'companyStaff',
    label: '企业员工 staff',
    phone: '13900000004',
    name: '刘晓敏',
    roles: [],
    membership: { org: 'company', role: 'staff' },
  },
  {
    key: 'station',
    label: '服务站 station',
    phone: '13900000005',
    name: '黄建国',
    roles: [],
    membership: { org: 'station', role: 'staff' },
  },
  {
    key: 'training',
    label: '培训机构 training',
    phone: '13900000006',
    name: '周老师',
    roles: [],
    membership: { org: 'training', role: 'admin' },
  },
  {
    key: 'insurer',
    label: '保险公司 insurer',
    phone: '13900000007',
    name: '吴经理',
    roles: [],
    membership: { org: 'insurer', role: 'admin' },
  },
  {
    key: 'regulator',
    label: '监管(市) regulator',
    phone: '13900000008',
    name: '林处长',
    roles: [{ role: 'regulator' }],
  },
  {
    key: 'regulatorDistrict',
    label: '监管(天河) regulator',
    phone: '13900000009',
    name: '郑科长',
    roles: [{ role: 'regulator', district: '440106' }],
  },
  {
    key: 'admin',
    label: '平台管理员 admin',
    phone: '13900000010',
    name: '系统管理员',
    roles: [{ role: 'platform_admin' }],
  },
  // 三权分立: the security and audit administrators are separate accounts from the system administrator.
  {
    key: 'securityAdmin',
    label: '安全管理员 security admin',
    phone: '13900000012',
    name: '安全管理员',
    roles: [{ role: 'security_admin' }],
  },
  {
    key: 'auditAdmin',
    label: '审计管理员 audit admin',
    phone: '13900000013',
    name: '审计管理员',
    roles: [{ role: 'audit_admin' }],
  },
];

export interface SeedContext {
  app: FastifyInstance;
  random: Random;
  /** Ids of what earlier steps created, for later steps to build on. */
  ids: Record<string, string[]>;
  accounts: Record<string, string>;
}

/** A module's contribution to the demo city. Steps run in order; later modules append theirs. */
export interface SeedStep {
  name: string;
  run(ctx: SeedContext): Promise<void>;
}

const companyWords = ['安心', '好帮手', '贴心', '家佳', '粤嫂', '羊城', '康乐', '喜洋洋', '金牌', '美家'];
const companyKinds = ['家政服务有限公司', '家庭服务有限公司', '母婴护理服务中心', '养老护理服务有限公司'];
const surnames = ['陈', '李', '黄', '张', '梁', '刘', '林', '何', '王', '吴', '罗', '郑', '欧阳'];
const givenNames = [
  '志强',
  '丽华',
  '建国',
  '晓敏',
  '美玲',
  '国梁',
  '秀英',
  '伟明',
  '嘉欣',
  '俊杰',
  '淑贞',
  '永成',
];
const streets = [
  '中山路',
  '解放路',
  '环市路',
  '工业大道',
  '迎宾路',
  '新港路',
  '广州大道',
  '府前路',
  '建设路',
  '育才路',
];
const DEMO_SHA = 'demo';
// A 1×1 PNG: demo applications carry a real image file as their business licence.
const DEMO_LICENCE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const orgsStep: SeedStep = {
  name: 'organizations',
  async run(ctx) {
    const { random } = ctx;
    const orgsService = ctx.app.services.orgs;
    const rows: NewOrganization[] = [];
    const reviews: {
      id: string;
      orgId: string;
      action: string;
      fromStatus: string | null;
      toStatus: string;
      reason: string | null;
      at: Date;
    }[] = [];
    const licences: { key: string }[] = [];
    const now = Date.now();
    const day = 24 * 3600_000;
    const person = () => `${random.pick(surnames)}${random.pick(givenNames)}`;
    const mobile = () => `13${random.int(5, 9)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
    const addressIn = (code: string) => {
      const d = districtByCode.get(code)!;
      return `广东省广州市${d.name}${random.pick(streets)}${random.int(1, 399)}号`;
    };
    const locationIn = (code: string) => {
      const d = districtByCode.get(code)!;
      return random.near(d.lon, d.lat, 4);
    };
    const uscc = (code: string) => {
      let subject = '';
      for (let i = 0; i < 9; i++) subject += USCC_CHARS[random.int(0, 30)];
      return makeUscc(`91${code}${subject}`);
    };
    const remember = (key: string, id: string) => {
      const list = ctx.ids[key] ?? [];
      list.push(id);
      ctx.ids[key] = list;
    };
    const history = (orgId: string, steps: [string, string | null, string, string | null][], start: number) =>
      steps.forEach(([action, from, to, reason], i) => {
        reviews.push({
          id: newId('orv'),
          orgId,
          action,
          fromStatus: from,
          toStatus: to,
          reason,
          at: new Date(start + i * day),
        });
      });

    const company = (
      name: string,
      district: string,
      state: 'active' | 'submitted' | 'needs_more_info' | 'rejected',
      creditGrade: CreditGrade | null,
    ) => {
      const id = newId('org');
      const loc = locationIn(district);
      const start = now - random.int(30, 700) * day;
      const licenceKey = `orgs/${id}/licence-${DEMO_SHA}.png`;
      licences.push({ key: licenceKey });
      const cats = new Set<ServiceCategory>();
      const n = random.int(2, 5);
      while (cats.size < n) cats.add(random.pick(serviceCategoryCodes));
      rows.push({
        id,
        type: 'company',
        name,
        district,
        status: state === 'active' ? 'active' : 'pending',
        applicationStatus: state === 'active' ? 'approved' : state,
        uscc: uscc(district),
        legalRepresentative: person(),
        model: random.chance(0.6) ? 'employee' : 'agency',
        address: addressIn(district),
        lon: loc.lon,
        lat: loc.lat,
        serviceCategories: [...cats],
        contactName: person(),
        contactPhoneEnc: orgsService.sealContactPhone(mobile()),
        licenceKey,
        licenceMime: 'image/png',
        licenceSize: DEMO_LICENCE.length,
        licenceSha256: DEMO_SHA,
        licenceUploadedAt: new Date(start),
        creditGrade,
        description: `${name}，提供${[...cats].map((c) => labelOf(serviceCategories, c)).join('、')}等服务。`,
        submittedAt: new Date(start + day),
        decidedAt: state === 'submitted' ? null : new Date(start + 2 * day),
      });
      const base: [string, string | null, string, string | null][] = [
        ['create', null, 'draft', null],
        ['submit', 'draft', 'submitted', null],
      ];
      if (state === 'active') base.push(['approve', 'submitted', 'approved', null]);
      if (state === 'needs_more_info')
        base.push(['request_info', 'submitted', 'needs_more_info', '营业执照照片不清晰，请重新上传']);
      if (state === 'rejected') base.push(['reject', 'submitted', 'rejected', '经营范围不含家政服务']);
      history(id, base, start);
      remember(state === 'active' ? 'company' : 'companyPending', id);
      return id;
    };

    const other = (
      type: 'station' | 'training' | 'insurer' | 'regulator',
      name: string,
      district: string,
    ) => {
      const id = newId('org');
      const loc = locationIn(district);
      rows.push({
        id,
        type,
        name,
        district,
        status: 'active',
        address: addressIn(district),
        lon: loc.lon,
        lat: loc.lat,
        contactName: person(),
        contactPhoneEnc: orgsService.sealContactPhone(`020-${random.int(3000_0000, 8999_9999)}`),
      });
      history(id, [['create', null, 'active', null]], now - random.int(100, 900) * day);
      remember(type, id);
      return id;
    };

    // A few companies in each credit grade, some not yet rated.
    let rated = 0;
    const nextGrade = (): CreditGrade | null =>
      random.chance(0.2) ? null : creditGrades[rated++ % creditGrades.length]!;
    company('广州安心家政服务有限公司', '440106', 'active', '5A');
    for (const d of districts) {
      for (let i = 0; i < 3; i++) {
        company(
          `${d.name.slice(0, 2)}${random.pick(companyWords)}${random.pick(companyKinds)}`,
          d.code,
          'active',
          nextGrade(),
        );
      }
      other('station', `${d.name}${random.pick(['街道', '社区'])}家政服务站`, d.code);
    }
    // Applications in review: two waiting (one in Tianhe for the district regulator), one asked for more, one rejected.
    company('天河好管家家政服务有限公司', '440106', 'submitted', null);
    company('番禺月子护理服务中心', '440113', 'submitted', null);
    company('白云邻里家庭服务有限公司', '440111', 'needs_more_info', null);
    company('海珠速洁家政服务部', '440105', 'rejected', null);
    other('training', '广州市家政职业培训学校', '440104');
    other('training', '南粤家政培训中心', '440105');
    other('insurer', '中国人保财险广州分公司', '440104');
    other('insurer', '平安财产保险广州分公司', '440106');
    other('regulator', '广州市商务局家政服务监管处', '440104');
    // One multi-row insert per table: the same code path scales to the benchmark generator.
    await orgsService.bulkInsert(rows);
    await orgsService.bulkInsertReviews(reviews);
    for (const l of licences) await ctx.app.storage.put(l.key, DEMO_LICENCE);
  },
};

const accountsStep: SeedStep = {
  name: 'accounts',
  async run(ctx) {
    const { identity, orgs } = ctx.app.services;
    const db = ctx.app.database.db;
    for (const a of demoAccounts) {
      const userId = await identity.createAccount({
        phone: a.phone,
        password: DEMO_PASSWORD,
        name: a.name,
        roles: a.roles,
      });
      ctx.accounts[a.key] = userId;
      if (a.membership) {
        const orgId = ctx.ids[a.membership.org]?.[0];
        if (orgId) await orgs.addMember(db, { orgId, userId, role: a.membership.role });
      }
    }
  },
};

// certification: after the workers step, certify those who pass every check (green), some with a lapsed health
// certificate (yellow), and revoke a few with reasons (red).
const certificationStep: SeedStep = {
  name: 'certificates',
  async run(ctx) {
    const regulator = ctx.accounts.regulator;
    if (!regulator) return;
    const { certification, workers } = ctx.app.services;
    const out = await seedCertificates(
      certification,
      workers,
      {
        actor: {
          userId: regulator,
          sessionId: 'seed',
          name: 'seed',
          phoneMasked: '',
          roles: ['regulator'],
          memberships: [],
          regulatorDistrict: null,
        },
        requestId: 'sys-seed',
        ip: null,
      },
      new Date(),
    );
    ctx.app.log.info(out, 'demo certificates');
  },
};

const workersStep: SeedStep = {
  name: 'workers',
  async run(ctx) {
    const companies = ctx.ids.company ?? [];
    if (!companies.length) return;
    const demo = demoAccounts.find((a) => a.key === 'worker');
    const out = await seedDemoWorkers({
      db: ctx.app.database.db,
      pii: ctx.app.pii,
      storage: ctx.app.storage,
      random: ctx.random,
      companyIds: companies,
      demoWorker: ctx.accounts.worker && demo ? { userId: ctx.accounts.worker, name: demo.name } : undefined,
    });
    ctx.ids.worker = out.workerIds;
  },
};

// training: courses, the regulator's 岗前考试 and bank, classes, subsidy rates, results matching the workers' pre-job
// rows; plus the journey's worker 何美玲 (13900000011), every check passed except pre-job training.
export const TRAINING_DEMO_WORKER = { phone: '13900000011', name: '何美玲' };
const trainingStep: SeedStep = {
  name: 'training',
  async run(ctx) {
    const institutionId = ctx.ids.training?.[0];
    const companies = ctx.ids.company ?? [];
    if (!institutionId || !companies.length) return;
    const { identity, workers } = ctx.app.services;
    const userId = await identity.createAccount({
      phone: TRAINING_DEMO_WORKER.phone,
      password: DEMO_PASSWORD,
      name: TRAINING_DEMO_WORKER.name,
      roles: [{ role: 'worker' }],
    });
    await seedDemoWorkers({
      db: ctx.app.database.db,
      pii: ctx.app.pii,
      storage: ctx.app.storage,
      random: ctx.random,
      companyIds: companies,
      count: 0,
      demoWorker: { userId, name: TRAINING_DEMO_WORKER.name, withoutTraining: true },
    });
    const out = await seedTraining({
      db: ctx.app.database.db,
      workers,
      institutionId,
      institutionUserId: ctx.accounts.training ?? null,
      regulatorUserId: ctx.accounts.regulator ?? null,
      workerIds: (ctx.ids.worker ?? []).slice(0, 60),
    });
    ctx.app.log.info(out, 'demo training');
  },
};

// catalog and discovery: price lists and guide prices, workers' approximate bases (within 3 km of their district
// centre, rounded to ~100 m), then the search projection is built.
const catalogDiscoveryStep: SeedStep = {
  name: 'catalog-discovery',
  async run(ctx) {
    const { workers, discovery } = ctx.app.services;
    const prices = await seedCatalog(ctx.app.database.db, {
      companyIds: ctx.ids.company ?? [],
      regulatorUserId: ctx.accounts.regulator ?? null,
      random: ctx.random,
      now: new Date(),
    });
    const ids = ctx.ids.worker ?? [];
    const bases: { workerId: string; lon: number; lat: number }[] = [];
    for (let i = 0; i < ids.length; i += 500)
      for (const w of await workers.searchSources({ ids: ids.slice(i, i + 500) })) {
        const d = w.district ? districtByCode.get(w.district) : undefined;
        if (d) bases.push({ workerId: w.id, ...ctx.random.near(d.lon, d.lat, 3) });
      }
    await workers.setBaseLocations(bases);
    const projected = await discovery.rebuildAll();
    ctx.app.log.info({ ...prices, bases: bases.length, ...projected }, 'demo catalog and search projection');
  },
};

// orders: through the real orders and demands services on a clock the seed moves — orders in every state for the
// demo resident and company (requests waiting on its dispatch board), demands with offers, a station referral,
// pending and done follow-ups. Two more residents (13900000031, 13900000032) make the board less lonely.
export const ORDERS_DEMO_RESIDENTS = [
  { phone: '13900000031', name: '李淑贞' },
  { phone: '13900000032', name: '何伟明' },
];
const ordersStep: SeedStep = {
  name: 'orders',
  async run(ctx) {
    const companyId = ctx.ids.company?.[0];
    const adminUserId = ctx.accounts.companyAdmin;
    const residentUserId = ctx.accounts.resident;
    if (!companyId || !adminUserId || !residentUserId) return;
    const { identity, orgs, workers, certification, catalog, notifications } = ctx.app.services;
    const company = await orgs.getOrganization(companyId);
    const items = (await catalog.publicItems(companyId)).filter((i) => i.active && i.current);
    const green: { id: string; categories: string[] }[] = [];
    for (const id of ctx.ids.worker ?? []) {
      const facts = await workers.trustFacts(id);
      if (facts?.companyId === companyId && (await certification.canTakeNewBookings(id)))
        green.push({ id, categories: facts.categories });
    }
    const residents = [{ userId: residentUserId, name: demoAccounts[0]!.name }];
    for (const r of ORDERS_DEMO_RESIDENTS)
      residents.push({
        userId: await identity.createAccount({
          phone: r.phone,
          password: DEMO_PASSWORD,
          name: r.name,
          roles: [{ role: 'resident' }],
        }),
        name: r.name,
      });
    const stationId = ctx.ids.station?.[0];
    const station = stationId ? await orgs.getOrganization(stationId) : null;
    const deps = {
      db: ctx.app.database.db,
      pii: ctx.app.pii,
      notifications,
      orgs,
      workers,
      catalog,
    };
    const out = await seedOrders({
      ordersDeps: {
        ...deps,
        workerStatus: (workerId: string) => certification.workerStatus(workerId),
        sms: ctx.app.sms,
        phoneOf: (userId) => identity.phoneOf(userId),
        profilesOf: (userIds) => identity.profilesOf(userIds),
      },
      demandsDeps: deps,
      now: new Date(),
      company: { id: companyId, name: company?.name ?? '', adminUserId, items, workers: green },
      demoWorkerId: ctx.accounts.worker ? await workers.findWorkerIdByUser(ctx.accounts.worker) : null,
      residents,
      station:
        station?.district && ctx.accounts.station
          ? { id: station.id, name: station.name, district: station.district, userId: ctx.accounts.station }
          : null,
    });
    ctx.app.log.info(out, 'demo orders');
  },
};

// contracts: the demo company drafts the contract of its accepted long-term order (the 月嫂); the resident signed.
const contractsStep: SeedStep = {
  name: 'contracts',
  async run(ctx) {
    const companyId = ctx.ids.company?.[0];
    const adminUserId = ctx.accounts.companyAdmin;
    if (!companyId || !adminUserId) return;
    const { contracts, orders, orgs } = ctx.app.services;
    const company = await orgs.getOrganization(companyId);
    const out = await seedContracts({
      contracts,
      orders,
      sms: ctx.app.sms,
      company: { id: companyId, name: company?.name ?? '', adminUserId },
    });
    ctx.app.log.info(out, 'demo contracts');
  },
};

// insurance: the demo insurer's products, the demo company's staff enrolled (most confirmed), claims in progress.
const insuranceStep: SeedStep = {
  name: 'insurance',
  async run(ctx) {
    const insurerId = ctx.ids.insurer?.[0];
    const companyId = ctx.ids.company?.[0];
    const insurerUser = ctx.accounts.insurer;
    const adminUserId = ctx.accounts.companyAdmin;
    if (!insurerId || !companyId || !insurerUser || !adminUserId) return;
    const { insurance, workers } = ctx.app.services;
    const demoId = ctx.accounts.worker ? await workers.findWorkerIdByUser(ctx.accounts.worker) : null;
    const out = await seedInsurance({
      insurance,
      workers,
      insurer: { id: insurerId, userId: insurerUser },
      company: { id: companyId, adminUserId },
      workerIds: ctx.ids.worker ?? [],
      demoWorker: demoId && ctx.accounts.worker ? { id: demoId, userId: ctx.accounts.worker } : null,
      now: new Date(),
    });
    ctx.app.log.info(out, 'demo insurance');
  },
};

// credit: everyone scored (two scorecard versions), a red-listed demo company, a warning, an expulsion, an appeal.
const creditStep: SeedStep = {
  name: 'credit',
  async run(ctx) {
    const regulatorUserId = ctx.accounts.regulator;
    if (!regulatorUserId) return;
    const { credit, workers } = ctx.app.services;
    const demoId = ctx.accounts.worker ? await workers.findWorkerIdByUser(ctx.accounts.worker) : null;
    const out = await seedCredit({
      credit,
      regulatorUserId,
      demoCompanyId: ctx.ids.company?.[0] ?? null,
      demoWorker: demoId && ctx.accounts.worker ? { id: demoId, userId: ctx.accounts.worker } : null,
      workerIds: ctx.ids.worker ?? [],
    });
    ctx.app.log.info(out, 'demo credit');
  },
};

// feedback: reviews of the demo company's completed orders (both sides), a reported review, complaints in each
// stage (waiting with the SLA running, escalated by the job, resolved, upheld).
const feedbackStep: SeedStep = {
  name: 'feedback',
  async run(ctx) {
    const companyId = ctx.ids.company?.[0];
    const adminUserId = ctx.accounts.companyAdmin;
    if (!companyId || !adminUserId) return;
    const { orders, workers, orgs, identity, notifications, certification } = ctx.app.services;
    const company = await orgs.getOrganization(companyId);
    const admin = {
      actor: {
        userId: adminUserId,
        sessionId: 'seed',
        name: '',
        phoneMasked: '',
        roles: ['company_admin' as const],
        memberships: [{ orgId: companyId, orgName: '', orgType: 'company' as const, role: 'admin' as const }],
        regulatorDistrict: null,
      },
      requestId: 'seed-feedback',
      ip: null,
    };
    const done = [];
    for (const state of ['completed', 'closed'] as const)
      for (const o of (await orders.listForCompany(admin, companyId, { state, limit: 20 })).items) {
        const f = await orders.reviewFacts(o.id);
        if (!f) continue;
        const wf = f.workerId ? await workers.trustFacts(f.workerId) : null;
        done.push({
          id: f.id,
          residentUserId: f.residentUserId,
          workerId: f.workerId,
          workerUserId: wf?.userId ?? null,
        });
      }
    const out = await seedFeedback({
      deps: {
        db: ctx.app.database.db,
        storage: ctx.app.storage,
        settings: { complaintResponseHours: 24, reviewWindowDays: 30, appealWindowDays: 7 },
        orders,
        workers,
        orgs,
        profilesOf: (userIds) => identity.profilesOf(userIds),
        notifications,
        certificates: {
          currentOf: async () => null,
          suspend: (c, id, reason) => certification.suspend(c, id, reason),
          revoke: (c, id, reason) => certification.revoke(c, id, reason),
        },
      },
      now: new Date(),
      company: { id: companyId, name: company?.name ?? '', adminUserId },
      regulatorUserId: ctx.accounts.regulator ?? null,
      orders: done,
    });
    ctx.app.log.info(out, 'demo feedback');
  },
};

// messaging: the demo resident has talked with the demo worker and booked a video interview with her.
const messagingStep: SeedStep = {
  name: 'messaging',
  async run(ctx) {
    const residentUserId = ctx.accounts.resident;
    const workerUserId = ctx.accounts.worker;
    if (!residentUserId || !workerUserId) return;
    const { messaging, workers } = ctx.app.services;
    const workerId = await workers.findWorkerIdByUser(workerUserId);
    if (!workerId) return;
    const as = (userId: string, role: 'resident' | 'worker') => ({
      actor: {
        userId,
        sessionId: 'seed',
        name: '',
        phoneMasked: '',
        roles: [role],
        memberships: [],
        regulatorDistrict: null,
      },
      requestId: 'sys-seed-messaging',
      ip: null,
    });
    const resident = as(residentUserId, 'resident');
    const c = await messaging.open(resident, { context: 'profile', workerId });
    await messaging.sendText(resident, c.id, {
      text: '您好，想了解一下您照顾新生儿的经验，方便视频聊聊吗？',
    });
    await messaging.sendText(as(workerUserId, 'worker'), c.id, {
      text: '您好！我做月嫂五年了，照顾过二十多个宝宝，明天下午都有空。',
    });
    const at = new Date(Date.now() + 26 * 3600_000);
    at.setUTCMinutes(0, 0, 0);
    await messaging.scheduleInterview(resident, {
      workerId,
      scheduledAt: at.toISOString(),
      durationMinutes: 30,
      conversationId: c.id,
    });
  },
};

// content: news, policies (one with a Chinese PDF), notices and a draft, written and published by the regulator.
const contentStep: SeedStep = {
  name: 'content',
  async run(ctx) {
    if (!ctx.accounts.regulator) return;
    const out = await seedContent({
      content: ctx.app.services.content,
      regulatorUserId: ctx.accounts.regulator,
    });
    ctx.app.log.info(out, 'demo content');
  },
};

// recruitment: two companies' posts, applications in every state, a running job fair, a 毕节 订单班 placed six months
// ago. Driven through the real services on a clock the step moves, so every row has a true history.
const recruitmentStep: SeedStep = {
  name: 'recruitment',
  async run(ctx) {
    const regulatorUserId = ctx.accounts.regulator;
    const { identity, orgs, efile, certification, messaging, training, workers } = ctx.app.services;
    const active: string[] = [];
    for (const id of ctx.ids.company ?? [])
      if ((await orgs.getOrganization(id))?.status === 'active') active.push(id);
    const [coA, coB] = active;
    const recruiterA = ctx.accounts.companyAdmin;
    if (!regulatorUserId || !coA || !coB || !recruiterA) return;
    const recruiterB = await identity.createAccount({
      phone: '13900002099',
      password: DEMO_PASSWORD,
      name: '梁晓琳',
      roles: [],
    });
    await orgs.addMember(ctx.app.database.db, { orgId: coB, userId: recruiterB, role: 'admin' });
    const seedClock = { now: new Date() };
    const clock = () => seedClock.now;
    const db = ctx.app.database.db;
    const movedWorkers = createWorkersService({
      db,
      pii: ctx.app.pii,
      storage: ctx.app.storage,
      sms: ctx.app.sms,
      clock,
      identity,
      orgs,
    });
    const recruitment = createRecruitmentService({
      db,
      clock,
      notifications: ctx.app.services.notifications,
      orgs,
      workers: movedWorkers,
      efile,
      certifiedOf: (workerId) => certification.workerStatus(workerId).then((s) => s.status.color === 'green'),
      scheduleInterview: (c, input) =>
        messaging.scheduleInterview(c, input).then((i) => ({ id: i.id, scheduledAt: i.scheduledAt })),
      publicUrl: '',
    });
    const trainingUser = ctx.accounts.training;
    const trainingOrg = ctx.ids.training?.[0];
    const classes =
      trainingUser && trainingOrg
        ? await training.listClasses({
            actor: {
              userId: trainingUser,
              sessionId: 'seed',
              name: 'seed',
              phoneMasked: '',
              roles: ['training_staff'],
              memberships: [{ orgId: trainingOrg, orgName: '', orgType: 'training', role: 'admin' }],
              regulatorDistrict: null,
            },
            requestId: 'sys-seed-recruitment',
            ip: null,
          })
        : { items: [] };
    const demoId = ctx.accounts.worker ? await workers.findWorkerIdByUser(ctx.accounts.worker) : null;
    const out = await seedRecruitment(
      {
        recruitment,
        workers: movedWorkers,
        createAccount: (a) => identity.createAccount(a),
        setNow: (d) => {
          seedClock.now = d;
        },
        password: DEMO_PASSWORD,
        companies: [
          { id: coA, recruiterUserId: recruiterA },
          { id: coB, recruiterUserId: recruiterB },
        ],
        regulatorUserId,
        trainingClassId: classes.items[0]?.id ?? null,
        demoWorker: demoId && ctx.accounts.worker ? { id: demoId, userId: ctx.accounts.worker } : null,
        now: new Date(),
      },
      CONSENT_VERSION,
    );
    ctx.app.log.info(out, 'demo recruitment');
  },
};

export const seedSteps: SeedStep[] = [
  orgsStep,
  accountsStep,
  workersStep,
  certificationStep,
  trainingStep,
  catalogDiscoveryStep,
  ordersStep,
  contractsStep,
  insuranceStep,
  feedbackStep,
  creditStep,
  messagingStep,
  contentStep,
  recruitmentStep,
  // partners: the municipal sandbox client (dev key documented in docs/partners.md), two more, the demo worker's consent.
  {
    name: 'partners',
    run: async (ctx) => {
      if (!ctx.accounts.admin) return;
      const out = await seedPartners({
        partners: ctx.app.services.partners,
        adminUserId: ctx.accounts.admin,
        demoWorkerUserId: ctx.accounts.worker ?? null,
        production: process.env.NODE_ENV === 'production',
      });
      ctx.app.log.info(out, 'demo partners');
    },
  },
  // insights last: its rollups, wage survey and report read what every other step made.
  {
    name: 'insights',
    run: async (ctx) => {
      ctx.app.log.info(
        await seedInsights({ insights: ctx.app.services.insights, random: ctx.random, now: new Date() }),
        'demo insights',
      );
    },
  },
];

/** Seeds the demo city once: a database that already has organizations is left alone (unless forced). */
export async function seedDemoCityIfEmpty(
  app: FastifyInstance,
  opts: { force?: boolean; seed?: number } = {},
) {
  if ((await app.services.orgs.countOrganizations()) > 0 && !opts.force) return { created: false };
  const ctx: SeedContext = { app, random: createRandom(opts.seed ?? DEMO_SEED), ids: {}, accounts: {} };
  for (const step of seedSteps) {
    app.log.info({ step: step.name }, 'seeding');
    await step.run(ctx);
  }
  return { created: true };
}

import type { FastifyInstance } from 'fastify';
import type { OrgType, PlatformRole } from '../../shared/roles.js';
import { districts } from '../../shared/districts.js';
import { newId } from '../platform/db/ids.js';
import type { NewOrganization } from '../modules/orgs/index.js';
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

const orgsStep: SeedStep = {
  name: 'organizations',
  async run(ctx) {
    const rows: NewOrganization[] = [];
    const push = (type: OrgType, name: string, district: string) => {
      const id = newId('org');
      rows.push({ id, type, name, district, status: 'active' });
      const list = ctx.ids[type] ?? [];
      list.push(id);
      ctx.ids[type] = list;
    };
    push('company', '广州安心家政服务有限公司', '440106');
    for (const d of districts) {
      for (let i = 0; i < 3; i++) {
        push(
          'company',
          `${d.name.slice(0, 2)}${ctx.random.pick(companyWords)}${ctx.random.pick(companyKinds)}`,
          d.code,
        );
      }
      push('station', `${d.name}${ctx.random.pick(['街道', '社区'])}家政服务站`, d.code);
    }
    push('training', '广州市家政职业培训学校', '440104');
    push('training', '南粤家政培训中心', '440105');
    push('insurer', '中国人保财险广州分公司', '440104');
    push('insurer', '平安财产保险广州分公司', '440106');
    push('regulator', '广州市商务局家政服务监管处', '440104');
    // One multi-row insert: the same code path scales to the benchmark generator.
    await ctx.app.services.orgs.bulkInsert(rows);
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

export const seedSteps: SeedStep[] = [orgsStep, accountsStep];

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

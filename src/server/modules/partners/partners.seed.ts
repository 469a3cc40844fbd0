import type { RequestContext } from '../../platform/http/context.js';
import type { PartnersService } from './partners.service.js';

/**
 * The documented development sandbox key (docs/partners.md). Only the demo seed of a non-production start uses
 * it; production seeds mint a random key that is never printed.
 */
export const DEV_SANDBOX_KEY = 'ak_anxin-sandbox-dev-only-00000000000000000000';

const actorCtx = (userId: string, roles: ('platform_admin' | 'worker')[]): RequestContext => ({
  actor: {
    userId,
    sessionId: 'seed',
    name: 'seed',
    phoneMasked: '',
    roles,
    memberships: [],
    regulatorDistrict: null,
  },
  requestId: 'sys-seed-partners',
  ip: null,
});

/**
 * Demo partners through the real service: the Guangzhou municipal platform's sandbox client (every scope, the
 * dev key in development), a Foshan platform with read-only scopes, a suspended commercial app, a webhook, and
 * the demo worker's consent to the sandbox so record reads work out of the box.
 */
export async function seedPartners(input: {
  partners: PartnersService;
  adminUserId: string;
  demoWorkerUserId: string | null;
  production: boolean;
}) {
  const { partners } = input;
  const admin = actorCtx(input.adminUserId, ['platform_admin']);
  const sandbox = await partners.createClient(
    admin,
    {
      name: '广州市家政服务综合平台（沙箱）',
      organization: '广州市商务局',
      contactName: '梁志强',
      contactPhone: '13926000001',
      scopes: ['certificates:verify', 'companies:read', 'statistics:read', 'orders:write', 'workers:read'],
      ipAllowlist: [],
      rateLimitPerMinute: 120,
      keyLabel: '沙箱密钥',
    },
    { sandbox: true, ...(input.production ? {} : { devSecret: DEV_SANDBOX_KEY }) },
  );
  // A placeholder receiver: deliveries to it fail and show retries in the admin page. Production resolves hosts
  // (SSRF guard), and this one does not exist, so it is a development-only sample.
  if (!input.production)
    await partners.createWebhook(admin, sandbox.client.id, {
      url: 'https://sandbox.gzjz.example.cn/anxin/webhooks',
      events: ['certificate.status_changed', 'company.expelled', 'order.status_changed'],
    });
  await partners.createClient(admin, {
    name: '佛山市家政服务信息平台',
    organization: '佛山市商务局',
    contactName: '何丽华',
    contactPhone: '13926000002',
    scopes: ['certificates:verify', 'companies:read', 'statistics:read'],
    ipAllowlist: ['203.0.113.0/24'],
    rateLimitPerMinute: 60,
  });
  const app = await partners.createClient(admin, {
    name: '粤家政小程序',
    organization: '广州粤家网络科技有限公司',
    contactName: '陈晓敏',
    contactPhone: '13926000003',
    scopes: ['certificates:verify'],
    ipAllowlist: [],
    rateLimitPerMinute: 30,
  });
  await partners.changeClientStatus(admin, app.client.id, 'suspend');
  let consents = 0;
  if (input.demoWorkerUserId) {
    await partners.grantConsent(actorCtx(input.demoWorkerUserId, ['worker']), {
      clientId: sandbox.client.id,
      scope: 'basic',
      days: 30,
    });
    consents = 1;
  }
  return { clients: 3, sandboxClientId: sandbox.client.id, consents };
}

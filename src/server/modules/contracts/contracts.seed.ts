import { longTermModes, type ServiceMode } from '../../../shared/domain.js';
import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { isDevSink, type SmsSender } from '../../platform/sms/sms.js';
import type { OrdersService } from '../orders/index.js';
import type { ContractsService } from './contracts.service.js';

export interface ContractsSeedInput {
  contracts: ContractsService;
  orders: Pick<OrdersService, 'listForCompany' | 'contractFacts'>;
  sms: SmsSender;
  company: { id: string; name: string; adminUserId: string };
}

/** A 1×1 PNG standing in for a hand-drawn signature in the demo. */
const DEMO_SIGNATURE =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/**
 * Demo contracts through the real service: the company drafts one for each accepted long-term order, and the
 * consumer of the first signs it (with the dev SMS sink's code), so the demo shows a contract awaiting the others.
 */
export async function seedContracts(input: ContractsSeedInput): Promise<{ drafted: number; signed: number }> {
  const ctx = (userId: string, extra: Partial<Actor>): RequestContext => ({
    actor: {
      userId,
      sessionId: 'seed',
      name: 'seed',
      phoneMasked: '',
      roles: [],
      memberships: [],
      regulatorDistrict: null,
      ...extra,
    },
    requestId: 'sys-seed-contracts',
    ip: null,
  });
  const companyCtx = ctx(input.company.adminUserId, {
    roles: ['company_admin'],
    memberships: [
      { orgId: input.company.id, orgName: input.company.name, orgType: 'company', role: 'admin' },
    ],
  });
  const accepted = await input.orders.listForCompany(companyCtx, input.company.id, {
    state: 'accepted',
    limit: 100,
  });
  let drafted = 0;
  let signed = 0;
  for (const o of accepted.items) {
    if (!longTermModes.includes(o.mode as ServiceMode)) continue;
    const facts = await input.orders.contractFacts(o.id);
    if (!facts) continue;
    const c = await input.contracts.createFromOrder(companyCtx, o.id);
    drafted++;
    if (signed > 0 || !isDevSink(input.sms)) continue;
    const residentCtx = ctx(facts.residentUserId, { roles: ['resident'] });
    await input.contracts.requestSignCode(residentCtx, c.id);
    const code = input.sms
      .all()
      .filter((m) => m.purpose === 'contract_sign')
      .at(-1)?.code;
    if (!code) continue;
    await input.contracts.sign(residentCtx, c.id, { code, signaturePng: DEMO_SIGNATURE, userAgent: 'seed' });
    signed++;
  }
  return { drafted, signed };
}

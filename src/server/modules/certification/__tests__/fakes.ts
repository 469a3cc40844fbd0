import type { Actor } from '../../../platform/http/actor.js';
import type { RequestContext } from '../../../platform/http/context.js';
import type { TrustFacts, TrustFactsSource } from '../trust-facts.js';

/** An in-memory TrustFacts source standing in for the workers module. */
export function fakeWorkers() {
  const facts = new Map<string, TrustFacts>();
  const source: TrustFactsSource = {
    async trustFacts(id) {
      const f = facts.get(id);
      return f ? structuredClone(f) : null;
    },
    async findWorkerIdByUser(userId) {
      for (const f of facts.values()) if (f.userId === userId) return f.workerId;
      return null;
    },
    async listWorkerIdsWithHealthExpiringBetween(from, to) {
      return [...facts.values()]
        .filter((f) => f.health.validUntil && f.health.validUntil >= from && f.health.validUntil <= to)
        .map((f) => f.workerId);
    },
  };
  return { facts, source };
}

let n = 0;
/** Facts of a worker who passes every check, valid for a year from `today`. */
export function passingFacts(over: Partial<TrustFacts> = {}): TrustFacts {
  n++;
  return {
    workerId: `wk_fake${process.pid}x${n}`,
    userId: null,
    name: '张秀芳',
    photoKey: null,
    district: '440106',
    categories: ['cleaning', 'maternity'],
    skillLevel: 'level4',
    maternityStars: 3,
    companyId: null,
    consent: { acceptedAt: new Date('2026-01-01T00:00:00Z') },
    identity: { verified: true, verifiedAt: new Date('2026-01-01T00:00:00Z') },
    health: { state: 'valid', validUntil: '2099-12-31' },
    background: { state: 'clear', checkedOn: '2026-01-05' },
    skillCert: { state: 'valid' },
    training: { state: 'passed', passedOn: '2026-01-06' },
    ...over,
  };
}

export function ctxOf(actor: Partial<Actor> & { userId: string }): RequestContext {
  return {
    actor: {
      sessionId: 'ses_test',
      name: '测试',
      phoneMasked: '139****0000',
      roles: [],
      memberships: [],
      regulatorDistrict: null,
      ...actor,
    },
    requestId: 'req-test',
    ip: '127.0.0.1',
  };
}

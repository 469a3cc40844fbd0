import { describe, expect, test } from 'vitest';
import type { RouteEntry } from '../../src/server/platform/http/authz.js';
import { IdPool, realParams } from './fuzz-ids.js';

const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(26, '0')}`;
const route = (url: string) => ({ method: 'POST', url, schemas: {} }) as unknown as RouteEntry;

describe('IdPool', () => {
  test('learns the kind of `:id` from what the resource list calls `id`, and of `xId` from answers under that key', () => {
    const pool = new IdPool();
    pool.harvest(
      JSON.stringify({ items: [{ id: id('ord', 1), workerId: id('wk', 1) }] }),
      '/api/v1/orders',
      'resident',
    );
    pool.harvest(
      JSON.stringify({ id: id('clm', 2), orderId: id('ord', 1) }),
      '/api/v1/insurance/claims/:id',
      'worker',
    );
    expect(pool.size).toBe(3);
    expect(pool.candidates('id', '/api/v1/orders', 'resident')).toEqual([id('ord', 1)]);
    expect(pool.candidates('workerId', '', 'resident')).toEqual([id('wk', 1)]);
    // A body's `bankId`: what answers about banks call `id`.
    pool.harvest(JSON.stringify({ id: id('qbk', 1) }), '/api/v1/training/banks', 'training_staff');
    expect(pool.candidates('bankId', '', 'training_staff')).toEqual([id('qbk', 1)]);
    // No list route answered for claims as `id` under `/insurance/claims`: the detail route did.
    expect(pool.candidates('id', '/api/v1/insurance/claims', 'worker')).toEqual([id('clm', 2)]);
    expect(pool.candidates('id', '/api/v1/unknown', 'worker')).toEqual([]);
    // The `id` of a nested object is named after its owner, not taken for the answer's own id.
    pool.harvest(
      JSON.stringify({ id: id('ord', 9), worker: { id: id('wk', 9) }, assignments: [{ id: id('asg', 9) }] }),
      '/api/v1/orders/:id',
      'resident',
    );
    expect(pool.candidates('workerId', '', 'resident')).toContain(id('wk', 9));
    expect(pool.candidates('id', '/api/v1/orders', 'resident')).toEqual([id('ord', 9), id('ord', 1)]);
    expect(pool.candidates('assignmentId', '', 'resident')).toEqual([id('asg', 9)]);
    // Lists under other paths about the same resource count (`/orders/mine`, `/regulator/orders`).
    pool.harvest(JSON.stringify([{ id: id('crt', 1) }]), '/api/v1/regulator/certificates', 'regulator');
    expect(pool.candidates('id', '/api/v1/certificates', 'regulator')).toEqual([id('crt', 1)]);
    // Strings that are not ids (names, codes) are not harvested.
    pool.harvest(JSON.stringify({ id: 'not-an-id', name: '王芳' }), '/api/v1/orders', 'resident');
    expect(pool.size).toBe(8);
  });

  test("the principal's own ids come first, newest first; protected ids are never handed out", () => {
    const pool = new IdPool();
    pool.harvest(
      JSON.stringify({ items: [{ id: id('ord', 1) }, { id: id('ord', 2) }] }),
      '/api/v1/orders',
      'resident',
    );
    pool.harvest(JSON.stringify({ items: [{ id: id('ord', 3) }] }), '/api/v1/orders', 'company_admin');
    expect(pool.candidates('id', '/api/v1/orders', 'resident')).toEqual([
      id('ord', 2),
      id('ord', 1),
      id('ord', 3),
    ]);
    pool.protectedIds.add(id('ord', 2));
    expect(pool.candidates('id', '/api/v1/orders', 'resident')).toEqual([id('ord', 1), id('ord', 3)]);
  });

  test("a principal's own (protected) organization is its `:orgId`, never another route's `:id`", () => {
    const pool = new IdPool();
    pool.harvest(
      JSON.stringify({ items: [{ id: id('org', 1) }] }),
      '/api/v1/regulator/companies',
      'regulator',
    );
    pool.ownOrgs.set('company_admin', new Set([id('org', 1)]));
    pool.protectAll();
    expect(pool.candidates('orgId', '', 'company_admin')).toEqual([id('org', 1)]);
    expect(pool.candidates('id', '/api/v1/regulator/companies', 'regulator')).toEqual([]);
    expect(realParams(pool, route('/api/v1/orgs/:orgId/service-items'), 'company_admin', 0)).toEqual({
      orgId: id('org', 1),
    });
    expect(realParams(pool, route('/api/v1/regulator/companies/:id/status'), 'regulator', 0)).toBeNull();
  });

  test("a member's `:orgId` is only its own organization, once it has one", () => {
    const pool = new IdPool();
    pool.harvest(JSON.stringify({ items: [{ id: id('org', 2) }] }), '/api/v1/companies', 'resident');
    pool.ownOrgs.set('company_admin', new Set([id('org', 1)]));
    expect(pool.candidates('orgId', '', 'company_admin')).toEqual([id('org', 1)]);
    // Without an organization of its own, a principal gets the others (a regulator naming a company).
    expect(pool.candidates('companyId', '', 'regulator')).toEqual([id('org', 2)]);
  });

  test('the kind of `:id` follows the qualified resource; a hyphenated one falls back to its last word', () => {
    const pool = new IdPool();
    // Two resources called `applications`: recruitment's (rap_) and company registration's (cap_).
    pool.harvest(
      JSON.stringify({ items: [{ id: id('rap', 1) }] }),
      '/api/v1/companies/:orgId/recruitment/applications',
      'company_admin',
    );
    for (const n of [1, 2, 3])
      pool.harvest(JSON.stringify({ id: id('cap', n) }), '/api/v1/companies/applications', 'resident');
    expect(pool.candidates('id', '/api/v1/recruitment/applications', 'company_admin')).toEqual([
      id('rap', 1),
    ]);
    expect(pool.candidates('id', '/api/v1/companies/applications', 'resident')[0]).toBe(id('cap', 3));
    // `/demand-offers/:id`: what `POST …/demands/:demandId/offers` answered as `id`.
    pool.harvest(
      JSON.stringify({ id: id('dof', 1) }),
      '/api/v1/orgs/:orgId/demands/:demandId/offers',
      'company_admin',
    );
    expect(pool.candidates('id', '/api/v1/demand-offers', 'resident')).toEqual([id('dof', 1)]);
  });

  test('a child param unknown by its own name takes the kind the segment before it names', () => {
    const pool = new IdPool();
    pool.harvest(
      JSON.stringify({ items: [{ id: id('usr', 1), securityKeys: [{ id: id('wak', 1) }] }] }),
      '/api/v1/security/accounts',
      'security_admin',
    );
    expect(
      realParams(
        pool,
        route('/api/v1/security/accounts/:id/security-keys/:keyId/remove'),
        'security_admin',
        0,
      ),
    ).toEqual({ id: id('usr', 1), keyId: id('wak', 1) });
    // No kind named: a param stays generated (`:role` is an enum).
    expect(
      realParams(pool, route('/api/v1/security/accounts/:id/roles/:role/revoke'), 'security_admin', 0),
    ).toEqual({
      id: id('usr', 1),
    });
  });
});

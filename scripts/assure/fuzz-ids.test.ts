import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { RouteEntry } from '../../src/server/platform/http/authz.js';
import { IdPool, realBodyIds, realParams } from './fuzz-ids.js';
import { checkinTokenOf } from './fuzz-ids-more.js';

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

describe('pinned values', () => {
  test("a route's pinned params and body fields travel together: the i-th probe takes the i-th of each", () => {
    const body = z.strictObject({ idNumber: z.string().min(1).max(30), note: z.string().optional() });
    const hire = {
      method: 'POST',
      url: '/api/v1/companies/:companyId/workers/:workerId/employment',
      schemas: { body },
    } as unknown as RouteEntry;
    const pool = new IdPool();
    pool.harvest(JSON.stringify({ items: [{ id: id('wk', 9) }] }), '/api/v1/workers', 'company_admin');
    pool.ownOrgs.set('company_admin', new Set([id('org', 1)]));
    pool.pin(hire, {
      params: { workerId: [id('wk', 1), id('wk', 2)] },
      body: { idNumber: ['440106198201010011', '440106198201020027'] },
    });
    for (const i of [0, 1, 2, 3]) {
      const params = realParams(pool, hire, 'company_admin', i);
      const sent = realBodyIds(pool, body, { idNumber: 'x' }, 'company_admin', i) as { idNumber: string };
      // The unpinned `:companyId` still comes from the pool.
      expect(params).toEqual({ companyId: id('org', 1), workerId: id('wk', 1 + (i % 2)) });
      expect(sent.idNumber).toBe(['440106198201010011', '440106198201020027'][i % 2]);
    }
    // Another route with the same param names is not pinned.
    expect(realParams(pool, route('/api/v1/workers/:workerId/access-requests'), 'company_admin', 0)).toEqual({
      workerId: id('wk', 9),
    });
  });

  test('a pinned value the schema refuses is not sent; a key that is not a prefixed id can be pinned', () => {
    const body = z.strictObject({ token: z.string().min(1).max(10) });
    const checkin = { method: 'POST', url: '/api/v1/checkin', schemas: { body } } as unknown as RouteEntry;
    const retire = {
      method: 'POST',
      url: '/api/v1/qr-keys/:kid/retire',
      schemas: {},
    } as unknown as RouteEntry;
    const pool = new IdPool();
    pool.pin(checkin, { body: { token: ['ok-token', 'much-too-long-for-it'] } });
    pool.pin(retire, { params: { kid: ['k20261130abcd1234'] } });
    expect(realBodyIds(pool, body, { token: 'gen' }, 'worker', 0)).toEqual({ token: 'ok-token' });
    expect(realBodyIds(pool, body, { token: 'gen' }, 'worker', 1)).toEqual({ token: 'gen' });
    expect(realParams(pool, retire, 'platform_admin', 5)).toEqual({ kid: 'k20261130abcd1234' });
    // A pinned `undefined` leaves an optional field out of that probe; any JSON value can be pinned (`ids: [[…]]`).
    const keys = z.strictObject({
      label: z.string(),
      rotateKeyId: z.string().optional(),
      ids: z.array(z.string()),
    });
    const issue = { method: 'POST', url: '/api/v1/keys', schemas: { body: keys } } as unknown as RouteEntry;
    pool.pin(issue, { body: { rotateKeyId: [undefined, id('pak', 1)], ids: [[id('pol', 1)]] } });
    const gen = () => ({ label: 'k', rotateKeyId: 'gen', ids: ['gen'] });
    expect(realBodyIds(pool, keys, gen(), 'platform_admin', 0)).toEqual({ label: 'k', ids: [id('pol', 1)] });
    expect(realBodyIds(pool, keys, gen(), 'platform_admin', 1)).toEqual({
      label: 'k',
      rotateKeyId: id('pak', 1),
      ids: [id('pol', 1)],
    });
  });

  test("the check-in token is the last segment of a class's check-in URL", () => {
    expect(checkinTokenOf('http://localhost:3000/worker/training/checkin/Ab3_-xYz0123456789abcd')).toBe(
      'Ab3_-xYz0123456789abcd',
    );
    expect(() => checkinTokenOf('http://localhost:3000/worker/training/checkin/')).toThrow();
  });
});

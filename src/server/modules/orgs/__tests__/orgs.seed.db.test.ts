import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { creditGrades } from '../../../../shared/domain.js';
import { parseUscc } from '../../../../shared/validators/index.js';
import { seedDemoCityIfEmpty } from '../../../seed/demo.js';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { organization } from '../orgs.tables.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await seedDemoCityIfEmpty(t.app);
});
afterAll(async () => t.close());

describe('demo organizations', () => {
  test('companies have full valid profiles, every credit grade, and applications in review', async () => {
    const rows = await t.database.db.select().from(organization);
    const companies = rows.filter((r) => r.type === 'company');
    expect(companies.length).toBeGreaterThanOrEqual(34);
    for (const c of companies) {
      expect(parseUscc(c.uscc!).ok, c.uscc!).toBe(true);
      expect(c.legalRepresentative && c.address && c.model && c.contactPhoneEnc && c.licenceKey).toBeTruthy();
      expect(c.serviceCategories.length).toBeGreaterThan(0);
      expect(Math.abs(c.lon! - 113.5)).toBeLessThan(1);
    }
    for (const g of creditGrades)
      expect(companies.filter((c) => c.creditGrade === g).length).toBeGreaterThan(0);
    const states = companies.map((c) => c.applicationStatus);
    expect(states.filter((s) => s === 'submitted')).toHaveLength(2);
    expect(states).toContain('rejected');
    expect(states).toContain('needs_more_info');
    for (const type of ['station', 'training', 'insurer'])
      expect(rows.filter((r) => r.type === type && r.lon !== null).length).toBeGreaterThan(0);

    const pub = await t.app.inject({ method: 'GET', url: '/api/v1/public/companies?limit=100' });
    expect(pub.json().items.length).toBe(companies.filter((c) => c.status === 'active').length);
    const stations = await t.app.inject({
      method: 'GET',
      url: '/api/v1/public/organizations?type=station&limit=100',
    });
    expect(stations.json().items).toHaveLength(11);
  });
});

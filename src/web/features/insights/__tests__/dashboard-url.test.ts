import { describe, expect, test } from 'vitest';
import { type Drill, readDashboardState, writeDashboardState } from '../dashboard-url';

describe('dashboard state in the address', () => {
  test('filters and every kind of drill-down survive a round trip', () => {
    const drills: (Drill | null)[] = [
      null,
      { kind: 'orders' },
      { kind: 'orders', district: '440106', category: 'cleaning', month: '2026-10' },
      { kind: 'companies', district: '440105', grade: '5A' },
      { kind: 'companies', grade: 'none' },
    ];
    const filters = { district: '440106', category: 'maternity', from: '2026-01', to: '2026-11' };
    for (const drill of drills) {
      const back = readDashboardState(new URLSearchParams(writeDashboardState(filters, drill).toString()));
      expect(back).toEqual({ filters, drill });
    }
    expect(readDashboardState(new URLSearchParams(''))).toEqual({ filters: {}, drill: null });
  });

  test('malformed, unknown or half values are dropped, not guessed', () => {
    const s = readDashboardState(
      new URLSearchParams(
        'district=<script>&category=cleaning&from=2026-13&to=2026-11&drill=workers&d.grade=5A',
      ),
    );
    expect(s).toEqual({ filters: { category: 'cleaning' }, drill: null });
    // A reversed period is not applied; a bad grade is dropped from a company drill.
    expect(
      readDashboardState(new URLSearchParams('from=2026-11&to=2026-01&drill=companies&d.grade=B')),
    ).toEqual({ filters: {}, drill: { kind: 'companies' } });
    expect(readDashboardState(new URLSearchParams('drill=orders&d.month=26-1')).drill).toEqual({
      kind: 'orders',
    });
  });
});

import { creditGrades } from '../../../shared/domain';
import type { Filters } from './insights.types';

/** What the regulator drilled into: an order list or a company list, with the scope the click carried. */
export type Drill =
  | {
      kind: 'orders';
      district?: string | undefined;
      category?: string | undefined;
      month?: string | undefined;
    }
  | { kind: 'companies'; district?: string | undefined; grade?: string | undefined };

/**
 * The dashboard's filters and open drill-down live in the address (`?district=…&drill=orders&d.month=…`), so a
 * view can be bookmarked or sent to a colleague, and the browser's Back closes a drill-down the way it leaves a
 * page. Unknown or malformed values are dropped here; the server still validates what it is sent.
 */
const code = /^[0-9a-z_]{1,40}$/i;
const month = /^\d{4}-(0[1-9]|1[0-2])$/;
const grades = new Set<string>([...creditGrades, 'none']);

const pick = (p: URLSearchParams, key: string, ok: (s: string) => boolean) => {
  const v = p.get(key);
  return v !== null && ok(v) ? v : undefined;
};
const isCode = (s: string) => code.test(s);
const isMonth = (s: string) => month.test(s);

export function readDashboardState(p: URLSearchParams): { filters: Filters; drill: Drill | null } {
  const filters: Filters = {};
  const district = pick(p, 'district', isCode);
  const category = pick(p, 'category', isCode);
  const from = pick(p, 'from', isMonth);
  const to = pick(p, 'to', isMonth);
  if (district) filters.district = district;
  if (category) filters.category = category;
  // A period needs both ends, in order; half of one is ignored rather than guessed.
  if (from && to && from <= to) {
    filters.from = from;
    filters.to = to;
  }
  const kind = p.get('drill');
  let drill: Drill | null = null;
  const dDistrict = pick(p, 'd.district', isCode);
  if (kind === 'orders') {
    drill = { kind: 'orders' };
    if (dDistrict) drill.district = dDistrict;
    const c = pick(p, 'd.category', isCode);
    if (c) drill.category = c;
    const m = pick(p, 'd.month', isMonth);
    if (m) drill.month = m;
  } else if (kind === 'companies') {
    drill = { kind: 'companies' };
    if (dDistrict) drill.district = dDistrict;
    const g = pick(p, 'd.grade', (s) => grades.has(s));
    if (g) drill.grade = g;
  }
  return { filters, drill };
}

export function writeDashboardState(filters: Filters, drill: Drill | null): URLSearchParams {
  const p = new URLSearchParams();
  const set = (k: string, v: string | undefined) => {
    if (v) p.set(k, v);
  };
  set('district', filters.district);
  set('category', filters.category);
  set('from', filters.from);
  set('to', filters.to);
  if (drill) {
    p.set('drill', drill.kind);
    set('d.district', drill.district);
    if (drill.kind === 'orders') {
      set('d.category', drill.category);
      set('d.month', drill.month);
    } else set('d.grade', drill.grade);
  }
  return p;
}

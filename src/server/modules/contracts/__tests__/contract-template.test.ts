import { describe, expect, test } from 'vitest';
import {
  formatContractNumber,
  formatFilingNumber,
  parseContractNumber,
  parseFilingNumber,
} from '../contract-number.js';
import {
  defaultTemplate,
  fillTemplate,
  knownVariables,
  mandatoryClauses,
  templateVariables,
  validateTemplate,
} from '../contract-template.js';
import { liveIn } from './fixtures.js';

describe('templates and their variables', () => {
  test('both default templates are valid and hold every mandatory clause', () => {
    for (const kind of ['agency', 'employee'] as const) {
      const t = defaultTemplate(kind);
      expect(validateTemplate(kind, t.clauses)).toEqual([]);
      expect(t.clauses.map((c) => c.key)).toEqual(expect.arrayContaining([...mandatoryClauses[kind]]));
    }
    expect(defaultTemplate('employee').clauses.map((c) => c.key)).not.toContain('agency_fee');
  });
  test('filling leaves no placeholder and puts the terms in Chinese', () => {
    const t = liveIn();
    const filled = fillTemplate(defaultTemplate('agency').clauses, templateVariables(t, '体育西路1号'));
    const all = filled.map((c) => c.title + c.body).join('\n');
    expect(all).not.toMatch(/\{\{|\}\}/);
    expect(all).toContain('甲方（消费者）：陈女士');
    expect(all).toContain('丙方（家政服务员）：张秀芳');
    expect(all).toContain('每月休息 4 天');
    expect(all).toContain('7000.00 元');
    expect(all).toContain('天河区 体育西路1号');
    expect(all).toContain('第1期 2026-01-01 前支付 7000.00 元');
    expect(all).toContain('按未服务天数比例退还');
  });
  test('every variable has a value for every terms set', () => {
    expect(Object.keys(templateVariables(liveIn(), 'x')).sort()).toEqual([...knownVariables].sort());
    expect(knownVariables.length).toBeGreaterThan(30);
  });
  test('a template missing a mandatory clause or using an unknown variable is refused', () => {
    const clauses = defaultTemplate('agency').clauses.filter((c) => c.key !== 'insurance');
    expect(validateTemplate('agency', clauses)).toEqual(['missing clause: insurance']);
    const bad = [
      ...defaultTemplate('agency').clauses,
      { key: 'extra', title: '附加', body: '{{worker.idNumber}}' },
    ];
    expect(validateTemplate('agency', bad)).toEqual(['unknown variable in extra: worker.idNumber']);
    expect(() => fillTemplate([{ key: 'x', title: 'x', body: '{{nope}}' }], {})).toThrow(RangeError);
  });
});

describe('numbers with a check character', () => {
  test('contract and filing numbers round-trip; a changed character is caught', () => {
    const n = formatContractNumber(2026, 42);
    expect(n).toMatch(/^HT2026000042[0-9A-Z]$/);
    expect(parseContractNumber(` ${n.toLowerCase()} `)).toBe(n);
    expect(parseContractNumber(n.replace('42', '43'))).toBeNull();
    const f = formatFilingNumber('440106', 2026, 7);
    expect(parseFilingNumber(f)).toBe(f);
    expect(parseFilingNumber(f.replace('440106', '440105'))).toBeNull();
    expect(() => formatContractNumber(2026, 0)).toThrow(RangeError);
  });
});

import { describe, expect, test } from 'vitest';
import {
  formatContractNumber,
  formatFilingNumber,
  parseContractNumber,
  parseFilingNumber,
} from '../contract-number.js';
import {
  asClauseFormat,
  currentClauseFormat,
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
    const filled = fillTemplate(defaultTemplate('agency').clauses, templateVariables(t, '体育西路1号', 2));
    const all = filled.map((c) => c.title + c.body).join('\n');
    expect(all).not.toMatch(/\{\{|\}\}/);
    expect(all).toContain('甲方（消费者）：陈女士');
    expect(all).toContain('丙方（家政服务员）：张秀芳');
    expect(all).toContain('每月休息 4 天');
    expect(all).toContain('服务费每月 人民币 7,000.00 元（大写：柒仟元整）');
    expect(all).toContain('天河区 体育西路1号');
    expect(all).toContain('第1期 2026-01-01 前支付 人民币 7,000.00 元（大写：柒仟元整）');
    expect(all).toContain('按未服务天数比例退还');
  });
  /** Terms whose amounts have 角, 分, thousands and a zero deposit (both clause formats render them). */
  const oddAmounts = () =>
    liveIn({
      monthlyFeeFen: 1_200_050,
      totalFeeFen: 3_600_150,
      paymentSchedule: [
        { dueDate: '2026-01-01', amountFen: 1_200_050 },
        { dueDate: '2026-01-31', amountFen: 2_400_100 },
      ],
      agencyFeeFen: 100_004,
      depositFen: 0,
      monthlyWageFen: 1_000_000,
    });
  test('every amount is stated as 人民币, figure with separators and two decimals, and the capitals', () => {
    const t = oddAmounts();
    const v = templateVariables(t, 'x', 2);
    expect(v.monthlyFee).toBe('人民币 12,000.50 元（大写：壹万贰仟元伍角）');
    expect(v.totalFee).toBe('人民币 36,001.50 元（大写：叁万陆仟零壹元伍角）');
    expect(v.paymentSchedule).toBe(
      '第1期 2026-01-01 前支付 人民币 12,000.50 元（大写：壹万贰仟元伍角）；' +
        '第2期 2026-01-31 前支付 人民币 24,001.00 元（大写：贰万肆仟零壹元整）',
    );
    expect(v.agencyFee).toBe('人民币 1,000.04 元（大写：壹仟元零肆分）');
    expect(v.deposit).toBe('人民币 0.00 元（大写：零元整）');
    expect(v.monthlyWage).toBe('人民币 10,000.00 元（大写：壹万元整）');
    // The filled contract: no bare "12000.50 元" (the old text), no "¥", and every 元 amount has its capitals.
    for (const kind of ['agency', 'employee'] as const) {
      const all = fillTemplate(defaultTemplate(kind).clauses, v)
        .map((c) => c.body)
        .join('\n');
      expect(all).not.toMatch(/\d{4,}\.\d\d 元|¥/);
      const figures = [...all.matchAll(/[\d,]+\.\d\d 元/g)].length;
      expect(figures).toBeGreaterThanOrEqual(kind === 'agency' ? 7 : 6);
      expect(
        [...all.matchAll(/人民币 [\d,]+\.\d\d 元（大写：[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+）/g)]
          .length,
      ).toBe(figures);
    }
  });
  test('format 1 (contracts made before the legal form) keeps the old amounts, word for word', () => {
    const t = oddAmounts();
    const v = templateVariables(t, 'x', 1);
    expect(v.monthlyFee).toBe('12000.50 元');
    expect(v.totalFee).toBe('36001.50 元');
    expect(v.paymentSchedule).toBe(
      '第1期 2026-01-01 前支付 12000.50 元；第2期 2026-01-31 前支付 24001.00 元',
    );
    expect(v.agencyFee).toBe('1000.04 元');
    expect(v.deposit).toBe('0.00 元');
    expect(v.monthlyWage).toBe('10000.00 元');
    const all = fillTemplate(defaultTemplate('agency').clauses, v)
      .map((c) => c.body)
      .join('\n');
    expect(all).toContain('服务费每月 12000.50 元，合同期内合计 36001.50 元。');
    expect(all).not.toMatch(/人民币|大写|,\d{3}/);
    // Only the amounts differ between the formats: every other variable reads the same.
    const v2 = templateVariables(t, 'x', 2);
    const money = ['monthlyFee', 'totalFee', 'paymentSchedule', 'agencyFee', 'deposit', 'monthlyWage'];
    for (const k of Object.keys(v)) {
      if (money.includes(k)) expect(v[k]).not.toBe(v2[k]);
      else expect(v[k]).toBe(v2[k]);
    }
  });
  test('new contracts use format 2; a stored format that is not known is refused, not guessed', () => {
    expect(currentClauseFormat).toBe(2);
    expect(asClauseFormat(1)).toBe(1);
    expect(asClauseFormat(2)).toBe(2);
    for (const n of [0, 3, -1, 1.5]) expect(() => asClauseFormat(n)).toThrow(RangeError);
  });
  test('every variable has a value for every terms set', () => {
    for (const f of [1, 2] as const)
      expect(Object.keys(templateVariables(liveIn(), 'x', f)).sort()).toEqual([...knownVariables].sort());
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

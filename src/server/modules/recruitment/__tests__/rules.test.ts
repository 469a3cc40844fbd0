import { describe, expect, test } from 'vitest';
import { checkPostTerms, discriminatoryTermsIn, minimumWageFor, type PostTerms } from '../rules.js';

const ok: PostTerms = {
  mode: 'live_in',
  district: '440106',
  salaryMinFen: 600_000,
  salaryMaxFen: 800_000,
  minAge: 18,
  maxAge: 55,
  title: '天河区住家育婴员',
  description: '照顾 1 岁宝宝，做简单家务，持育婴员证优先。',
  location: '天河区珠江新城',
};

describe('post rules', () => {
  test('a lawful post passes', () => {
    expect(checkPostTerms(ok)).toEqual([]);
  });

  test('ages under 16 are refused; an upper limit below the lower or above 70 too', () => {
    expect(checkPostTerms({ ...ok, minAge: 15 }).map((i) => i.code)).toEqual(['AGE_BELOW_LEGAL']);
    expect(checkPostTerms({ ...ok, minAge: 16 })).toEqual([]);
    expect(checkPostTerms({ ...ok, minAge: 40, maxAge: 30 }).map((i) => i.code)).toEqual(['AGE_RANGE']);
    expect(checkPostTerms({ ...ok, maxAge: 71 }).map((i) => i.code)).toEqual(['AGE_RANGE']);
  });

  test("Guangzhou's minimum wage: 2,500 yuan a month, 23.7 yuan an hour", () => {
    expect(minimumWageFor('440106')).toMatchObject({ monthlyFen: 250_000, hourlyFen: 2_370 });
    const monthly = checkPostTerms({ ...ok, salaryMinFen: 249_999 });
    expect(monthly).toEqual([expect.objectContaining({ code: 'BELOW_MINIMUM_WAGE', minimumFen: 250_000 })]);
    expect(checkPostTerms({ ...ok, salaryMinFen: 250_000 })).toEqual([]);
    const hourly = { ...ok, mode: 'hourly' as const, salaryMinFen: 2_300, salaryMaxFen: 4_000 };
    expect(checkPostTerms(hourly).map((i) => i.code)).toEqual(['BELOW_MINIMUM_WAGE']);
    expect(checkPostTerms({ ...hourly, salaryMinFen: 2_370 })).toEqual([]);
  });

  test('a maximum below the minimum salary is inconsistent', () => {
    expect(checkPostTerms({ ...ok, salaryMaxFen: 500_000 }).map((i) => i.code)).toEqual(['SALARY_RANGE']);
  });

  test('discriminatory wording is found in any free-text field, spaces ignored', () => {
    expect(discriminatoryTermsIn('限 女 性，本地户口')).toEqual(['限女', '本地户口']);
    expect(discriminatoryTermsIn('Female only, live-in')).toEqual(['female only']);
    const issues = checkPostTerms({
      ...ok,
      title: '住家保姆（限女）',
      description: '要求已婚已育，不要乙肝',
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['title', 'DISCRIMINATORY'],
      ['description', 'DISCRIMINATORY'],
    ]);
    expect(issues[1]).toMatchObject({ terms: ['已婚已育', '已婚', '乙肝'] });
  });

  test('ordinary job words are not flagged', () => {
    for (const t of ['月嫂，照顾产妇和新生儿', '育婴员证优先', '会做粤菜', '持健康证上岗', '住家，包吃住'])
      expect(discriminatoryTermsIn(t)).toEqual([]);
  });
});

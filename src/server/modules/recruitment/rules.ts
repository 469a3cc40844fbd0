/**
 * What a job post may ask for (pure, no I/O): the legal working age, minimum wages per district, and wording that
 * excludes people by sex, ethnicity, origin, marital or childbearing status, health carrier status or looks.
 */

export const postModes = ['live_in', 'day', 'hourly'] as const;
export type PostMode = (typeof postModes)[number];

export const benefitCodes = [
  'social_insurance',
  'accident_insurance',
  'housing',
  'meals',
  'training',
] as const;
export type Benefit = (typeof benefitCodes)[number];

/** The legal minimum working age (劳动法 §15); hiring below it is 使用童工. */
export const MIN_LEGAL_AGE = 16;
/** Highest upper age limit a post may set (beyond it no limit is stated at all). */
export const MAX_AGE_LIMIT = 70;

/** A district's minimum wage: monthly (full-time) and hourly (non-full-time), in fen. */
export interface MinimumWage {
  monthlyFen: number;
  hourlyFen: number;
  /** Where the figure comes from. */
  source: string;
}

/**
 * Guangdong's first-class minimum wage from 2025-03-01 applies to every Guangzhou district: 2,500 yuan a month,
 * 23.7 yuan an hour for non-full-time work (粤府函〔2025〕). Other cities fall back to the city default.
 */
const GUANGZHOU: MinimumWage = {
  monthlyFen: 250_000,
  hourlyFen: 2_370,
  source: '广东省最低工资标准（2025年3月1日起）一类地区：广州',
};
export const minimumWageByDistrict: Readonly<Record<string, MinimumWage>> = Object.fromEntries(
  [
    '440103',
    '440104',
    '440105',
    '440106',
    '440111',
    '440112',
    '440113',
    '440114',
    '440115',
    '440117',
    '440118',
  ].map((d) => [d, GUANGZHOU]),
);

/** The minimum wage in force for a district (the Guangzhou figure for districts not listed). */
export function minimumWageFor(district: string): MinimumWage {
  return minimumWageByDistrict[district] ?? GUANGZHOU;
}

/**
 * Words that make a requirement discriminatory (就业促进法 §3, §26–31; 妇女权益保障法 §43): sex, ethnicity,
 * household registration or origin, marital and childbearing status, hepatitis-B carriers, looks and zodiac.
 * A short list, matched on the text with spaces removed; see docs/recruitment.md for why each is here.
 */
export const discriminatoryTerms: readonly { term: string; ground: string }[] = [
  { term: '限男', ground: 'sex' },
  { term: '限女', ground: 'sex' },
  { term: '仅限男', ground: 'sex' },
  { term: '仅限女', ground: 'sex' },
  { term: '只招男', ground: 'sex' },
  { term: '只招女', ground: 'sex' },
  { term: '男性优先', ground: 'sex' },
  { term: '女性优先', ground: 'sex' },
  { term: '汉族', ground: 'ethnicity' },
  { term: '少数民族', ground: 'ethnicity' },
  { term: '本地户口', ground: 'origin' },
  { term: '本地户籍', ground: 'origin' },
  { term: '限本地', ground: 'origin' },
  { term: '外地人勿', ground: 'origin' },
  { term: '不要外地', ground: 'origin' },
  { term: '农村户口', ground: 'origin' },
  { term: '籍贯', ground: 'origin' },
  { term: '已婚已育', ground: 'marital' },
  { term: '未婚', ground: 'marital' },
  { term: '已婚', ground: 'marital' },
  { term: '未育', ground: 'marital' },
  { term: '乙肝', ground: 'health_carrier' },
  { term: '身高', ground: 'looks' },
  { term: '形象好', ground: 'looks' },
  { term: '颜值', ground: 'looks' },
  { term: '相貌', ground: 'looks' },
  { term: '属相', ground: 'belief' },
  { term: 'male only', ground: 'sex' },
  { term: 'female only', ground: 'sex' },
];

/** The discriminatory terms found in a text (empty when it is acceptable). */
export function discriminatoryTermsIn(text: string): string[] {
  const flat = text.replace(/\s+/g, '').toLowerCase();
  const spaced = text.toLowerCase();
  return (
    discriminatoryTerms
      // English phrases match whole words ("male only" is not inside "female only").
      .filter(({ term }) =>
        /^[a-z ]+$/.test(term) ? new RegExp(`\\b${term}\\b`).test(spaced) : flat.includes(term),
      )
      .map(({ term }) => term)
  );
}

export interface PostTerms {
  mode: PostMode;
  district: string;
  salaryMinFen: number;
  salaryMaxFen: number;
  minAge: number;
  maxAge: number;
  title: string;
  description: string;
  location: string;
}

export type PostIssue =
  | { path: string; code: 'AGE_BELOW_LEGAL'; message: string }
  | { path: string; code: 'AGE_RANGE'; message: string }
  | { path: string; code: 'BELOW_MINIMUM_WAGE'; message: string; minimumFen: number }
  | { path: string; code: 'SALARY_RANGE'; message: string }
  | { path: string; code: 'DISCRIMINATORY'; message: string; terms: string[] };

/** Every reason a post's terms are unlawful or inconsistent; empty when they may be published. */
export function checkPostTerms(p: PostTerms): PostIssue[] {
  const out: PostIssue[] = [];
  if (p.minAge < MIN_LEGAL_AGE)
    out.push({ path: 'minAge', code: 'AGE_BELOW_LEGAL', message: `at least ${MIN_LEGAL_AGE}` });
  if (p.maxAge < p.minAge || p.maxAge > MAX_AGE_LIMIT)
    out.push({ path: 'maxAge', code: 'AGE_RANGE', message: `between minAge and ${MAX_AGE_LIMIT}` });
  if (p.salaryMaxFen < p.salaryMinFen)
    out.push({ path: 'salaryMaxFen', code: 'SALARY_RANGE', message: 'not below salaryMinFen' });
  const wage = minimumWageFor(p.district);
  const minimumFen = p.mode === 'hourly' ? wage.hourlyFen : wage.monthlyFen;
  if (p.salaryMinFen < minimumFen)
    out.push({
      path: 'salaryMinFen',
      code: 'BELOW_MINIMUM_WAGE',
      message: `below the minimum wage of ${minimumFen} fen per ${p.mode === 'hourly' ? 'hour' : 'month'}`,
      minimumFen,
    });
  for (const path of ['title', 'description', 'location'] as const) {
    const terms = discriminatoryTermsIn(p[path]);
    if (terms.length)
      out.push({
        path,
        code: 'DISCRIMINATORY',
        message: `discriminatory wording: ${terms.join('、')}`,
        terms,
      });
  }
  return out;
}

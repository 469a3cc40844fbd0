/** Service categories seen in contracts and platforms (DOMAIN.md "Skills and services"). */
export const serviceCategories = [
  { code: 'cleaning', zh: '一般家务/保洁', en: 'Housekeeping and cleaning' },
  { code: 'deep_cleaning', zh: '开荒保洁', en: 'Deep cleaning' },
  { code: 'cooking', zh: '家庭烹饪', en: 'Home cooking' },
  { code: 'infant_care', zh: '婴幼儿照护/育婴', en: 'Infant care (0–3)' },
  { code: 'maternity', zh: '产妇与新生儿护理（月嫂）', en: 'Maternity and newborn care' },
  { code: 'elder_care', zh: '老人照护/养老护理', en: 'Elder care' },
  { code: 'patient_care', zh: '病患陪护', en: 'Patient companion care' },
  { code: 'organizing', zh: '整理收纳', en: 'Home organizing' },
  { code: 'lactation', zh: '催乳', en: 'Lactation support' },
  { code: 'postnatal_recovery', zh: '产后修复', en: 'Postnatal recovery' },
  { code: 'appliance_cleaning', zh: '家电清洗', en: 'Appliance cleaning' },
  { code: 'hourly', zh: '钟点工', en: 'Hourly help' },
] as const;
export type ServiceCategory = (typeof serviceCategories)[number]['code'];
export const serviceCategoryCodes = serviceCategories.map((c) => c.code) as [
  ServiceCategory,
  ...ServiceCategory[],
];

/** 家政服务员 national occupational standard (2019, 4-10-01-06): skill levels, lowest first. */
export const skillLevels = [
  { code: 'level5', zh: '五级/初级工', en: 'Level 5 (junior)' },
  { code: 'level4', zh: '四级/中级工', en: 'Level 4 (intermediate)' },
  { code: 'level3', zh: '三级/高级工', en: 'Level 3 (senior)' },
  { code: 'level2', zh: '二级/技师', en: 'Level 2 (technician)' },
] as const;
export type SkillLevel = (typeof skillLevels)[number]['code'];
export const skillLevelCodes = skillLevels.map((l) => l.code) as [SkillLevel, ...SkillLevel[]];

/** Company models: 员工制 (the worker is the company's employee) or 中介制 (agency, three-party contracts). */
export const companyModels = [
  { code: 'employee', zh: '员工制', en: 'Employee model' },
  { code: 'agency', zh: '中介制', en: 'Agency model' },
] as const;
export type CompanyModel = (typeof companyModels)[number]['code'];

/** Documents a worker proves themselves with. */
export const documentKinds = [
  { code: 'id_front', zh: '身份证人像面', en: 'ID card (photo side)' },
  { code: 'id_back', zh: '身份证国徽面', en: 'ID card (emblem side)' },
  { code: 'health', zh: '健康证/体检报告', en: 'Health certificate' },
  { code: 'criminal_record', zh: '无犯罪记录证明', en: 'No-criminal-record proof' },
  { code: 'skill', zh: '职业技能/培训证书', en: 'Vocational skill or training certificate' },
] as const;
export type DocumentKind = (typeof documentKinds)[number]['code'];

/** The 安心码 colour of a certificate: green all valid, yellow something missing or expired, red revoked or at risk. */
export const trustColors = ['green', 'yellow', 'red'] as const;
export type TrustColor = (typeof trustColors)[number];

/** Credit grades of companies, best first (Guangzhou's 5A–A). */
export const creditGrades = ['5A', '4A', '3A', '2A', 'A'] as const;
export type CreditGrade = (typeof creditGrades)[number];

export const labelOf = <T extends { code: string; zh: string; en: string }>(
  list: readonly T[],
  code: string,
  lang: 'zh' | 'en' = 'zh',
) => list.find((x) => x.code === code)?.[lang] ?? code;

/** How a service is booked (DOMAIN.md "Services"): one visit, a weekly schedule, long-term, or the 月嫂 package. */
export const serviceModes = [
  { code: 'hourly', zh: '计时（单次上门）', en: 'Hourly visit' },
  { code: 'recurring', zh: '点单式/分时段（每周固定）', en: 'Recurring visits' },
  { code: 'day_care', zh: '日间照料', en: 'Day care' },
  { code: 'live_in', zh: '全日住家', en: 'Live-in' },
  { code: 'maternity', zh: '月嫂套餐（26天）', en: 'Maternity package (26 days)' },
] as const;
export type ServiceMode = (typeof serviceModes)[number]['code'];
export const serviceModeCodes = serviceModes.map((m) => m.code) as [ServiceMode, ...ServiceMode[]];
/** Long-term modes need a signed contract before service starts. */
export const longTermModes: readonly ServiceMode[] = ['day_care', 'live_in', 'maternity'];

/** The unit a price is quoted in. */
export const priceUnits = [
  { code: 'hour', zh: '小时', en: 'hour' },
  { code: 'visit', zh: '次', en: 'visit' },
  { code: 'day', zh: '天', en: 'day' },
  { code: 'month', zh: '月', en: 'month' },
  { code: 'package26', zh: '26天套餐', en: '26-day package' },
] as const;
export type PriceUnit = (typeof priceUnits)[number]['code'];
export const priceUnitCodes = priceUnits.map((u) => u.code) as [PriceUnit, ...PriceUnit[]];

/** The unit each mode is priced in. */
export const unitOfMode: Record<ServiceMode, PriceUnit> = {
  hourly: 'hour',
  recurring: 'hour',
  day_care: 'month',
  live_in: 'month',
  maternity: 'package26',
};

/** Languages a worker speaks (stored as these Chinese names); the UI labels them through `spokenLang.<key>`. */
export const spokenLanguages = [
  { key: 'mandarin', value: '普通话' },
  { key: 'cantonese', value: '粤语' },
  { key: 'hakka', value: '客家话' },
  { key: 'teochew', value: '潮汕话' },
  { key: 'english', value: 'English' },
] as const;

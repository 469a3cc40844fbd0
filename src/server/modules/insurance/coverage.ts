/** Coverage items an insurance product may carry (保障项目); liability items cover harm to households. */
export const coverageCodes = [
  'accident_death', // 意外身故/伤残
  'accident_medical', // 意外医疗
  'hospital_allowance', // 住院津贴
  'liability_injury', // 第三者责任：人身伤害
  'liability_property', // 第三者责任：财产损失
] as const;
export type CoverageCode = (typeof coverageCodes)[number];

export const coverageLabels: Record<CoverageCode, string> = {
  accident_death: '意外身故/伤残',
  accident_medical: '意外医疗',
  hospital_allowance: '住院津贴',
  liability_injury: '第三者责任（人身伤害）',
  liability_property: '第三者责任（财产损失）',
};

export const isLiability = (code: string) => code.startsWith('liability_');

export const productKinds = ['accident', 'liability', 'combined'] as const;
export type ProductKind = (typeof productKinds)[number];

export const productKindLabels: Record<ProductKind, string> = {
  accident: '意外险',
  liability: '责任险',
  combined: '意外+责任组合险',
};

/** Which coverage items a product of a kind may carry. */
export function coverageFits(kind: ProductKind, code: string): boolean {
  if (kind === 'combined') return true;
  return kind === 'liability' ? isLiability(code) : !isLiability(code);
}

import { Tag } from 'antd';
import { districtByCode } from '../../../../shared/districts';
import { labelOf, priceUnits, serviceCategories, serviceModes, skillLevels } from '../../../../shared/domain';
import { useLocale, useT } from '../../../shared/i18n';
import { formatAmount } from '../../../shared/money';

/** Labels of shared vocabulary in the UI language. */
export function useVocab() {
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  return {
    category: (c: string) => labelOf(serviceCategories, c, lang),
    mode: (m: string) => labelOf(serviceModes, m, lang),
    unit: (u: string) => labelOf(priceUnits, u, lang),
    level: (l: string | null) => (l ? labelOf(skillLevels, l, lang) : ''),
    district: (d: string | null) => (d ? (districtByCode.get(d)?.name ?? d) : ''),
  };
}

/** "45 元/小时" or "12,000–15,000 元/26天套餐". */
export function usePrice() {
  const v = useVocab();
  const t = useT();
  return (fen: number, unit: string, maxFen?: number | null) => {
    const amount =
      maxFen && maxFen !== fen ? `${formatAmount(fen)}–${formatAmount(maxFen)}` : formatAmount(fen);
    return t('find.price', { amount, unit: v.unit(unit) });
  };
}

/** The guide-range flag: shown, never hidden (统一价格指导). */
export function GuideFlagTag({ flag }: { flag: 'below' | 'above' | null }) {
  const t = useT();
  if (!flag) return null;
  return (
    <Tag color={flag === 'above' ? 'orange' : 'blue'}>
      {t(flag === 'above' ? 'catalog.flag.above' : 'catalog.flag.below')}
    </Tag>
  );
}

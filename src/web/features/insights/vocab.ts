import { districtByCode } from '../../../shared/districts';
import { labelOf, serviceCategories, serviceModes } from '../../../shared/domain';
import { useLocale } from '../../shared/i18n';

/** Labels of shared vocabulary in the UI language. */
export function useVocab() {
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  return {
    lang,
    category: (c: string) => labelOf(serviceCategories, c, lang),
    mode: (m: string) => labelOf(serviceModes, m, lang),
    district: (d: string | null) => (d ? (districtByCode.get(d)?.name ?? d) : ''),
  };
}

/** An ISO instant shown in Asia/Shanghai, minutes precision. */
export const shanghaiTime = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

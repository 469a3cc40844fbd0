import { Tag } from 'antd';
import { districts } from '../../../shared/districts';
import { documentKinds, labelOf, serviceCategories, skillLevels } from '../../../shared/domain';
import { useLocale, useT } from '../../shared/i18n';
import type { MessageKey } from '../../shared/i18n';

/** Domain labels in the UI language. */
export function useLabels() {
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  return {
    category: (code: string) => labelOf(serviceCategories, code, lang),
    skill: (code: string | null) => (code ? labelOf(skillLevels, code, lang) : '—'),
    kind: (code: string) => labelOf(documentKinds, code, lang),
    district: (code: string | null) => districts.find((d) => d.code === code)?.name ?? code ?? '—',
    categoryOptions: serviceCategories.map((c) => ({ value: c.code, label: c[lang] })),
    skillOptions: skillLevels.map((c) => ({ value: c.code, label: c[lang] })),
    kindOptions: documentKinds.map((c) => ({ value: c.code, label: c[lang] })),
    districtOptions: districts.map((d) => ({ value: d.code, label: d.name })),
  };
}

const stateColors: Record<string, string> = {
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
  valid: 'green',
  expired: 'orange',
  missing: 'default',
  passed: 'green',
  failed: 'red',
  clear: 'green',
  record_found: 'red',
  active: 'green',
  pending_confirmation: 'gold',
};

/** A coloured tag for a review or check state. */
export function StateTag({ state }: { state: string }) {
  const t = useT();
  const key = `wk.state.${state}` as MessageKey;
  return <Tag color={stateColors[state] ?? 'default'}>{t(key)}</Tag>;
}

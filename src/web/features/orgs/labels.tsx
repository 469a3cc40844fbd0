import { Tag } from 'antd';
import { districts } from '../../../shared/districts';
import { companyModels, labelOf, serviceCategories } from '../../../shared/domain';
import { type MessageKey, useLocale, useT } from '../../shared/i18n';
import type { ApplicationStatus, OrgStatus } from './orgs.types';

const appColor: Record<ApplicationStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'success',
  rejected: 'error',
  needs_more_info: 'warning',
};
const orgColor: Record<OrgStatus, string> = {
  pending: 'default',
  active: 'success',
  suspended: 'warning',
  expelled: 'error',
};

export function ApplicationTag({ status }: { status: ApplicationStatus | null }) {
  const t = useT();
  if (!status) return null;
  return <Tag color={appColor[status]}>{t(`org.app.${status}` as MessageKey)}</Tag>;
}

export function OrgStatusTag({ status }: { status: OrgStatus }) {
  const t = useT();
  return <Tag color={orgColor[status]}>{t(`org.status.${status}` as MessageKey)}</Tag>;
}

/** Display names of shared enums in the current language. */
export function useOrgLabels() {
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  return {
    district: (code: string | null) => (code ? (districts.find((d) => d.code === code)?.name ?? code) : ''),
    category: (code: string) => labelOf(serviceCategories, code, lang),
    model: (code: string | null) => (code ? labelOf(companyModels, code, lang) : ''),
    categoryOptions: serviceCategories.map((c) => ({ value: c.code, label: c[lang] })),
    modelOptions: companyModels.map((m) => ({ value: m.code, label: m[lang] })),
    districtOptions: districts.map((d) => ({ value: d.code, label: d.name })),
  };
}

export const formatTime = (iso: string | null, locale: string) =>
  iso
    ? new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', {
        timeZone: 'Asia/Shanghai',
        hour12: false,
      })
    : '';

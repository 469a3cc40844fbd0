import { Card, Descriptions, Empty, List, Tag } from 'antd';
import type { ReactNode } from 'react';
import { labelOf, serviceCategories, skillLevels } from '../../../shared/domain';
import { joinList, type MessageKey, useLocale, useT } from '../../shared/i18n';
import { formatDate } from '../../shared/ui/format';
import { Checklist, TrustBadge } from '../certification/components';
import type { EmptySection, SharedFile } from './efile.types';

const lang = (locale: string) => (locale === 'en' ? 'en' : 'zh');

/** A titled block of the e-file. */
export function FileSection({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Card size="small" title={title} className="efile-section">
      {children}
    </Card>
  );
}

/** A section whose module does not exist yet: says so, never shows invented data. */
export function NotYet({ section }: { section: EmptySection }) {
  const { locale } = useLocale();
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={section.message[locale === 'en' ? 'en' : 'zh-CN']}
    />
  );
}

export function categoriesText(codes: string[], locale: string) {
  return (
    joinList(
      locale === 'en' ? 'en' : 'zh-CN',
      codes.map((c) => labelOf(serviceCategories, c, lang(locale))),
    ) || '—'
  );
}

export function skillText(code: string | null, locale: string) {
  return code ? labelOf(skillLevels, code, lang(locale)) : '—';
}

/** The detailed, masked file a grantee, link holder or regulator sees. */
export function SharedFileView({ file }: { file: SharedFile }) {
  const t = useT();
  const { locale } = useLocale();
  const w = file.worker;
  return (
    <div className="efile">
      <p>
        <TrustBadge color={file.status.color} reason={file.status.reason} />
      </p>
      {file.expiresAt ? (
        <p className="muted small">{t('efile.shared.until', { date: formatDate(file.expiresAt, locale) })}</p>
      ) : null}
      <FileSection title={t('efile.section.basic')}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('efile.field.name')}>{w.maskedName}</Descriptions.Item>
          <Descriptions.Item label={t('efile.field.idNumber')}>{w.idNumberMasked ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('efile.field.categories')}>
            {categoriesText(w.categories, locale)}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.skill')}>
            {skillText(w.skillLevel, locale)}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.years')}>{w.yearsExperience ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('efile.field.languages')}>
            {joinList(locale, w.languages) || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.identity')}>
            {w.identityVerified ? t('efile.yes') : t('efile.no')}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.health')}>
            {file.health.validUntil
              ? formatDate(file.health.validUntil, locale)
              : t(`cert.checkState.${file.health.state}` as MessageKey)}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.training')}>
            {file.trainingPassed ? t('efile.passed') : t('efile.notPassed')}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.background')}>
            {file.background.passed
              ? `${t('efile.passed')} ${file.background.checkedOn ? formatDate(file.background.checkedOn, locale) : ''}`
              : t('efile.notPassed')}
          </Descriptions.Item>
          <Descriptions.Item label={t('efile.field.intro')}>{w.intro ?? '—'}</Descriptions.Item>
        </Descriptions>
      </FileSection>
      <FileSection title={t('efile.section.checks')}>
        <Checklist checks={file.status.checks} />
      </FileSection>
      {file.certificate ? (
        <FileSection title={t('efile.section.certificate')}>
          {file.certificate.number} · {formatDate(file.certificate.validFrom, locale)} –{' '}
          {formatDate(file.certificate.validUntil, locale)}
        </FileSection>
      ) : null}
      {file.documents ? (
        <FileSection title={t('efile.section.documents')}>
          <List
            size="small"
            dataSource={file.documents}
            locale={{ emptyText: t('efile.none') }}
            renderItem={(d) => (
              <List.Item>
                {d.kindLabel} <DocState state={d.state} />
                {d.expiresOn ? ` ${t('efile.until', { date: formatDate(d.expiresOn, locale) })}` : ''}
              </List.Item>
            )}
          />
        </FileSection>
      ) : null}
      {file.employment ? (
        <FileSection title={t('efile.section.work')}>
          <List
            size="small"
            dataSource={file.employment}
            locale={{ emptyText: t('efile.none') }}
            renderItem={(e) => (
              <List.Item>
                {e.companyName ?? '—'} · {formatDate(e.startedAt, locale)} –{' '}
                {e.endedAt ? formatDate(e.endedAt, locale) : t('efile.now')}
              </List.Item>
            )}
          />
        </FileSection>
      ) : null}
      {file.scope === 'basic' ? <p className="muted small">{t('efile.shared.basicNote')}</p> : null}
    </div>
  );
}

export function DocState({ state }: { state: string }) {
  const t = useT();
  const color = state === 'approved' ? 'success' : state === 'rejected' ? 'error' : 'processing';
  const key =
    state === 'approved'
      ? 'efile.doc.approved'
      : state === 'rejected'
        ? 'efile.doc.rejected'
        : 'efile.doc.pending';
  return <Tag color={color}>{t(key)}</Tag>;
}

/** An instant as date and minute in Asia/Shanghai. */
export function formatDateTime(value: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(value));
}

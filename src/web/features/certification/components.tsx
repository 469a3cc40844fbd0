import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { type MessageKey, useT } from '../../shared/i18n';
import type { TrustColor } from './certification.shared';
import type { CheckResult } from './certification.types';

const colorKey: Record<TrustColor, MessageKey> = {
  green: 'portal.code.green',
  yellow: 'portal.code.yellow',
  red: 'portal.code.red',
};
const colorIcon: Record<TrustColor, ReactNode> = {
  green: <CheckCircleFilled />,
  yellow: <ExclamationCircleFilled />,
  red: <CloseCircleFilled />,
};
const tagColor: Record<TrustColor, string> = { green: 'success', yellow: 'warning', red: 'error' };

/** The 安心码 colour with an icon and words: colour is never the only signal. */
export function TrustBadge({ color, reason }: { color: TrustColor; reason?: string }) {
  const t = useT();
  return (
    <Tag color={tagColor[color]} icon={colorIcon[color]} className="trust-badge">
      {t(colorKey[color])}
      {reason ? ` · ${t(`verify.reason.${reason}` as MessageKey)}` : ''}
    </Tag>
  );
}

/** One line per check: ok or why not. */
export function Checklist({ checks }: { checks: CheckResult[] }) {
  const t = useT();
  return (
    <ul className="cert-checklist" aria-label={t('cert.checks')}>
      {checks.map((c) => (
        <li key={c.key} className={c.ok ? 'check-ok' : 'check-no'}>
          {c.ok ? <CheckCircleFilled aria-hidden /> : <CloseCircleFilled aria-hidden />}{' '}
          {t(`cert.check.${c.key}` as MessageKey)}
          {c.ok ? '' : ` — ${t(`cert.checkState.${c.state}` as MessageKey) ?? c.state}`}
        </li>
      ))}
    </ul>
  );
}

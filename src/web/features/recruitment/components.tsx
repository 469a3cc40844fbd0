import { Card, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { districtByCode } from '../../../shared/districts';
import { labelOf, serviceCategories, skillLevels } from '../../../shared/domain';
import { type MessageKey, useLocale, useT } from '../../shared/i18n';
import type { ApplicationState, Post } from './recruitment.types';
import { formatAmount } from '../../shared/money';

export function useLabels() {
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  return {
    category: (c: string) => labelOf(serviceCategories, c, lang),
    level: (l: string | null) => (l ? labelOf(skillLevels, l, lang) : ''),
    district: (d: string | null) => (d ? (districtByCode.get(d)?.name ?? d) : ''),
    categoryOptions: serviceCategories.map((c) => ({ value: c.code, label: c[lang] })),
    levelOptions: skillLevels.map((l) => ({ value: l.code, label: l[lang] })),
    districtOptions: [...districtByCode.values()].map((d) => ({ value: d.code, label: d.name })),
  };
}

const stateColor: Record<ApplicationState, string> = {
  new: 'blue',
  shortlisted: 'cyan',
  interview: 'purple',
  offer: 'gold',
  hired: 'green',
  rejected: 'default',
  withdrawn: 'default',
  declined: 'default',
};

export function StateTag({ state }: { state: ApplicationState }) {
  const t = useT();
  return <Tag color={stateColor[state]}>{t(`recruitment.state.${state}` as MessageKey)}</Tag>;
}

/** The salary with its unit: per month for live-in and day work, per hour for hourly work. */
export function Salary({ post }: { post: Pick<Post, 'salaryMinFen' | 'salaryMaxFen' | 'mode'> }) {
  const t = useT();
  return (
    <span className="recruitment-salary">
      {t(post.mode === 'hourly' ? 'recruitment.salary.hour' : 'recruitment.salary.month', {
        min: formatAmount(post.salaryMinFen),
        max: formatAmount(post.salaryMaxFen),
      })}
    </span>
  );
}

/** One post as a card (phone-first), linking to its page. */
export function PostCard({ post, to }: { post: Post; to: string }) {
  const t = useT();
  const l = useLabels();
  return (
    <Card size="small" className="recruitment-card">
      <Link to={to} className="recruitment-card-title">
        {post.title}
      </Link>
      <div>
        <Salary post={post} />
      </div>
      <div className="recruitment-meta">
        {post.company.name} · {l.district(post.district)} · {t(`recruitment.mode.${post.mode}` as MessageKey)}{' '}
        · {l.category(post.category)}
      </div>
      <div>
        {post.benefits.map((b) => (
          <Tag key={b}>{t(`recruitment.benefit.${b}` as MessageKey)}</Tag>
        ))}
        {post.score !== undefined && <Tag color="green">{t('recruitment.match', { score: post.score })}</Tag>}
      </div>
    </Card>
  );
}

import { RightOutlined } from '@ant-design/icons';
import { Breadcrumb, Card, Result, Tag } from 'antd';
import { useLayoutEffect } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { OrgType } from '../../features/identity/identity.types';
import { useT } from '../../shared/i18n';
import { ButtonLink } from '../../shared/ui/ButtonLink';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { type Audience, type AudienceKey, type Section, sectionPath } from '../audiences';
import { useConsole } from '../layouts/ConsoleLayout';
import { sectionPages } from '../section-registry';
import { NotFoundPage } from './ResultPages';

const orgTypeOf: Partial<Record<AudienceKey, OrgType>> = {
  company: 'company',
  station: 'station',
  training: 'training',
  insurer: 'insurer',
  regulator: 'regulator',
};

/** A console's home: a welcome and one card per capability (marked 建设中 until its page is registered). */
export function ConsoleHome() {
  const t = useT();
  const { audience, me } = useConsole();
  useDocumentTitle(t(audience.title));
  const orgType = orgTypeOf[audience.key];
  const orgs = orgType ? me.memberships.filter((m) => m.orgType === orgType) : [];
  return (
    <div className="console-page">
      <section className="welcome" aria-labelledby="welcome-title">
        <div className="welcome-icon" aria-hidden>
          {audience.icon}
        </div>
        <div className="welcome-text">
          <h1 id="welcome-title">{t('console.welcome', { name: me.name })}</h1>
          <p>{t(audience.hint)}</p>
          <div className="welcome-tags">
            {me.roles.map((r) => (
              <Tag key={r} color="green" bordered={false}>
                {t(`roles.${r}` as const)}
              </Tag>
            ))}
            {orgs.map((o) => (
              <Tag key={o.orgId} bordered={false}>
                {o.orgName}
              </Tag>
            ))}
          </div>
        </div>
      </section>
      <h2 className="section-heading">{t('console.capabilities')}</h2>
      <ul className="capability-grid">
        {audience.sections.map((s) => (
          <li key={s.key}>
            <Link to={sectionPath(audience, s)} className="capability-link">
              <Card hoverable className="capability-card" size="small">
                <div className="capability-head">
                  <span className="capability-icon" aria-hidden>
                    {s.icon}
                  </span>
                  <span className="capability-title">{t(s.label)}</span>
                  {!s.to && !sectionPages[`${audience.key}/${s.key}`] && (
                    <Tag className="capability-tag" bordered={false}>
                      {t('console.comingSoon')}
                    </Tag>
                  )}
                  <RightOutlined className="capability-arrow" aria-hidden />
                </div>
                <p className="capability-desc">{t(s.desc)}</p>
              </Card>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A console section: its registered page (section-registry.tsx), else a plain "coming soon". */
export function SectionPage() {
  const t = useT();
  const { audience } = useConsole();
  const { section } = useParams();
  const s = audience.sections.find((x) => x.key === section);
  const Page = s ? sectionPages[`${audience.key}/${s.key}`] : undefined;
  const label = s ? t(s.label) : undefined;
  // A layout effect runs before the page's own effects, so the section name is only the default tab title.
  useLayoutEffect(() => {
    if (label) document.title = `${label} · ${t('app.name')}`;
  }, [label, t]);
  if (!s) return <NotFoundPage />;
  if (Page) return <Page />;
  return <ComingSoon audience={audience} section={s} />;
}

/** A capability whose pages are not built yet: says so plainly, and what it will do. */
function ComingSoon({ audience, section: s }: { audience: Audience; section: Section }) {
  const t = useT();
  return (
    <div className="console-page">
      <Breadcrumb
        className="crumbs"
        items={[{ title: <Link to={audience.path}>{t(audience.title)}</Link> }, { title: t(s.label) }]}
      />
      <Card className="coming-soon">
        <Result
          icon={<span className="coming-soon-icon">{s.icon}</span>}
          title={<h1 className="result-title">{t('console.comingSoonTitle', { section: t(s.label) })}</h1>}
          subTitle={t('console.comingSoonBody', { desc: t(s.desc) })}
          extra={
            <>
              <Tag color="gold" bordered={false} className="coming-soon-tag">
                {t('console.comingSoon')}
              </Tag>
              <ButtonLink to={audience.path} type="primary" size="large">
                {t('console.backToConsole')}
              </ButtonLink>
            </>
          }
        />
      </Card>
    </div>
  );
}

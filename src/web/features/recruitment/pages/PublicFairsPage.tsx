import { Button, Card, Empty, Tag } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ButtonLink } from '../../../shared/ui/ButtonLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { Salary, useLabels } from '../components';
import { usePublicFair, usePublicFairs } from '../recruitment.api';
import type { PublicFair } from '../recruitment.types';
import '../recruitment.css';

/** /jobs/fairs and /jobs/fairs/:id (public, phone-first): upcoming and running job fairs, signed out. */
export default function PublicFairsPage() {
  const { id } = useParams();
  return id ? <FairDetail id={id} /> : <FairList />;
}

function When({ fair }: { fair: PublicFair }) {
  const t = useT();
  const { locale } = useLocale();
  const l = useLabels();
  return (
    <p className="recruitment-meta">
      <Tag color={fair.phase === 'running' ? 'green' : 'blue'}>
        {t(`recruitment.fair.phase.${fair.phase}` as MessageKey)}
      </Tag>
      {formatDate(fair.startsAt, locale)} – {formatDate(fair.endsAt, locale)} ·{' '}
      {fair.venue ?? t('recruitment.fair.online')}
      {fair.district && ` · ${l.district(fair.district)}`}
    </p>
  );
}

function FairList() {
  const t = useT();
  useDocumentTitle(t('recruitment.public.title'));
  const fairs = usePublicFairs();
  const items = fairs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="recruitment-phone recruitment-public">
      <h1>{t('recruitment.public.title')}</h1>
      <p className="muted">{t('recruitment.public.intro')}</p>
      {fairs.isPending ? (
        <PageLoader />
      ) : fairs.error ? (
        <ErrorAlert error={fairs.error} />
      ) : items.length === 0 ? (
        <Empty description={t('recruitment.fairs.none')} />
      ) : (
        <ul className="recruitment-public-list">
          {items.map((f) => (
            <li key={f.id} data-testid="public-fair">
              <Card size="small">
                <h2 className="recruitment-public-title">
                  <Link to={`/jobs/fairs/${f.id}`}>{f.title}</Link>
                </h2>
                <When fair={f} />
                <p>
                  {t('recruitment.public.summary', {
                    companies: f.companies.length,
                    posts: f.companies.reduce((n, c) => n + c.posts.length, 0),
                  })}
                </p>
              </Card>
            </li>
          ))}
        </ul>
      )}
      {fairs.hasNextPage ? (
        <Button block onClick={() => fairs.fetchNextPage()} loading={fairs.isFetchingNextPage}>
          {t('recruitment.public.more')}
        </Button>
      ) : null}
    </div>
  );
}

function FairDetail({ id }: { id: string }) {
  const t = useT();
  const l = useLabels();
  const me = useMe();
  const fair = usePublicFair(id);
  useDocumentTitle(fair.data?.title ?? t('recruitment.public.title'));
  if (fair.isPending) return <PageLoader />;
  if (fair.error) return <ErrorAlert error={fair.error} />;
  const f = fair.data;
  const target = `/worker/jobs/fairs/${f.id}`;
  return (
    <div className="recruitment-phone recruitment-public">
      <Link to="/jobs/fairs">← {t('recruitment.public.all')}</Link>
      <h1>{f.title}</h1>
      <When fair={f} />
      {f.phase !== 'ended' && (
        <div className="recruitment-actions">
          <ButtonLink
            type="primary"
            size="large"
            block
            to={me.data ? target : `/login?next=${encodeURIComponent(target)}`}
            data-testid="public-fair-register"
          >
            {t(me.data ? 'recruitment.fair.register' : 'recruitment.public.signInToRegister')}
          </ButtonLink>
        </div>
      )}
      <h2>{t('recruitment.fair.companies', { n: f.companies.length })}</h2>
      {f.companies.length === 0 && <Empty description={t('recruitment.public.noCompanies')} />}
      {f.companies.map((c) => (
        <section key={c.id} className="recruitment-public-company" aria-label={c.name}>
          <h3>{c.name}</h3>
          {c.posts.length === 0 ? (
            <p className="muted">{t('recruitment.public.noPosts')}</p>
          ) : (
            <ul className="recruitment-public-list">
              {c.posts.map((p) => (
                <li key={p.id}>
                  <Card size="small" className="recruitment-card">
                    <h4 className="recruitment-public-post">{p.title}</h4>
                    <Salary post={p} />
                    <div className="recruitment-meta">
                      {l.district(p.district)} · {t(`recruitment.mode.${p.mode}` as MessageKey)} ·{' '}
                      {l.category(p.category)} · {t('recruitment.public.headcount', { n: p.headcount })}
                    </div>
                    <div>
                      {p.benefits.map((b) => (
                        <Tag key={b}>{t(`recruitment.benefit.${b}` as MessageKey)}</Tag>
                      ))}
                    </div>
                  </Card>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

import {
  BankOutlined,
  BookOutlined,
  CrownOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  HomeOutlined,
  IdcardOutlined,
  InsuranceOutlined,
  LineChartOutlined,
  PhoneOutlined,
  QrcodeOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  ShopOutlined,
} from '@ant-design/icons';
import { Button, Card, Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { labelOf, priceUnits, serviceCategories } from '../../../shared/domain';
import { homeFor } from '../../app/audiences';
import { type MessageKey, useLocale, useT } from '../../shared/i18n';
import { ButtonLink } from '../../shared/ui/ButtonLink';
import { formatDate } from '../../shared/ui/format';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { usePublicContent } from '../content/content.api';
import { contentCategories } from '../content/content.types';
import { useMe } from '../identity/identity.api';
import { useFiveAPreview, useGuidePrices, usePortalInfo, usePublicStats } from './portal.api';
import { categoryLabel } from './shared';
import './portal.css';
import { formatAmount } from '../../shared/money';

const audienceCards: { key: string; icon: ReactNode; title: MessageKey; body: MessageKey }[] = [
  {
    key: 'resident',
    icon: <HomeOutlined />,
    title: 'portal.aud.resident.title',
    body: 'portal.aud.resident.body',
  },
  {
    key: 'worker',
    icon: <IdcardOutlined />,
    title: 'portal.aud.worker.title',
    body: 'portal.aud.worker.body',
  },
  {
    key: 'company',
    icon: <ShopOutlined />,
    title: 'portal.aud.company.title',
    body: 'portal.aud.company.body',
  },
  {
    key: 'station',
    icon: <EnvironmentOutlined />,
    title: 'portal.aud.station.title',
    body: 'portal.aud.station.body',
  },
  {
    key: 'training',
    icon: <BookOutlined />,
    title: 'portal.aud.training.title',
    body: 'portal.aud.training.body',
  },
  {
    key: 'insurer',
    icon: <InsuranceOutlined />,
    title: 'portal.aud.insurer.title',
    body: 'portal.aud.insurer.body',
  },
  {
    key: 'regulator',
    icon: <BankOutlined />,
    title: 'portal.aud.regulator.title',
    body: 'portal.aud.regulator.body',
  },
];

const codeColours: { key: 'green' | 'yellow' | 'red'; label: MessageKey; desc: MessageKey }[] = [
  { key: 'green', label: 'portal.code.green', desc: 'portal.code.greenDesc' },
  { key: 'yellow', label: 'portal.code.yellow', desc: 'portal.code.yellowDesc' },
  { key: 'red', label: 'portal.code.red', desc: 'portal.code.redDesc' },
];

const steps = [1, 2, 3, 4, 5] as const;

function VerifyCard() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Card className="verify-card" id="verify" variant="borderless">
      <h2 className="verify-title">
        <QrcodeOutlined aria-hidden /> {t('portal.verify.title')}
      </h2>
      <p className="verify-body">{t('portal.verify.body')}</p>
      <Form
        name="verify"
        layout="vertical"
        requiredMark={false}
        size="large"
        // A scanned QR code opens the server's /v/<token> page; a typed number is looked up here.
        onFinish={(v: { certNo: string }) =>
          navigate(`/verify?number=${encodeURIComponent(v.certNo.trim())}`)
        }
      >
        <Form.Item label={t('portal.verify.inputLabel')} htmlFor="verify_certNo" required>
          <div className="verify-row">
            <Form.Item
              name="certNo"
              noStyle
              rules={[{ required: true, whitespace: true, message: t('portal.verify.required') }]}
            >
              <Input
                id="verify_certNo"
                placeholder={t('portal.verify.inputPlaceholder')}
                autoComplete="off"
                prefix={<SafetyCertificateOutlined aria-hidden />}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('portal.verify.submit')}
            </Button>
          </div>
        </Form.Item>
      </Form>
      <ul className="code-legend" aria-label={t('portal.code.title')}>
        {codeColours.map((c) => (
          <li key={c.key} className={`code-${c.key}`}>
            <span className="code-dot" aria-hidden />
            <strong>{t(c.label)}</strong>
            <span>{t(c.desc)}</span>
          </li>
        ))}
      </ul>
      <p className="credit-home-links">
        <Link to="/verify">{t('portal.verify.scan')}</Link> {'·'}
        <Link to="/credit/blacklist">{t('credit.home.lists')}</Link>
      </p>
    </Card>
  );
}

/** The search box: content titles here, and a way on to workers and companies (see docs/content.md). */
function SearchBox() {
  const t = useT();
  const navigate = useNavigate();
  return (
    // biome-ignore lint/a11y/useSemanticElements: React 18's JSX types have no <search> element
    <form
      className="portal-search"
      role="search"
      aria-label={t('portal.search.label')}
      onSubmit={(e) => {
        e.preventDefault();
        const q = String(new FormData(e.currentTarget).get('q') ?? '').trim();
        navigate(q ? `/news?q=${encodeURIComponent(q)}` : '/news');
      }}
    >
      <label htmlFor="portal-q" className="sr-only">
        {t('portal.search.label')}
      </label>
      <Input
        id="portal-q"
        name="q"
        size="large"
        maxLength={40}
        autoComplete="off"
        placeholder={t('portal.search.placeholder')}
        prefix={<SearchOutlined aria-hidden />}
      />
      <Button type="primary" size="large" htmlType="submit">
        {t('portal.search.submit')}
      </Button>
    </form>
  );
}

const entries: { to: string; icon: ReactNode; label: MessageKey; desc: MessageKey }[] = [
  {
    to: '/resident/find',
    icon: <EnvironmentOutlined />,
    label: 'portal.entry.map',
    desc: 'portal.entry.mapDesc',
  },
  { to: '/verify', icon: <QrcodeOutlined />, label: 'portal.entry.verify', desc: 'portal.entry.verifyDesc' },
  { to: '/credit/5a', icon: <CrownOutlined />, label: 'portal.entry.fiveA', desc: 'portal.entry.fiveADesc' },
  { to: '/wages', icon: <LineChartOutlined />, label: 'portal.entry.wages', desc: 'portal.entry.wagesDesc' },
  {
    to: '/jobs/fairs',
    icon: <IdcardOutlined />,
    label: 'portal.entry.fairs',
    desc: 'portal.entry.fairsDesc',
  },
  {
    to: '/news?category=policy',
    icon: <FileTextOutlined />,
    label: 'portal.entry.policy',
    desc: 'portal.entry.policyDesc',
  },
];

function Entries({ hotline }: { hotline: string | undefined }) {
  const t = useT();
  return (
    <nav className="portal-entries" aria-label={t('portal.entry.title')}>
      <ul>
        {entries.map((e) => (
          <li key={e.to}>
            <Link to={e.to} className="portal-entry">
              <span className="portal-entry-icon" aria-hidden>
                {e.icon}
              </span>
              <strong>{t(e.label)}</strong>
              <span>{t(e.desc)}</span>
            </Link>
          </li>
        ))}
        {hotline && (
          <li>
            <a href={`tel:${hotline}`} className="portal-entry portal-entry-hotline" data-testid="hotline">
              <span className="portal-entry-icon" aria-hidden>
                <PhoneOutlined />
              </span>
              <strong>{t('portal.entry.hotline', { phone: hotline })}</strong>
              <span>{t('portal.entry.hotlineDesc')}</span>
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

function Stats() {
  const t = useT();
  const { locale } = useLocale();
  const q = usePublicStats();
  if (!q.data) return null;
  const s = q.data;
  const n = (v: number) => v.toLocaleString(locale === 'en' ? 'en' : 'zh-CN');
  const figures: [MessageKey, string][] = [
    ['portal.stats.companies', n(s.companies)],
    ['portal.stats.companies5A', n(s.companies5A)],
    ['portal.stats.certifiedWorkers', n(s.certifiedWorkers)],
    ['portal.stats.trainedWorkers', n(s.trainedWorkers)],
    ['portal.stats.insuredWorkers', n(s.insuredWorkers)],
    ['portal.stats.ordersCompleted', n(s.ordersCompleted)],
  ];
  if (s.complaintsWithinSlaPct !== null)
    figures.push(['portal.stats.complaintsWithinSla', `${s.complaintsWithinSlaPct.toFixed(1)}%`]);
  return (
    <section className="portal-section portal-stats" aria-labelledby="stats-title" data-testid="portal-stats">
      <h2 id="stats-title">{t('portal.stats.title')}</h2>
      <dl>
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="portal-note">{t('portal.stats.asOf', { date: formatDate(s.asOf, locale) })}</p>
    </section>
  );
}

function LatestNews() {
  const t = useT();
  const { locale } = useLocale();
  const q = usePublicContent({ limit: 6 });
  const items = q.data?.pages[0]?.items ?? [];
  if (q.isError || (q.isSuccess && items.length === 0)) return null;
  return (
    <section className="portal-section" aria-labelledby="news-title">
      <div className="portal-section-head">
        <h2 id="news-title">{t('portal.news.title')}</h2>
        <Link to="/news">{t('portal.news.more')}</Link>
      </div>
      <ul className="portal-cats" aria-label={t('portal.news.categories')}>
        {contentCategories.map((c) => (
          <li key={c}>
            <Link to={`/news?category=${c}`}>{t(categoryLabel[c])}</Link>
          </li>
        ))}
      </ul>
      <ul className="news-list" data-testid="latest-news">
        {items.map((i) => (
          <li key={i.slug}>
            <Link to={`/news/${i.slug}`} className="news-title">
              {i.title}
            </Link>
            <span className="news-meta">
              <span className={`news-cat news-cat-${i.category}`}>{t(categoryLabel[i.category])}</span>
              <time dateTime={i.publishedAt}>{formatDate(i.publishedAt, locale)}</time>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function FiveA() {
  const t = useT();
  const q = useFiveAPreview();
  const items = q.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="portal-section" aria-labelledby="fivea-title">
      <div className="portal-section-head">
        <h2 id="fivea-title">{t('portal.fiveA.title')}</h2>
        <Link to="/credit/5a">{t('portal.fiveA.more')}</Link>
      </div>
      <ul className="fivea-list" data-testid="portal-5a">
        {items.map((c) => (
          <li key={c.companyId}>
            <span className="fivea-badge" aria-hidden>
              {'5A'}
            </span>
            <span>{c.name}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function GuidePrices() {
  const t = useT();
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const q = useGuidePrices();
  // The city-wide guide (district null) per category; district guides are on the catalog pages.
  const rows = (q.data?.items ?? []).filter((g) => g.district === null).slice(0, 8);
  if (rows.length === 0) return null;
  return (
    <section className="portal-section" aria-labelledby="guide-title">
      <div className="portal-section-head">
        <h2 id="guide-title">{t('portal.guide.title')}</h2>
        <Link to="/wages">{t('portal.guide.wages')}</Link>
      </div>
      <table className="guide-table" data-testid="guide-prices">
        <thead>
          <tr>
            <th scope="col">{t('portal.guide.category')}</th>
            <th scope="col">{t('portal.guide.range')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.id}>
              <td>{labelOf(serviceCategories, g.category, lang)}</td>
              <td>
                {t('portal.guide.price', {
                  min: formatAmount(g.minFen),
                  max: formatAmount(g.maxFen),
                  unit: labelOf(priceUnits, g.unit, lang),
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="portal-note">{t('portal.guide.note')}</p>
    </section>
  );
}

/** The public portal: search, entries (map, verification, 5A, wages, policies, hotline), news, figures, prices. */
export default function HomePage() {
  const t = useT();
  useDocumentTitle();
  const me = useMe();
  const info = usePortalInfo();
  const signedIn = me.data ? homeFor(me.data) : null;

  return (
    <div className="portal">
      <section className="hero" aria-labelledby="hero-title">
        <div className="hero-inner">
          <div className="hero-copy">
            <h1 id="hero-title">{t('portal.hero.title')}</h1>
            <p className="hero-subtitle">{t('portal.hero.subtitle')}</p>
            <SearchBox />
            <div className="hero-actions">
              {signedIn ? (
                <ButtonLink to={signedIn} type="primary" size="large">
                  {t('portal.hero.goConsole')}
                </ButtonLink>
              ) : (
                <>
                  <ButtonLink to="/resident/find" type="primary" size="large">
                    {t('portal.hero.findWorker')}
                  </ButtonLink>
                  <ButtonLink to="/register" size="large" className="hero-secondary">
                    {t('portal.hero.joinAsWorker')}
                  </ButtonLink>
                </>
              )}
            </div>
          </div>
          <VerifyCard />
        </div>
      </section>

      <Entries hotline={info.data?.complaintHotline} />
      <LatestNews />
      <Stats />
      <FiveA />
      <GuidePrices />

      <section className="portal-section" aria-labelledby="steps-title">
        <h2 id="steps-title">{t('portal.steps.title')}</h2>
        <ol className="steps-list">
          {steps.map((n) => (
            <li key={n}>
              <span className="step-no" aria-hidden>
                {n}
              </span>
              <h3>{t(`portal.steps.${n}.title`)}</h3>
              <p>{t(`portal.steps.${n}.body`)}</p>
            </li>
          ))}
        </ol>
      </section>

      <section className="portal-section" aria-labelledby="audiences-title">
        <h2 id="audiences-title">{t('portal.audiences.title')}</h2>
        <ul className="audience-grid">
          {audienceCards.map((a) => (
            <li key={a.key}>
              <Card className="audience-card" variant="borderless">
                <span className={`audience-icon audience-${a.key}`} aria-hidden>
                  {a.icon}
                </span>
                <h3>{t(a.title)}</h3>
                <p>{t(a.body)}</p>
              </Card>
            </li>
          ))}
        </ul>
      </section>

      {!signedIn && (
        <section className="portal-cta" aria-labelledby="cta-title">
          <h2 id="cta-title">{t('portal.cta.title')}</h2>
          <p>{t('portal.cta.body')}</p>
          <div className="hero-actions">
            <ButtonLink to="/register" type="primary" size="large">
              {t('nav.register')}
            </ButtonLink>
            <ButtonLink to="/login" size="large" ghost>
              {t('nav.login')}
            </ButtonLink>
          </div>
        </section>
      )}
    </div>
  );
}

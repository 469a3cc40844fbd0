import {
  BankOutlined,
  BookOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  IdcardOutlined,
  InsuranceOutlined,
  QrcodeOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
} from '@ant-design/icons';
import { Button, Card, Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { homeFor } from '../../app/audiences';
import { type MessageKey, useT } from '../../shared/i18n';
import { ButtonLink } from '../../shared/ui/ButtonLink';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { useMe } from '../identity/identity.api';

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
        <Link to="/credit/5a">{t('credit.home.fiveA')}</Link> {'·'}
        <Link to="/credit/blacklist">{t('credit.home.lists')}</Link>
      </p>
    </Card>
  );
}

/** The public portal: what Anxin is, for whom, and the certificate check. */
export default function HomePage() {
  const t = useT();
  useDocumentTitle();
  const me = useMe();
  const signedIn = me.data ? homeFor(me.data) : null;

  return (
    <div className="portal">
      <section className="hero" aria-labelledby="hero-title">
        <div className="hero-inner">
          <div className="hero-copy">
            <h1 id="hero-title">{t('portal.hero.title')}</h1>
            <p className="hero-subtitle">{t('portal.hero.subtitle')}</p>
            <div className="hero-actions">
              {signedIn ? (
                <ButtonLink to={signedIn} type="primary" size="large">
                  {t('portal.hero.goConsole')}
                </ButtonLink>
              ) : (
                <>
                  <ButtonLink to="/register" type="primary" size="large">
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

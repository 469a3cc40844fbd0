import {
  CheckCircleFilled,
  CloseCircleFilled,
  ExclamationCircleFilled,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { Button, Card, Descriptions, Form, Input, Rate, Spin, Tag } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import { isApiError } from '../../../shared/api';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useVerifyCertificate } from '../certification.api';
import { serviceCategories, skillLevels, type TrustColor } from '../certification.shared';
import type { PublicVerification } from '../certification.types';

const colorLabel: Record<TrustColor, MessageKey> = {
  green: 'portal.code.green',
  yellow: 'portal.code.yellow',
  red: 'portal.code.red',
};
const colorIcon: Record<TrustColor, ReactNode> = {
  green: <CheckCircleFilled />,
  yellow: <ExclamationCircleFilled />,
  red: <CloseCircleFilled />,
};
const reasonKeys = new Set<string>([
  'ok',
  'revoked',
  'suspended',
  'background_risk',
  'not_certified',
  'certificate_expired',
  'health_expired',
  'incomplete',
]);

function Passed({ ok, extra }: { ok: boolean; extra?: string }) {
  const t = useT();
  return (
    <span className={ok ? 'check-ok' : 'check-no'}>
      {ok ? <CheckCircleFilled aria-hidden /> : <CloseCircleFilled aria-hidden />}{' '}
      {ok ? t('verify.passed') : t('verify.notPassed')}
      {extra ? <span className="muted"> · {extra}</span> : null}
    </span>
  );
}

function Result({ v }: { v: PublicVerification }) {
  const t = useT();
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  // The server labels in Chinese; English comes from the shared vocabulary by code.
  const categoryLabel = (c: { code: string; label: string }) =>
    lang === 'en' ? (serviceCategories.find((x) => x.code === c.code)?.en ?? c.label) : c.label;
  const skill = v.skillLevel
    ? lang === 'en'
      ? (skillLevels.find((x) => x.code === v.skillLevel?.code)?.en ?? v.skillLevel.label)
      : v.skillLevel.label
    : t('verify.none');
  const reason = reasonKeys.has(v.reason) ? t(`verify.reason.${v.reason}` as MessageKey) : v.reasonLabel;

  return (
    <Card className={`verify-result verify-${v.color}`} variant="borderless">
      <div className="verify-banner" role="status">
        <span className="verify-banner-icon" aria-hidden>
          {colorIcon[v.color]}
        </span>
        <div>
          <strong className="verify-banner-colour">{t(colorLabel[v.color])}</strong>
          <span className="verify-banner-reason">{reason}</span>
        </div>
      </div>
      <Descriptions
        column={1}
        size="small"
        colon={false}
        className="verify-facts"
        items={[
          {
            key: 'number',
            label: t('verify.field.number'),
            children: <span className="mono">{v.number}</span>,
          },
          { key: 'name', label: t('verify.field.name'), children: v.maskedName },
          {
            key: 'state',
            label: t('verify.field.state'),
            children: t(`verify.state.${v.state}` as const),
          },
          {
            key: 'categories',
            label: t('verify.field.categories'),
            children: (
              <span className="tag-list">
                {v.categories.map((c) => (
                  <Tag key={c.code} bordered={false} color="green">
                    {categoryLabel(c)}
                  </Tag>
                ))}
              </span>
            ),
          },
          { key: 'skill', label: t('verify.field.skill'), children: skill },
          {
            key: 'company',
            label: t('verify.field.company'),
            children: v.company ? (
              <>
                {v.company.name}
                {v.company.creditGrade ? (
                  <Tag bordered={false} className="grade-tag">
                    {t('verify.credit', { grade: v.company.creditGrade })}
                  </Tag>
                ) : null}
              </>
            ) : (
              t('verify.none')
            ),
          },
          {
            key: 'validity',
            label: t('verify.field.validity'),
            children: `${formatDate(v.validFrom, locale)} – ${formatDate(v.validUntil, locale)}`,
          },
          {
            key: 'health',
            label: t('verify.field.health'),
            children: v.healthValidUntil ? formatDate(v.healthValidUntil, locale) : t('verify.none'),
          },
          { key: 'training', label: t('verify.field.training'), children: <Passed ok={v.trainingPassed} /> },
          {
            key: 'background',
            label: t('verify.field.background'),
            children: (
              <Passed
                ok={v.backgroundPassed}
                extra={
                  v.backgroundCheckedOn
                    ? t('verify.checkedOn', { date: formatDate(v.backgroundCheckedOn, locale) })
                    : undefined
                }
              />
            ),
          },
          { key: 'insurance', label: t('verify.field.insurance'), children: v.insurance.label },
          {
            key: 'creditStars',
            label: t('credit.verify.stars'),
            children: v.creditStars ? (
              <span data-testid="credit-stars">
                <Rate disabled count={5} value={v.creditStars} /> {t('credit.stars', { n: v.creditStars })}
              </span>
            ) : (
              t('credit.notRated')
            ),
          },
        ]}
      />
      <p className="muted small verify-disclaimer">{t('verify.disclaimer')}</p>
    </Card>
  );
}

/** Public check of a certificate by the number printed on it (the QR code opens the server's /v/ page). */
export default function VerifyPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('verify.title'));
  const [params, setParams] = useSearchParams();
  const number = params.get('number')?.trim() || null;
  const [form] = Form.useForm<{ number: string }>();
  const query = useVerifyCertificate(number);

  useEffect(() => {
    form.setFieldValue('number', number ?? '');
  }, [form, number]);

  // A malformed number belongs under the input; "not found" and the rest go in an alert.
  const error = query.error;
  const fieldError =
    isApiError(error) && (error.code === 'CERT_NUMBER_INVALID' || error.code === 'VALIDATION_FAILED')
      ? error.localized(locale)
      : null;
  const notFound = isApiError(error) && error.status === 404;

  return (
    <div className="verify-page">
      <Card className="verify-card verify-lookup" variant="borderless">
        <h1 className="verify-title">
          <SafetyCertificateOutlined aria-hidden /> {t('verify.title')}
        </h1>
        <p className="verify-body">{t('verify.subtitle')}</p>
        <Form
          form={form}
          name="verify-lookup"
          layout="vertical"
          requiredMark={false}
          size="large"
          onFinish={(v) => setParams({ number: v.number.trim() })}
        >
          <Form.Item
            label={t('portal.verify.inputLabel')}
            htmlFor="verify-lookup_number"
            required
            validateStatus={fieldError ? 'error' : undefined}
            help={fieldError ?? undefined}
          >
            <div className="verify-row">
              <Form.Item
                name="number"
                noStyle
                rules={[{ required: true, whitespace: true, message: t('portal.verify.required') }]}
              >
                <Input
                  id="verify-lookup_number"
                  placeholder={t('verify.placeholder')}
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={query.isFetching}>
                {t('portal.verify.submit')}
              </Button>
            </div>
          </Form.Item>
        </Form>
      </Card>
      {query.isPending && query.isFetching ? (
        <div className="page-loader">
          <Spin />
        </div>
      ) : null}
      {notFound ? (
        <ErrorAlert error={new Error(t('verify.notFound'))} className="verify-alert" />
      ) : error && !fieldError ? (
        <ErrorAlert error={error} className="verify-alert" />
      ) : null}
      {query.data ? <Result v={query.data} /> : null}
    </div>
  );
}

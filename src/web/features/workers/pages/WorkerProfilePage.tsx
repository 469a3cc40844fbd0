import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Result,
  Select,
  Space,
  Steps,
  Typography,
} from 'antd';
import { useState } from 'react';
import { districtByCode } from '../../../../shared/districts';
import { ageOn, parseIdCard } from '../../../../shared/validators';
import { isApiError } from '../../../shared/api';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { StateTag, useLabels } from '../labels';
import {
  useAcceptConsent,
  useConsentText,
  useMyWorker,
  useRegisterSelf,
  useUpdateMe,
  useWithdrawConsent,
} from '../workers.api';
import type { WorkerView } from '../workers.types';

const ID_REASON_KEYS = {
  format: 'wk.id.format',
  region: 'wk.id.region',
  birthdate: 'wk.id.birthdate',
  checksum: 'wk.id.checksum',
  under_16: 'wk.id.under16',
} as const;

/** Client-side GB 11643 check; the server checks again. Returns the reason key or null. */
export function idProblem(value: string): (typeof ID_REASON_KEYS)[keyof typeof ID_REASON_KEYS] | null {
  const parsed = parseIdCard(value);
  if (!parsed.ok) return ID_REASON_KEYS[parsed.reason];
  if (ageOn(parsed.value.birthDate, new Date()) < 16) return ID_REASON_KEYS.under_16;
  return null;
}

/**
 * The worker's approximate service base, used only to compute distances in search (stored rounded to ~100 m and
 * never shown). Set from the phone's location or the district's centre.
 */
function ServiceBase({ w }: { w: WorkerView }) {
  const t = useT();
  const update = useUpdateMe();
  const [geoError, setGeoError] = useState(false);
  const set = (baseLon: number | null, baseLat: number | null) => update.mutate({ baseLon, baseLat });
  const centre = w.district ? districtByCode.get(w.district) : undefined;
  const fromPhone = () => {
    setGeoError(false);
    if (!navigator.geolocation) return setGeoError(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => set(pos.coords.longitude, pos.coords.latitude),
      () => setGeoError(true),
      { enableHighAccuracy: false, timeout: 10_000 },
    );
  };
  return (
    <Card title={t('wk.base.title')} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('wk.base.hint')}</Typography.Paragraph>
      <Typography.Paragraph>{w.baseLon != null ? t('wk.base.set') : t('wk.base.unset')}</Typography.Paragraph>
      <Space wrap>
        <Button type="primary" onClick={fromPhone} loading={update.isPending} style={{ minHeight: 44 }}>
          {t('wk.base.usePhone')}
        </Button>
        {centre && (
          <Button
            onClick={() => set(centre.lon, centre.lat)}
            disabled={update.isPending}
            style={{ minHeight: 44 }}
          >
            {t('wk.base.useDistrict')}
          </Button>
        )}
        {w.baseLon != null && (
          <Button onClick={() => set(null, null)} disabled={update.isPending} style={{ minHeight: 44 }}>
            {t('wk.base.clear')}
          </Button>
        )}
      </Space>
      {geoError && (
        <Alert type="warning" showIcon message={t('wk.base.geoFailed')} style={{ marginTop: 12 }} />
      )}
      {update.error && <ErrorAlert error={update.error} />}
    </Card>
  );
}

/** The data-authorisation letter: withdraw it (PIPL Art 15) or accept it again. */
function ConsentCard({ w }: { w: WorkerView }) {
  const t = useT();
  const { modal } = App.useApp();
  const consentText = useConsentText();
  const withdraw = useWithdrawConsent();
  const accept = useAcceptConsent();
  const active = !!w.consentAcceptedAt;
  const confirmWithdraw = () =>
    modal.confirm({
      title: t('wk.consent.withdrawTitle'),
      content: t('wk.consent.withdrawWarning'),
      okText: t('wk.consent.withdraw'),
      okButtonProps: { danger: true },
      cancelText: t('wk.consent.keep'),
      onOk: () => withdraw.mutateAsync(),
    });
  return (
    <Card title={t('wk.consent.title')} style={{ marginTop: 16 }}>
      <Typography.Paragraph>
        {active
          ? t('wk.consent.active', { at: w.consentAcceptedAt!.slice(0, 10) })
          : t('wk.consent.withdrawn')}
      </Typography.Paragraph>
      {active ? (
        <Button danger onClick={confirmWithdraw} style={{ minHeight: 44 }}>
          {t('wk.consent.withdraw')}
        </Button>
      ) : (
        <Button
          type="primary"
          loading={accept.isPending}
          disabled={!consentText.data}
          onClick={() => accept.mutate({ version: consentText.data!.version, accepted: true })}
          style={{ minHeight: 44 }}
        >
          {t('wk.consent.acceptAgain')}
        </Button>
      )}
      {(withdraw.error || accept.error) && <ErrorAlert error={withdraw.error ?? accept.error} />}
    </Card>
  );
}

function Profile({ w }: { w: WorkerView }) {
  return (
    <>
      <ProfileFacts w={w} />
      <ServiceBase w={w} />
      <ConsentCard w={w} />
    </>
  );
}

function ProfileFacts({ w }: { w: WorkerView }) {
  const t = useT();
  const l = useLabels();
  return (
    <Card title={t('wk.profile.title')}>
      <Descriptions column={{ xs: 1, sm: 2 }} size="small">
        <Descriptions.Item label={t('wk.field.name')}>{w.name}</Descriptions.Item>
        <Descriptions.Item label={t('wk.field.idNumber')}>{w.idNumber}</Descriptions.Item>
        <Descriptions.Item label={t('wk.field.birthDate')}>{w.birthDate ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('wk.field.district')}>{l.district(w.district)}</Descriptions.Item>
        <Descriptions.Item label={t('wk.field.categories')}>
          {w.categories.map(l.category).join(t('common.listSep'))}
        </Descriptions.Item>
        <Descriptions.Item label={t('wk.field.skillLevel')}>{l.skill(w.skillLevel)}</Descriptions.Item>
        <Descriptions.Item label={t('wk.field.status')}>
          <StateTag state={w.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('wk.check.identity')}>
          <StateTag state={w.identityVerified ? 'approved' : 'pending'} />
        </Descriptions.Item>
        <Descriptions.Item label={t('wk.check.health')}>
          <StateTag state={w.health.state} /> {w.health.validUntil ?? ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('wk.check.skill')}>
          <StateTag state={w.skillCert.state} />
        </Descriptions.Item>
        <Descriptions.Item label={t('wk.check.training')}>
          <StateTag state={w.training.state} /> {w.training.passedOn ?? ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('wk.check.background')}>
          <StateTag state={w.background.detail?.state ?? 'missing'} /> {w.background.detail?.checkedOn ?? ''}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** The worker's record, or the registration wizard: consent letter → identity → skills → done. */
export default function WorkerProfilePage() {
  const t = useT();
  const { locale } = useLocale();
  const l = useLabels();
  const me = useMyWorker();
  const consentText = useConsentText();
  const register = useRegisterSelf();
  const [step, setStep] = useState(0);
  const [agreed, setAgreed] = useState(false);
  const [form] = Form.useForm();
  const categories: string[] = Form.useWatch('categories', form) ?? [];

  if (me.isLoading) return <PageLoader />;
  if (me.data && step !== 3) return <Profile w={me.data} />;
  const notRegistered = isApiError(me.error) && (me.error.status === 404 || me.error.status === 403);
  if (me.error && !notRegistered) return <ErrorAlert error={me.error} />;

  const submit = async () => {
    const values = await form.validateFields();
    try {
      await register.mutateAsync({
        ...values,
        maternityStars: values.categories?.includes('maternity') ? (values.maternityStars ?? null) : null,
        consent: { version: consentText.data?.version ?? '', accepted: true },
      });
      setStep(3);
    } catch (e) {
      if (!applyFieldErrors(form, e, locale)) setStep((s) => s);
    }
  };

  return (
    <Card title={t('wk.wizard.title')}>
      <Steps
        current={step}
        size="small"
        responsive
        items={[
          { title: t('wk.wizard.consent') },
          { title: t('wk.wizard.identity') },
          { title: t('wk.wizard.skills') },
          { title: t('wk.wizard.done') },
        ]}
        style={{ marginBottom: 24 }}
      />
      <Form form={form} layout="vertical" preserve>
        {step === 0 && (
          <Space direction="vertical" style={{ width: '100%' }}>
            {consentText.error ? <ErrorAlert error={consentText.error} /> : null}
            <Typography.Title level={5}>{consentText.data?.title}</Typography.Title>
            {/* The consent text scrolls inside its box: focusable and named, so keyboard users can scroll it too. */}
            <section
              aria-label={consentText.data?.title}
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard (WCAG 2.1.1)
              tabIndex={0}
              style={{
                maxHeight: 360,
                overflow: 'auto',
                whiteSpace: 'pre-wrap',
                border: '1px solid #eee',
                padding: 12,
              }}
            >
              {consentText.data?.text}
            </section>
            <Typography.Text type="secondary">
              {t('wk.consent.version', { version: consentText.data?.version ?? '' })}
            </Typography.Text>
            <Checkbox checked={agreed} onChange={(e) => setAgreed(e.target.checked)}>
              {t('wk.consent.agree')}
            </Checkbox>
            <Button type="primary" block disabled={!agreed || !consentText.data} onClick={() => setStep(1)}>
              {t('wk.next')}
            </Button>
          </Space>
        )}
        <div style={{ display: step === 1 ? 'block' : 'none' }}>
          <Form.Item name="name" label={t('wk.field.name')} rules={[{ required: true, min: 2, max: 30 }]}>
            <Input autoComplete="name" />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label={t('wk.field.idNumber')}
            rules={[
              { required: true },
              {
                validator: async (_r, v: string) => {
                  const p = v ? idProblem(v) : null;
                  if (p) throw new Error(t(p));
                },
              },
            ]}
          >
            <Input maxLength={18} inputMode="text" autoComplete="off" />
          </Form.Item>
          <Form.Item name="district" label={t('wk.field.district')} rules={[{ required: true }]}>
            <Select options={l.districtOptions} />
          </Form.Item>
          <Form.Item name="nativePlace" label={t('wk.field.nativePlace')}>
            <Input maxLength={60} />
          </Form.Item>
          <Space>
            <Button onClick={() => setStep(0)}>{t('wk.back')}</Button>
            <Button
              type="primary"
              onClick={async () => {
                await form.validateFields(['name', 'idNumber', 'district']);
                setStep(2);
              }}
            >
              {t('wk.next')}
            </Button>
          </Space>
        </div>
        <div style={{ display: step === 2 ? 'block' : 'none' }}>
          <Form.Item name="categories" label={t('wk.field.categories')} rules={[{ required: step === 2 }]}>
            <Select mode="multiple" options={l.categoryOptions} />
          </Form.Item>
          <Form.Item name="skillLevel" label={t('wk.field.skillLevel')}>
            <Select allowClear options={l.skillOptions} />
          </Form.Item>
          {categories.includes('maternity') && (
            <Form.Item name="maternityStars" label={t('wk.field.maternityStars')}>
              <InputNumber min={0} max={5} />
            </Form.Item>
          )}
          <Form.Item name="yearsExperience" label={t('wk.field.years')}>
            <InputNumber min={0} max={60} />
          </Form.Item>
          <Form.Item name="intro" label={t('wk.field.intro')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          {register.error ? <ErrorAlert error={register.error} /> : null}
          <Space style={{ marginTop: 12 }}>
            <Button onClick={() => setStep(1)}>{t('wk.back')}</Button>
            <Button type="primary" loading={register.isPending} onClick={submit}>
              {t('wk.submit')}
            </Button>
          </Space>
        </div>
      </Form>
      {step === 3 && (
        <Result
          status="success"
          title={t('wk.wizard.doneTitle')}
          subTitle={t('wk.wizard.doneHint')}
          extra={
            <Button type="primary" href="/worker/documents">
              {t('wk.wizard.toDocuments')}
            </Button>
          }
        />
      )}
      {step === 3 && me.data ? <Alert type="info" message={me.data.name} /> : null}
    </Card>
  );
}

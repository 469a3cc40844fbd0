import { App, Button, Card, DatePicker, Empty, Form, List, Select } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ClaimForm, ClaimList, ClaimView, PolicyStateTag, shanghaiDay } from '../components';
import {
  certificateUrl,
  newIdempotencyKey,
  useClaims,
  useEnrolSelf,
  usePolicies,
  useProducts,
} from '../insurance.api';
import { useMoney } from '../../../shared/money';

/** /worker/insurance (phone-first): my cover, enrol myself, my claims and a new claim. */
export default function WorkerInsuranceSection() {
  return (
    <Routes>
      <Route index element={<Mine />} />
      <Route path="claim" element={<NewClaim />} />
      <Route path="claims/:id" element={<One />} />
    </Routes>
  );
}

function One() {
  const { id = '' } = useParams();
  return (
    <div className="insurance-page insurance-phone">
      <ClaimView id={id} backTo="/worker/insurance" />
    </div>
  );
}

function NewClaim() {
  const t = useT();
  const policies = usePolicies({ kind: 'me' });
  const navigate = useNavigate();
  return (
    <div className="insurance-page insurance-phone">
      <BackLink to="/worker/insurance">← {t('insurance.back')}</BackLink>
      <h1>{t('insurance.claim.new')}</h1>
      {policies.isPending ? (
        <PageLoader />
      ) : (
        <ClaimForm
          policies={policies.data?.items ?? []}
          onFiled={(id) => navigate(`/worker/insurance/claims/${id}`)}
        />
      )}
    </div>
  );
}

function Mine() {
  const t = useT();
  const money = useMoney();
  useDocumentTitle(t('sec.worker.insurance'));
  const policies = usePolicies({ kind: 'me' });
  const claims = useClaims({ kind: 'mine' });
  const today = shanghaiDay(new Date());
  const current = policies.data?.items.find(
    (p) => p.state === 'active' && p.startsOn <= today && p.endsOn >= today,
  );
  return (
    <div className="insurance-page insurance-phone">
      <h1>{t('sec.worker.insurance')}</h1>
      <Card size="small">
        <div className="insurance-cover" data-testid="cover">
          {current
            ? t('insurance.worker.insuredUntil', { date: current.endsOn })
            : t('insurance.worker.notInsured')}
        </div>
      </Card>
      <h2>{t('insurance.policies.title')}</h2>
      {policies.isPending ? (
        <PageLoader />
      ) : policies.isError ? (
        <ErrorAlert error={policies.error} />
      ) : policies.data.items.length === 0 ? (
        <Empty description={t('insurance.policies.none')} />
      ) : (
        <List
          dataSource={policies.data.items}
          renderItem={(p) => (
            <List.Item
              actions={
                p.state === 'active' || p.state === 'expired'
                  ? [
                      <a key="c" href={certificateUrl(p.id)} target="_blank" rel="noreferrer">
                        {t('insurance.certificate')}
                      </a>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <>
                    {p.product.title} <PolicyStateTag state={p.state} />
                  </>
                }
                description={`${p.number} · ${p.startsOn} ~ ${p.endsOn} · ${t('insurance.workerShare')} ${money(p.workerFen)}`}
              />
            </List.Item>
          )}
        />
      )}
      <EnrolSelf />
      <h2>{t('insurance.claims.title')}</h2>
      <Link to="/worker/insurance/claim">
        <Button type="primary" block>
          {t('insurance.claim.new')}
        </Button>
      </Link>
      {claims.data && (
        <ClaimList claims={claims.data.items} linkTo={(c) => `/worker/insurance/claims/${c.id}`} />
      )}
    </div>
  );
}

function EnrolSelf() {
  const t = useT();
  const money = useMoney();
  const products = useProducts(null);
  const enrol = useEnrolSelf();
  const [key, setKey] = useState(newIdempotencyKey);
  const { message } = App.useApp();
  return (
    <Card size="small" title={t('insurance.worker.enrolSelf')} style={{ margin: '16px 0' }}>
      <Form
        layout="vertical"
        initialValues={{ startsOn: dayjs() }}
        onFinish={async (v: { productId: string; startsOn: dayjs.Dayjs }) => {
          await enrol.mutateAsync({
            key,
            body: { productId: v.productId, startsOn: v.startsOn.format('YYYY-MM-DD') },
          });
          setKey(newIdempotencyKey());
          void message.success(t('insurance.enrol.done', { n: 1 }));
        }}
      >
        <Form.Item name="productId" label={t('insurance.policy.product')} rules={[{ required: true }]}>
          <Select
            options={(products.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${p.title} ${money(p.premiumFen)}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="startsOn" label={t('insurance.enrol.startsOn')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {enrol.isError && <ErrorAlert error={enrol.error} />}
        <Button htmlType="submit" block loading={enrol.isPending}>
          {t('insurance.enrol.submit')}
        </Button>
      </Form>
    </Card>
  );
}

import { App, Button, Card, DatePicker, Form, InputNumber, Select, Tabs } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { useCompanyWorkers } from '../../workers/workers.api';
import { ClaimForm, ClaimTable, ClaimView, PolicyTable } from '../components';
import { newIdempotencyKey, useClaims, useEnrolStaff, usePolicies, useProducts } from '../insurance.api';
import { useMoney } from '../../../shared/money';

/** /company/insurance: enrol staff, their policies, and claims. */
export default function CompanyInsuranceSection() {
  return (
    <Routes>
      <Route index element={<Overview />} />
      <Route path="claims/:id" element={<One />} />
    </Routes>
  );
}

function One() {
  const { id = '' } = useParams();
  return (
    <div className="console-page insurance-page">
      <ClaimView id={id} backTo="/company/insurance" />
    </div>
  );
}

function useCompanyId() {
  const me = useMe().data;
  return me?.memberships.find((m) => m.orgType === 'company')?.orgId;
}

function Overview() {
  const t = useT();
  useDocumentTitle(t('sec.company.insurance'));
  const orgId = useCompanyId();
  const policies = usePolicies({ kind: 'company', orgId });
  const claims = useClaims({ kind: 'company', orgId });
  const navigate = useNavigate();
  const [tab, setTab] = useState('enrol');
  if (!orgId) return null;
  return (
    <div className="console-page insurance-page">
      <h1>{t('sec.company.insurance')}</h1>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'enrol',
            label: t('insurance.enrol.title'),
            children: <EnrolForm orgId={orgId} onDone={() => setTab('policies')} />,
          },
          {
            key: 'policies',
            label: t('insurance.policies.title'),
            children: policies.isPending ? (
              <PageLoader />
            ) : policies.isError ? (
              <ErrorAlert error={policies.error} />
            ) : (
              <PolicyTable policies={policies.data.items} showCompany={false} />
            ),
          },
          {
            key: 'claims',
            label: t('insurance.claims.title'),
            children: (
              <>
                {claims.data && (
                  <ClaimTable
                    claims={claims.data.items}
                    linkTo={(c) => `/company/insurance/claims/${c.id}`}
                  />
                )}
                <Card size="small" title={t('insurance.claim.new')} style={{ maxWidth: 560, marginTop: 16 }}>
                  <ClaimForm
                    policies={policies.data?.items ?? []}
                    onFiled={(id) => navigate(`/company/insurance/claims/${id}`)}
                  />
                </Card>
              </>
            ),
          },
        ]}
      />
    </div>
  );
}

function EnrolForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const t = useT();
  const money = useMoney();
  const products = useProducts(null);
  const staff = useCompanyWorkers(orgId);
  const enrol = useEnrolStaff(orgId);
  const [key, setKey] = useState(newIdempotencyKey);
  const [productId, setProductId] = useState<string | undefined>();
  const [companyPct, setCompanyPct] = useState<number>(100);
  const { message } = App.useApp();
  const product = products.data?.items.find((p) => p.id === productId);
  // The preview uses the server's rule (docs/insurance.md): subsidy rounded down and capped; the server decides.
  const subsidy = product
    ? Math.min(Math.floor((product.premiumFen * product.subsidyShareBp) / 10_000), product.subsidyCapFen)
    : 0;
  const rest = product ? product.premiumFen - subsidy : 0;
  const companyFen = Math.floor((rest * companyPct) / 100);
  return (
    <Card size="small" style={{ maxWidth: 640 }}>
      <Form
        layout="vertical"
        initialValues={{ startsOn: dayjs() }}
        onFinish={async (v: { productId: string; startsOn: dayjs.Dayjs; workerIds: string[] }) => {
          const r = await enrol.mutateAsync({
            key,
            body: {
              productId: v.productId,
              startsOn: v.startsOn.format('YYYY-MM-DD'),
              workerIds: v.workerIds,
              split: companyPct === 100 ? null : { companyFen, workerFen: rest - companyFen },
            },
          });
          setKey(newIdempotencyKey());
          void message.success(t('insurance.enrol.done', { n: r.policies.length }));
          onDone();
        }}
      >
        <Form.Item name="productId" label={t('insurance.policy.product')} rules={[{ required: true }]}>
          <Select
            onChange={(v: string) => setProductId(v)}
            options={(products.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${t('common.withNote', { text: p.title, note: p.insurer.name })} ${money(p.premiumFen)}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="startsOn" label={t('insurance.enrol.startsOn')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="workerIds" label={t('insurance.enrol.workers')} rules={[{ required: true }]}>
          <Select
            mode="multiple"
            loading={staff.isPending}
            optionFilterProp="label"
            options={(staff.data?.items ?? []).map((w) => ({ value: w.id, label: w.name }))}
          />
        </Form.Item>
        <Form.Item label={t('insurance.enrol.companyPct')}>
          <InputNumber
            aria-label={t('insurance.enrol.companyPct')}
            min={0}
            max={100}
            value={companyPct}
            onChange={(v) => setCompanyPct(v ?? 100)}
            addonAfter="%"
          />
        </Form.Item>
        {product && (
          <p data-testid="split-preview">
            {t('insurance.enrol.preview', {
              premium: money(product.premiumFen),
              subsidy: money(subsidy),
              company: money(companyFen),
              worker: money(rest - companyFen),
            })}
          </p>
        )}
        {enrol.isError && <ErrorAlert error={enrol.error} />}
        <Button type="primary" htmlType="submit" loading={enrol.isPending}>
          {t('insurance.enrol.submit')}
        </Button>
      </Form>
    </Card>
  );
}

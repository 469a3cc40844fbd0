import { App, Button, Card, Select, Space } from 'antd';
import { useRef, useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../identity/identity.api';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ContractDetailView } from '../ContractDetailView';
import { ContractList } from '../ContractList';
import { useCompanyContracts, useCreateContract, useReadyOrders } from '../contracts.api';

/** /company/contracts: the company's contracts, drafting one from an accepted long-term order, a contract's page. */
export default function CompanyContractsSection() {
  return (
    <Routes>
      <Route index element={<CompanyContracts />} />
      <Route path=":id" element={<One />} />
    </Routes>
  );
}

function useCompanyId() {
  return useMe().data?.memberships.find((m) => m.orgType === 'company')?.orgId;
}

function CompanyContracts() {
  const t = useT();
  useDocumentTitle(t('contracts.company.title'));
  const orgId = useCompanyId();
  const q = useCompanyContracts(orgId);
  return (
    <div className="console-page contract-page">
      <NewContract orgId={orgId} />
      <Card title={t('contracts.company.title')} style={{ marginTop: 12 }}>
        <ContractList q={q} linkTo={(c) => `/company/contracts/${c.id}`} />
      </Card>
    </div>
  );
}

function NewContract({ orgId }: { orgId: string | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const nav = useNavigate();
  const orders = useReadyOrders(orgId);
  const create = useCreateContract();
  const [orderId, setOrderId] = useState<string>();
  // One key per chosen order, reused on retries, so a double tap makes one contract.
  const key = useRef<{ orderId?: string; key: string }>({ key: '' });
  return (
    <Card size="small" title={t('contracts.company.new')}>
      <p className="muted small">{t('contracts.company.newHint')}</p>
      <Space.Compact style={{ width: '100%' }}>
        <Select
          aria-label={t('contracts.company.pickOrder')}
          style={{ width: '100%' }}
          placeholder={t('contracts.company.pickOrder')}
          value={orderId}
          onChange={setOrderId}
          loading={orders.isLoading}
          options={(orders.data ?? []).map((o) => ({ value: o.id, label: o.number }))}
          data-testid="pick-order"
        />
        <Button
          type="primary"
          disabled={!orderId}
          loading={create.isPending}
          onClick={() => {
            if (!orderId) return;
            if (key.current.orderId !== orderId) key.current = { orderId, key: crypto.randomUUID() };
            create.mutate(
              { orderId, key: key.current.key },
              {
                onSuccess: (c) => {
                  void message.success(t('contracts.company.created'));
                  nav(`/company/contracts/${c.id}`);
                },
              },
            );
          }}
        >
          {t('contracts.company.create')}
        </Button>
      </Space.Compact>
      <ErrorAlert error={create.error} />
    </Card>
  );
}

function One() {
  const { id = '' } = useParams();
  return <ContractDetailView id={id} linkBase="/company/contracts" />;
}

import { Card, Select, Space } from 'antd';
import { useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { districts } from '../../../../shared/districts';
import { type MessageKey, useT } from '../../../shared/i18n';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { FollowUpList } from '../FollowUpList';
import { OrderDetailView } from '../OrderDetailView';
import { OrderList } from '../OrderList';
import { useRegulatorOrders } from '../orders.api';
import { orderStates } from '../orders.types';
import '../orders.css';
import { FilterSegmented } from '../../../shared/ui/FilterSegmented';

/** /regulator/orders: orders in my district (traceability), each order's history, and the follow-up sample. */
export default function RegulatorOrdersSection() {
  return (
    <Routes>
      <Route index element={<Shell tab="orders" />} />
      <Route path="followups" element={<Shell tab="followups" />} />
      <Route path=":id" element={<RegulatorOrder />} />
    </Routes>
  );
}

function RegulatorOrder() {
  const { id = '' } = useParams();
  return <OrderDetailView id={id} backTo="/regulator/orders" />;
}

function Shell({ tab }: { tab: 'orders' | 'followups' }) {
  const t = useT();
  const navigate = useNavigate();
  useDocumentTitle(t('sec.regulator.orders'));
  return (
    <div className="console-page">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <FilterSegmented
          label={t('orders.regulator.viewLabel')}
          value={tab}
          onChange={(v) => navigate(v === 'orders' ? '/regulator/orders' : '/regulator/orders/followups')}
          options={[
            { value: 'orders', label: t('orders.regulator.trace') },
            { value: 'followups', label: t('orders.regulator.sample') },
          ]}
        />
        {tab === 'orders' ? (
          <Trace />
        ) : (
          <Card title={t('orders.regulator.sample')}>
            <p className="muted small">{t('orders.regulator.sampleHint')}</p>
            <FollowUpList scope={{ regulator: true }} orderLink={(f) => `/regulator/orders/${f.orderId}`} />
          </Card>
        )}
      </Space>
    </div>
  );
}

function Trace() {
  const t = useT();
  const [state, setState] = useState<string | undefined>();
  const [district, setDistrict] = useState<string | undefined>();
  const q = useRegulatorOrders({ state, district });
  return (
    <Card title={t('orders.regulator.trace')}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select
          aria-label={t('orders.field.state')}
          allowClear
          placeholder={t('orders.field.state')}
          style={{ minWidth: 140 }}
          value={state}
          onChange={setState}
          options={orderStates.map((s) => ({ value: s, label: t(`orders.orderState.${s}` as MessageKey) }))}
        />
        <Select
          aria-label={t('orders.field.district')}
          allowClear
          placeholder={t('orders.field.district')}
          style={{ minWidth: 140 }}
          value={district}
          onChange={setDistrict}
          options={districts.map((d) => ({ value: d.code, label: d.name }))}
        />
      </Space>
      <OrderList q={q} linkTo={(o) => `/regulator/orders/${o.id}`} />
    </Card>
  );
}

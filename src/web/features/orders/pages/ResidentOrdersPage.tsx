import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Card, Space } from 'antd';
import { useState } from 'react';
import { Route, Routes, useParams } from 'react-router-dom';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ButtonLink } from '../../../shared/ui/ButtonLink';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { OrderDetailView } from '../OrderDetailView';
import { OrderList } from '../OrderList';
import { useMyOrders } from '../orders.api';
import type { OrderState } from '../orders.types';
import BookingPage from './BookingPage';
import { DemandDetailPage, MyDemandsPage, PostDemandPage } from './ResidentDemandsPages';
import { FilterSegmented } from '../../../shared/ui/FilterSegmented';

/** /resident/orders: my orders, booking, an order's page, and my demands (需求发布). */
export default function ResidentOrdersSection() {
  return (
    <Routes>
      <Route index element={<MyOrdersPage />} />
      <Route path="new" element={<BookingPage />} />
      <Route path="demands" element={<MyDemandsPage />} />
      <Route path="demands/new" element={<PostDemandPage />} />
      <Route path="demands/:id" element={<DemandDetailPage />} />
      <Route path=":id" element={<ResidentOrderPage />} />
    </Routes>
  );
}

function ResidentOrderPage() {
  const { id = '' } = useParams();
  return <OrderDetailView id={id} backTo="/resident/orders" />;
}

const filters: (OrderState | 'all' | 'active')[] = [
  'all',
  'requested',
  'accepted',
  'in_service',
  'completed',
  'closed',
  'cancelled',
];

function MyOrdersPage() {
  const t = useT();
  useDocumentTitle(t('orders.mine.title'));
  const [filter, setFilter] = useState<(typeof filters)[number]>('all');
  const q = useMyOrders(filter === 'all' || filter === 'active' ? undefined : filter);
  return (
    <div className="console-page orders-page">
      <Card
        title={t('orders.mine.title')}
        extra={
          <ButtonLink to="/resident/find" type="primary" icon={<SearchOutlined />}>
            {t('orders.book.find')}
          </ButtonLink>
        }
      >
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          <div className="orders-tabs">
            <FilterSegmented
              label={t('orders.resident.filterLabel')}
              size="small"
              value={filter}
              onChange={(v) => setFilter(v as (typeof filters)[number])}
              options={filters.map((f) => ({
                value: f,
                label: t((f === 'all' ? 'orders.filter.all' : `orders.orderState.${f}`) as MessageKey),
              }))}
            />
          </div>
          <OrderList q={q} linkTo={(o) => `/resident/orders/${o.id}`} />
        </Space>
      </Card>
      <Card size="small" style={{ marginTop: 12 }} title={t('orders.demands.mine')}>
        <p className="muted small">{t('orders.demands.hint')}</p>
        <Space wrap>
          <ButtonLink to="demands/new" icon={<PlusOutlined />}>
            {t('orders.demands.post')}
          </ButtonLink>
          <ButtonLink to="demands">{t('orders.demands.mine')}</ButtonLink>
        </Space>
      </Card>
    </div>
  );
}

import { App, Badge, Button, Card, Empty, Form, Input, List, Modal, Select, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, Route, Routes, useLocation, useNavigate, useParams } from 'react-router-dom';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useOwnItems } from '../../catalog/catalog.api';
import { useMe } from '../../identity/identity.api';
import { useCompanyWorkers } from '../../workers/workers.api';
import { formatDateTime, useOrderVocab, useScheduleText } from '../components';
import { FollowUpList } from '../FollowUpList';
import { OrderDetailView } from '../OrderDetailView';
import { OrderList } from '../OrderList';
import { useCompanyDemands, useCompanyOrders, useMakeOffer } from '../orders.api';
import type { CompanyDemand, OrderState } from '../orders.types';
import { FilterSegmented } from '../../../shared/ui/FilterSegmented';
import { formatAmount } from '../../../shared/money';

/** The signed-in member's company (the first company membership). */
export function useMyCompanyId(): string | undefined {
  const me = useMe();
  return me.data?.memberships.find((m) => m.orgType === 'company')?.orgId;
}

/** /company/orders: dispatch board, an order's page, demands to answer, follow-ups. */
export default function CompanyOrdersSection() {
  return (
    <Routes>
      <Route index element={<Shell tab="board" />} />
      <Route path="demands" element={<Shell tab="demands" />} />
      <Route path="followups" element={<Shell tab="followups" />} />
      <Route path=":id" element={<CompanyOrderPage />} />
    </Routes>
  );
}

function CompanyOrderPage() {
  const { id = '' } = useParams();
  return <OrderDetailView id={id} backTo="/company/orders" />;
}

function Shell({ tab }: { tab: 'board' | 'demands' | 'followups' }) {
  const t = useT();
  const navigate = useNavigate();
  const companyId = useMyCompanyId();
  useDocumentTitle(t('sec.company.orders'));
  if (!companyId) return <Card>{t('orders.company.none')}</Card>;
  return (
    <div className="console-page">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <div className="orders-tabs">
          <FilterSegmented
            label={t('orders.company.viewLabel')}
            value={tab}
            onChange={(v) => navigate(v === 'board' ? '/company/orders' : `/company/orders/${v}`)}
            options={[
              { value: 'board', label: t('orders.company.board') },
              { value: 'demands', label: t('orders.company.demands') },
              { value: 'followups', label: t('orders.company.followups') },
            ]}
          />
        </div>
        {tab === 'board' && <Board companyId={companyId} />}
        {tab === 'demands' && <CompanyDemandsCard companyId={companyId} />}
        {tab === 'followups' && (
          <Card title={t('orders.company.followups')}>
            <FollowUpList scope={{ orgId: companyId }} orderLink={(f) => `/company/orders/${f.orderId}`} />
          </Card>
        )}
      </Space>
    </div>
  );
}

const boardTabs: OrderState[] = [
  'requested',
  'accepted',
  'contracted',
  'in_service',
  'completed',
  'closed',
  'cancelled',
  'declined',
  'expired',
];

function Board({ companyId }: { companyId: string }) {
  const t = useT();
  const location = useLocation();
  const navigate = useNavigate();
  const state = (new URLSearchParams(location.search).get('state') as OrderState | null) ?? 'requested';
  const q = useCompanyOrders(companyId, state);
  const waiting = useCompanyOrders(companyId, 'requested');
  const waitingCount = waiting.data?.pages[0]?.items.length ?? 0;
  return (
    <Card title={t('orders.company.board')}>
      <Tabs
        activeKey={state}
        onChange={(k) => navigate(`/company/orders?state=${k}`)}
        items={boardTabs.map((s) => ({
          key: s,
          label:
            s === 'requested' ? (
              <Badge count={waitingCount} size="small" offset={[8, -2]} overflowCount={19}>
                {t(`orders.orderState.${s}` as MessageKey)}
              </Badge>
            ) : (
              t(`orders.orderState.${s}` as MessageKey)
            ),
        }))}
      />
      <OrderList q={q} linkTo={(o) => `/company/orders/${o.id}`} showCompany={false} />
    </Card>
  );
}

/** Open demands the company may answer, with an offer form (a worker and one of its price items). */
function CompanyDemandsCard({ companyId }: { companyId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const sched = useScheduleText();
  const { message } = App.useApp();
  const q = useCompanyDemands(companyId);
  const workers = useCompanyWorkers(companyId);
  const itemsQ = useOwnItems(companyId);
  const offer = useMakeOffer(companyId);
  const [open, setOpen] = useState<CompanyDemand | null>(null);
  const [form] = Form.useForm<{ workerId: string; priceItemId: string; message?: string }>();
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const fittingItems = (d: CompanyDemand) =>
    (itemsQ.data?.items ?? []).filter(
      (i) => i.active && i.current && i.mode === d.mode && i.category === d.category,
    );
  const fittingWorkers = (d: CompanyDemand) =>
    (workers.data?.items ?? []).filter(
      (w) => w.employedSince && w.status === 'active' && w.categories.includes(d.category),
    );
  const send = async () => {
    const val = await form.validateFields();
    try {
      await offer.mutateAsync({ demandId: open!.id, ...val });
      message.success(t('orders.offers.sent'));
      setOpen(null);
    } catch {
      // shown in the dialog
    }
  };
  return (
    <Card title={t('orders.company.demands')}>
      <ErrorAlert error={q.error} />
      <List
        itemLayout="vertical"
        loading={q.isLoading}
        dataSource={items}
        locale={{
          emptyText: <Empty description={t('orders.demands.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
        }}
        renderItem={(d) => (
          <List.Item
            actions={[
              d.offered ? (
                <Tag key="o" color="green">
                  {t('orders.offers.offered')}
                </Tag>
              ) : (
                <Button
                  key="o"
                  type="primary"
                  size="small"
                  onClick={() => {
                    offer.reset();
                    form.resetFields();
                    setOpen(d);
                  }}
                >
                  {t('orders.offers.make')}
                </Button>
              ),
            ]}
          >
            <List.Item.Meta
              title={
                <Space size={4} wrap>
                  <span>
                    {v.category(d.category)} · {v.mode(d.mode)}
                  </span>
                  {d.referred ? <Tag color="purple">{t('orders.demands.referred')}</Tag> : null}
                </Space>
              }
              description={
                <Space direction="vertical" size={0}>
                  <span>{d.description}</span>
                  <span className="small">{sched(d.schedule)}</span>
                  <span className="muted small">
                    {v.district(d.district)} {d.addressMasked} · {formatDateTime(d.createdAt, locale)}
                  </span>
                  {d.budgetMaxFen ? (
                    <span className="small">
                      {t('orders.budget.max', { amount: formatAmount(d.budgetMaxFen) })}
                    </span>
                  ) : null}
                </Space>
              }
            />
          </List.Item>
        )}
      />
      {q.hasNextPage ? (
        <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('orders.more')}
        </Button>
      ) : null}
      <Modal
        open={!!open}
        title={t('orders.offers.make')}
        onCancel={() => setOpen(null)}
        onOk={send}
        okText={t('orders.ok')}
        cancelText={t('orders.cancelBtn')}
        confirmLoading={offer.isPending}
        destroyOnClose
      >
        {open ? (
          <Form form={form} layout="vertical" preserve={false}>
            <Form.Item
              name="workerId"
              label={t('orders.field.worker')}
              extra={t('orders.worker.hint')}
              rules={[{ required: true }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                options={fittingWorkers(open).map((w) => ({
                  value: w.id,
                  // An expired or missing health certificate turns the 安心码 yellow: such a worker cannot be booked.
                  label:
                    w.health.state === 'valid'
                      ? w.name
                      : t('common.withNote', { text: w.name, note: t('orders.worker.healthExpired') }),
                  disabled: w.health.state !== 'valid',
                }))}
              />
            </Form.Item>
            <Form.Item name="priceItemId" label={t('orders.field.priceItem')} rules={[{ required: true }]}>
              <Select
                options={fittingItems(open).map((i) => ({
                  value: i.id,
                  label: `${i.title} · ${t('orders.price.unit', { amount: formatAmount(i.priceFen), unit: v.unit(i.unit) })}`,
                }))}
                notFoundContent={<Link to="/company/services">{t('orders.offers.noItem')}</Link>}
              />
            </Form.Item>
            <Form.Item name="message" label={t('orders.field.message')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
            <ErrorAlert error={offer.error} />
          </Form>
        ) : null}
      </Modal>
    </Card>
  );
}

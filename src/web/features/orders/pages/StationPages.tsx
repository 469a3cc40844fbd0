import { App, Button, Card, Empty, Form, Input, List, Modal, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useOrgSearch } from '../../discovery/discovery.api';
import { useMe } from '../../identity/identity.api';
import { formatDateTime, OrderStateTag, useOrderVocab, useScheduleText } from '../components';
import { FollowUpList } from '../FollowUpList';
import { OrderDetailView } from '../OrderDetailView';
import { useAreaDemands, useRefer, useReferrals } from '../orders.api';
import type { StationDemand } from '../orders.types';
import '../orders.css';
import { formatAmount } from '../../../shared/money';

function useMyStationId(): string | undefined {
  const me = useMe();
  return me.data?.memberships.find((m) => m.orgType === 'station')?.orgId;
}

/** /station/demands: open demands in the station's district; refer one to a company (转介). */
export function StationDemandsPage() {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const sched = useScheduleText();
  const { message } = App.useApp();
  const stationId = useMyStationId();
  useDocumentTitle(t('sec.station.demands'));
  const q = useAreaDemands(stationId);
  const refer = useRefer(stationId ?? '');
  const [open, setOpen] = useState<StationDemand | null>(null);
  const [form] = Form.useForm<{ companyId: string; note?: string }>();
  const companies = useOrgSearch(
    'companies',
    { district: open?.district, category: open?.category, sort: 'grade' },
    !!open,
  );
  if (!stationId) return <Card>{t('orders.station.none')}</Card>;
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const send = async () => {
    const val = await form.validateFields();
    try {
      await refer.mutateAsync({ demandId: open!.id, ...val });
      message.success(t('orders.station.referred'));
      setOpen(null);
    } catch {
      // shown in the dialog
    }
  };
  return (
    <div className="console-page orders-page">
      <Card title={t('sec.station.demands')}>
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
                <Button
                  key="r"
                  size="small"
                  type="primary"
                  onClick={() => {
                    refer.reset();
                    form.resetFields();
                    setOpen(d);
                  }}
                >
                  {t('orders.station.refer')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <span>
                      {v.category(d.category)} · {v.mode(d.mode)}
                    </span>
                    {d.referredTo.length ? (
                      <Tag color="purple">{t('orders.station.referredN', { n: d.referredTo.length })}</Tag>
                    ) : null}
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
      </Card>
      <Modal
        open={!!open}
        title={t('orders.station.refer')}
        onCancel={() => setOpen(null)}
        onOk={send}
        okText={t('orders.ok')}
        cancelText={t('orders.cancelBtn')}
        confirmLoading={refer.isPending}
        destroyOnClose
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="companyId" label={t('orders.field.company')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={companies.isLoading}
              options={(companies.data?.items ?? [])
                .filter((c) => !open?.referredTo.includes(c.id))
                .map((c) => ({
                  value: c.id,
                  label: `${c.name}${c.creditGrade ? ` · ${c.creditGrade}` : ''}`,
                }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('orders.field.note')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <ErrorAlert error={refer.error ?? companies.error} />
        </Form>
      </Modal>
    </div>
  );
}

/** /station/referrals: the station's referrals and what came of them (offer, order). */
export function StationReferralsPage() {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const stationId = useMyStationId();
  useDocumentTitle(t('sec.station.referrals'));
  const q = useReferrals(stationId);
  if (!stationId) return <Card>{t('orders.station.none')}</Card>;
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="console-page orders-page">
      <Card title={t('sec.station.referrals')}>
        <ErrorAlert error={q.error} />
        <List
          loading={q.isLoading}
          dataSource={items}
          locale={{
            emptyText: (
              <Empty description={t('orders.station.noReferrals')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ),
          }}
          renderItem={(r) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <span>
                      {v.category(r.demand.category)} → {r.company.name}
                    </span>
                    <OrderStateTag state={r.demand.state} kind="demand" />
                  </Space>
                }
                description={
                  <Space direction="vertical" size={0}>
                    <span className="small">{r.demand.description}</span>
                    <span className="muted small">
                      {v.district(r.demand.district)} · {formatDateTime(r.createdAt, locale)}
                    </span>
                    <Space size={4} wrap className="small">
                      <span>{t('orders.station.outcome')}</span>
                      {r.offerState ? (
                        <OrderStateTag state={r.offerState} kind="offer" />
                      ) : (
                        <Tag>{t('orders.station.noOffer')}</Tag>
                      )}
                      {r.order ? (
                        <Link to={`/station/referrals/${r.order.id}`}>
                          {r.order.number} <OrderStateTag state={r.order.state} />
                        </Link>
                      ) : null}
                    </Space>
                    {r.note ? <span className="small">{r.note}</span> : null}
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
      </Card>
    </div>
  );
}

export function StationReferralsSection() {
  return (
    <Routes>
      <Route index element={<StationReferralsPage />} />
      <Route path=":id" element={<StationOrder back="/station/referrals" />} />
    </Routes>
  );
}

function StationOrder({ back }: { back: string }) {
  const { id = '' } = useParams();
  return <OrderDetailView id={id} backTo={back} />;
}

/** /station/followups: the station's follow-up visits of referred orders. */
export function StationFollowUpsSection() {
  const t = useT();
  const stationId = useMyStationId();
  useDocumentTitle(t('sec.station.followups'));
  const list = stationId ? (
    <div className="console-page orders-page">
      <Card title={t('sec.station.followups')}>
        <FollowUpList scope={{ orgId: stationId }} orderLink={(f) => `/station/followups/${f.orderId}`} />
      </Card>
    </div>
  ) : (
    <Card>{t('orders.station.none')}</Card>
  );
  return (
    <Routes>
      <Route index element={list} />
      <Route path=":id" element={<StationOrder back="/station/followups" />} />
    </Routes>
  );
}

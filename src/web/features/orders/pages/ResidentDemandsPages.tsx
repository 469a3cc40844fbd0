import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { MessageButton } from '../../messaging/MessageButton';
import { districts } from '../../../../shared/districts';
import { useLocale, useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { formatDateTime, OrderStateTag, useOrderVocab, useScheduleText } from '../components';
import {
  newIdempotencyKey,
  useAcceptOffer,
  useDemand,
  useMyDemands,
  usePostDemand,
  useWithdrawDemand,
} from '../orders.api';
import { earliestSlot } from '../quote';
import { ScheduleFields, scheduleOf, type ScheduleValues } from '../ScheduleFields';
import { formatAmount } from '../../../shared/money';

/** Budget shown in 元: "300–500 元", "≤ 500 元", or nothing. */
function useBudget() {
  const t = useT();
  return (min: number | null, max: number | null) =>
    min && max
      ? t('orders.yuan', { amount: `${formatAmount(min)}–${formatAmount(max)}` })
      : max
        ? t('orders.budget.max', { amount: formatAmount(max) })
        : min
          ? t('orders.budget.min', { amount: formatAmount(min) })
          : t('orders.budget.none');
}

/** /resident/orders/demands — my published needs and how many offers wait. */
export function MyDemandsPage() {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const budget = useBudget();
  useDocumentTitle(t('orders.demands.mine'));
  const q = useMyDemands();
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="console-page orders-page">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <BackLink to="/resident/orders">{t('orders.back')}</BackLink>
        <Card
          title={t('orders.demands.mine')}
          extra={
            <Link to="new">
              <Button type="primary" size="small">
                {t('orders.demands.post')}
              </Button>
            </Link>
          }
        >
          <ErrorAlert error={q.error} />
          <List
            loading={q.isLoading}
            dataSource={items}
            locale={{
              emptyText: (
                <Empty description={t('orders.demands.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ),
            }}
            renderItem={(d) => (
              <List.Item className="orders-item">
                <Link to={d.id} className="orders-item-link">
                  <div className="orders-item-head">
                    <strong>
                      {v.category(d.category)} · {v.mode(d.mode)}
                    </strong>
                    <OrderStateTag state={d.state} kind="demand" />
                  </div>
                  <div className="small">{d.description}</div>
                  <Space size={4} wrap className="small muted">
                    <span>{v.district(d.district)}</span>
                    <span>{budget(d.budgetMinFen, d.budgetMaxFen)}</span>
                    <span>{formatDateTime(d.createdAt, locale)}</span>
                  </Space>
                  {d.pendingOffers > 0 ? (
                    <Tag color="green">{t('orders.offers.pending', { n: d.pendingOffers })}</Tag>
                  ) : null}
                </Link>
              </List.Item>
            )}
          />
          {q.hasNextPage ? (
            <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
              {t('orders.more')}
            </Button>
          ) : null}
        </Card>
      </Space>
    </div>
  );
}

interface DemandValues extends ScheduleValues {
  category?: string;
  mode?: string;
  budgetMin?: number;
  budgetMax?: number;
  description?: string;
}

/** /resident/orders/demands/new — publish a need; companies in the district and the station see it. */
export function PostDemandPage() {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const navigate = useNavigate();
  const post = usePostDemand();
  const [form] = Form.useForm<DemandValues>();
  const mode = Form.useWatch('mode', form) as string | undefined;
  const slot = useMemo(() => earliestSlot(new Date()), []);
  useDocumentTitle(t('orders.demands.post'));
  const submit = async () => {
    const val = await form.validateFields();
    const schedule = scheduleOf(val.mode!, val);
    if (!schedule) return;
    try {
      const d = await post.mutateAsync({
        category: val.category!,
        mode: val.mode!,
        district: val.district!,
        address: val.address!.trim(),
        schedule,
        budgetMinFen: val.budgetMin ? Math.round(val.budgetMin * 100) : null,
        budgetMaxFen: val.budgetMax ? Math.round(val.budgetMax * 100) : null,
        description: val.description!.trim(),
      });
      navigate(`/resident/orders/demands/${d.id}`);
    } catch (e) {
      applyFieldErrors(form, e, locale);
    }
  };
  return (
    <div className="console-page orders-page">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <BackLink to="/resident/orders/demands">{t('orders.back')}</BackLink>
        <Card title={t('orders.demands.post')}>
          <Form
            form={form}
            layout="vertical"
            requiredMark={false}
            initialValues={{
              mode: 'hourly',
              date: dayjs(slot.date).add(1, 'day'),
              time: '09:00',
              hours: 2,
              startDate: dayjs(slot.date).add(7, 'day'),
              weekdays: [],
              weeks: 4,
              months: 1,
              dueDate: dayjs(slot.date).add(30, 'day'),
              stars: 4,
            }}
          >
            <Form.Item name="category" label={t('orders.field.category')} rules={[{ required: true }]}>
              <Select options={v.categoryOptions} />
            </Form.Item>
            <Form.Item name="mode" label={t('orders.field.mode')} rules={[{ required: true }]}>
              <Select options={v.modeOptions} />
            </Form.Item>
            {mode ? <ScheduleFields mode={mode} /> : null}
            <Form.Item name="district" label={t('orders.field.district')} rules={[{ required: true }]}>
              <Select options={districts.map((d) => ({ value: d.code, label: d.name }))} />
            </Form.Item>
            <Form.Item
              name="address"
              label={t('orders.field.address')}
              extra={t('orders.book.addressHint')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Space size={12} wrap>
              <Form.Item name="budgetMin" label={t('orders.field.budgetMin')}>
                <InputNumber min={1} max={1_000_000} addonAfter={t('common.yuan')} />
              </Form.Item>
              <Form.Item
                name="budgetMax"
                label={t('orders.field.budgetMax')}
                dependencies={['budgetMin']}
                rules={[
                  ({ getFieldValue }) => ({
                    validator: async (_r, max?: number) => {
                      const min = getFieldValue('budgetMin') as number | undefined;
                      if (min && max && max < min) throw new Error(t('orders.budget.order'));
                    },
                  }),
                ]}
              >
                <InputNumber min={1} max={1_000_000} addonAfter={t('common.yuan')} />
              </Form.Item>
            </Space>
            <Form.Item
              name="description"
              label={t('orders.field.description')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input.TextArea rows={3} maxLength={1000} placeholder={t('orders.demands.placeholder')} />
            </Form.Item>
            <ErrorAlert error={post.error} className="orders-gap-b" />
            <Button type="primary" block size="large" loading={post.isPending} onClick={submit}>
              {t('orders.demands.publish')}
            </Button>
          </Form>
        </Card>
      </Space>
    </div>
  );
}

/** /resident/orders/demands/:id — the demand, its offers, accept one (it becomes an accepted order). */
export function DemandDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const sched = useScheduleText();
  const budget = useBudget();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const res = useDemand(id);
  const accept = useAcceptOffer();
  const withdraw = useWithdrawDemand();
  const keys = useRef(new Map<string, string>());
  const [accepting, setAccepting] = useState<string | null>(null);
  useDocumentTitle(t('orders.demands.detail'));
  if (res.isPending) return <PageLoader />;
  if (res.error) return <ErrorAlert error={res.error} />;
  const d = res.data;
  const doAccept = async (offerId: string) => {
    // The same key for every retry of accepting this offer: the server makes one order.
    if (!keys.current.has(offerId)) keys.current.set(offerId, newIdempotencyKey());
    setAccepting(offerId);
    try {
      const o = await accept.mutateAsync({ offerId, key: keys.current.get(offerId)! });
      message.success(t('orders.offers.accepted'));
      navigate(`/resident/orders/${o.id}`);
    } catch {
      // shown below
    } finally {
      setAccepting(null);
    }
  };
  return (
    <div className="console-page orders-page">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <BackLink to="/resident/orders/demands">{t('orders.back')}</BackLink>
        <Card
          title={
            <Space size={4} wrap>
              <span>
                {v.category(d.category)} · {v.mode(d.mode)}
              </span>
              <OrderStateTag state={d.state} kind="demand" />
            </Space>
          }
        >
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('orders.field.schedule')}>{sched(d.schedule)}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.address')}>
              {v.district(d.district)} {d.address}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.field.budget')}>
              {budget(d.budgetMinFen, d.budgetMaxFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.field.description')}>{d.description}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.expires')}>
              {formatDateTime(d.expiresAt, locale)}
            </Descriptions.Item>
          </Descriptions>
          {d.orderId ? (
            <Link to={`/resident/orders/${d.orderId}`}>
              <Button type="primary">{t('orders.demands.toOrder')}</Button>
            </Link>
          ) : null}
          {d.state === 'open' ? (
            <Button
              danger
              style={{ marginLeft: 8 }}
              loading={withdraw.isPending}
              onClick={() =>
                modal.confirm({
                  title: t('orders.demands.withdraw'),
                  content: t('orders.demands.withdraw.body'),
                  okText: t('orders.ok'),
                  cancelText: t('orders.cancelBtn'),
                  onOk: () => withdraw.mutateAsync(d.id),
                })
              }
            >
              {t('orders.demands.withdraw')}
            </Button>
          ) : null}
          <ErrorAlert error={withdraw.error} className="orders-gap" />
        </Card>
        <Card size="small" title={t('orders.offers', { n: d.offers.length })}>
          <ErrorAlert error={accept.error} className="orders-gap-b" />
          {d.offers.length === 0 ? (
            <Alert type="info" showIcon message={t('orders.offers.none')} />
          ) : (
            <List
              itemLayout="vertical"
              dataSource={d.offers}
              renderItem={(o) => (
                <List.Item
                  actions={
                    d.state === 'open' && o.state === 'pending'
                      ? [
                          <Button
                            key="a"
                            type="primary"
                            size="small"
                            loading={accepting === o.id}
                            onClick={() => doAccept(o.id)}
                          >
                            {t('orders.offers.accept')}
                          </Button>,
                          <MessageButton
                            key="m"
                            size="small"
                            input={{ context: 'demand_offer', demandId: d.id, offerId: o.id }}
                          />,
                        ]
                      : [
                          <MessageButton
                            key="m"
                            size="small"
                            input={{ context: 'demand_offer', demandId: d.id, offerId: o.id }}
                          />,
                        ]
                  }
                >
                  <List.Item.Meta
                    title={
                      <Space size={4} wrap>
                        <span>{o.company.name}</span>
                        {o.company.creditGrade ? <Tag color="gold">{o.company.creditGrade}</Tag> : null}
                        {o.referred ? <Tag color="purple">{t('orders.offers.referred')}</Tag> : null}
                        <OrderStateTag state={o.state} kind="offer" />
                      </Space>
                    }
                    description={
                      <Space direction="vertical" size={0}>
                        <span>
                          {o.worker.name} · {o.priceTitle}
                        </span>
                        {o.priceFen !== null ? (
                          <span className="orders-price">
                            {t('orders.price.unit', {
                              amount: formatAmount(o.priceFen),
                              unit: v.unit(o.unit ?? ''),
                            })}
                          </span>
                        ) : null}
                        {o.message ? <span className="small">{o.message}</span> : null}
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          )}
        </Card>
      </Space>
    </div>
  );
}
